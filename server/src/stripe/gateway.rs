//! The Checkout Session calls, with async-stripe's own request types and client, so the
//! wire format is the crate's: form-encoded creates, JSON objects back.

use data::Error;
use data::payments::checkout::{Account, Completed, Gateway, Opened, Payable};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData, ProductData,
    RetrieveCheckoutSession,
};
use stripe_shared::{CheckoutSession, CheckoutSessionMode, CheckoutSessionPaymentStatus};

const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Clone)]
pub struct StripeGateway {
    api_base: String,
    deployment_key: Option<String>,
}

impl std::fmt::Debug for StripeGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeGateway").field("api_base", &self.api_base).finish_non_exhaustive()
    }
}

fn unavailable(e: impl std::fmt::Display) -> Error {
    tracing::warn!(error = %e, "Stripe call failed");
    Error::Unavailable { message: "online payment is unavailable right now; try again in a minute".into() }
}

/// What a session says about its payment, as the data layer records it.
pub fn completed(session: &CheckoutSession, event_id: Option<String>, event_type: &str) -> Completed {
    Completed {
        event_id,
        event_type: event_type.to_string(),
        session_id: session.id.as_str().to_string(),
        paid: matches!(
            session.payment_status,
            CheckoutSessionPaymentStatus::Paid | CheckoutSessionPaymentStatus::NoPaymentRequired
        ),
        expired: session.status == Some(stripe_shared::CheckoutSessionStatus::Expired),
        amount_total: session.amount_total,
        currency: session.currency.as_ref().map(|c| c.to_string()),
        payment_intent: session.payment_intent.as_ref().map(|p| p.id().as_str().to_string()),
    }
}

impl StripeGateway {
    /// `api_base` with its trailing slash (the client joins paths onto it).
    pub fn new(api_base: &str, deployment_key: Option<String>) -> StripeGateway {
        let api_base = format!("{}/", api_base.trim_end_matches('/'));
        StripeGateway { api_base, deployment_key: deployment_key.filter(|k| !k.is_empty()) }
    }

    fn client(&self, account: &Account) -> Result<stripe::Client, Error> {
        let key = match account {
            Account::Sender { secret_key, .. } => secret_key.clone(),
            Account::Deployment => self.deployment_key.clone().ok_or_else(|| unavailable("no STRIPE_SECRET_KEY"))?,
        };
        stripe::ClientBuilder::new(key).url(self.api_base.clone()).timeout(TIMEOUT).build().map_err(unavailable)
    }

    async fn create(&self, payable: &Payable, success_url: String, cancel_url: String) -> Result<Opened, Error> {
        let currency: stripe_types::Currency =
            payable.currency.to_ascii_lowercase().parse().map_err(|_| unavailable("currency"))?;
        let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency);
        price.unit_amount = Some(payable.stripe_amount);
        let name = format!("Invoice {} from {}", payable.number, payable.sender_name);
        price.product_data = Some(ProductData::new(name));
        let mut line = CreateCheckoutSessionLineItems::new();
        line.price_data = Some(price);
        line.quantity = Some(1);
        let metadata = [("invoice_number", payable.number.clone()), ("invoice_id", payable.invoice_id.to_string())]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<std::collections::HashMap<_, _>>();
        let mut request = CreateCheckoutSession::new()
            .mode(CheckoutSessionMode::Payment)
            .line_items(vec![line])
            .client_reference_id(payable.invoice_id.to_string())
            .metadata(metadata)
            .success_url(success_url)
            .cancel_url(cancel_url);
        if let Some(email) = &payable.customer_email {
            request = request.customer_email(email.clone());
        }
        let session = request.send(&self.client(&payable.account)?).await.map_err(unavailable)?;
        let url = session.url.clone().ok_or_else(|| unavailable("the session has no url"))?;
        let expires_at = chrono::DateTime::from_timestamp(session.expires_at, 0).unwrap_or_default();
        Ok(Opened { stripe_session_id: session.id.as_str().to_string(), url, expires_at })
    }

    /// POST /v1/refunds with the payment intent and amount, under `idempotency_key`.
    async fn give_back(
        &self,
        account: &Account,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<String, Error> {
        #[derive(serde::Serialize)]
        struct RefundForm<'a> {
            payment_intent: &'a str,
            amount: i64,
        }
        let form = RefundForm { payment_intent, amount };
        let key = stripe::IdempotencyKey::new(idempotency_key).map_err(unavailable)?;
        let refund: stripe_shared::Refund =
            stripe_client_core::RequestBuilder::new(stripe_client_core::StripeMethod::Post, "/refunds")
                .form(&form)
                .customize()
                .request_strategy(stripe::RequestStrategy::Idempotent(key))
                .send(&self.client(account)?)
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "Stripe refund failed");
                    let said = match &e {
                        stripe::StripeError::Stripe(errors, _) => errors.message.clone(),
                        _ => None,
                    };
                    let said = said.unwrap_or_else(|| "it did not answer".into());
                    Error::Unavailable { message: format!("Stripe did not make the refund: {said}") }
                })?;
        if refund.status.as_deref() == Some("failed") {
            let why = refund.failure_reason.unwrap_or_else(|| "no reason given".into());
            return Err(Error::Unavailable { message: format!("Stripe refused the refund: {why}") });
        }
        Ok(refund.id.as_str().to_string())
    }

    async fn fetch(&self, account: &Account, session_id: &str) -> Result<Completed, Error> {
        let session =
            RetrieveCheckoutSession::new(session_id).send(&self.client(account)?).await.map_err(unavailable)?;
        Ok(completed(&session, None, "checkout.session.retrieved"))
    }
}

impl Gateway for StripeGateway {
    fn deployment_configured(&self) -> bool {
        self.deployment_key.is_some()
    }

    fn open<'a>(
        &'a self,
        payable: &'a Payable,
        success_url: String,
        cancel_url: String,
    ) -> Pin<Box<dyn Future<Output = Result<Opened, Error>> + Send + 'a>> {
        Box::pin(self.create(payable, success_url, cancel_url))
    }

    fn retrieve<'a>(
        &'a self,
        account: &'a Account,
        session_id: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<Completed, Error>> + Send + 'a>> {
        Box::pin(self.fetch(account, session_id))
    }

    fn refund<'a>(
        &'a self,
        account: &'a Account,
        payment_intent: &'a str,
        amount: i64,
        idempotency_key: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>> {
        Box::pin(self.give_back(account, payment_intent, amount, idempotency_key))
    }
}

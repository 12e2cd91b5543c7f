//! /new: invoices made without an account. The page and POST /api/v1/invoices/anonymous call
//! the same service (`data::anonymous::{admit, make}`) with the same browser cookie.

use crate::api::invoices::{EditorData, InvoiceRow};
use crate::error::AppError;
use domain::dto::{Invoice, SenderCard};
use domain::forms::InvoiceForm;
use domain::profile::SenderDetails;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What /new shows: the editor (blank, or as a refused plain post left it), the "From" (as this
/// browser last gave it), the invoices this browser made, and the Turnstile site key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewInvoiceData {
    pub editor: EditorData,
    pub from: SenderDetails,
    pub made: Vec<InvoiceRow>,
    pub turnstile_site_key: Option<String>,
    pub signed_in: bool,
}

/// What a refused plain form post keeps for the page to show again.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeptNewInvoice {
    pub invoice: InvoiceForm,
    pub sender: SenderDetails,
}

#[cfg(feature = "ssr")]
const KEPT: &str = "ji_new_form";

#[server(prefix = "/fn", endpoint = "load_new_invoice")]
pub async fn load_new_invoice() -> Result<NewInvoiceData, AppError> {
    use crate::server::{anonymous_cookie, forms, session, settings, store};
    let store = store()?;
    let browser = match anonymous_cookie::read() {
        Some(secret) => data::anonymous::browser(&store, &secret).await?,
        None => None,
    };
    let kept: Option<KeptNewInvoice> = forms::take_from_cookie(&store, KEPT);
    let from_browser = browser
        .as_ref()
        .map(|b| SenderDetails::from_profile(&data::senders::profile_form(&b.sender), b.sender.email.clone()));
    let (form, from) = match kept {
        Some(kept) => (kept.invoice, kept.sender),
        None => {
            let today = store.now().date_naive();
            let form = InvoiceForm {
                currency: "USD".into(),
                issue_date: today.to_string(),
                due_date: (today + chrono::Duration::days(30)).to_string(),
                ..Default::default()
            };
            (form, from_browser.unwrap_or_default())
        }
    };
    let made = match &browser {
        Some(b) => {
            let page = data::cursor::PageRequest::parse(Some(25), None)?;
            let list = data::invoices::list(&store, b.sender.id, &Default::default(), page).await?;
            let today = store.now().date_naive();
            list.data.into_iter().map(|i| InvoiceRow::of(i, today)).collect()
        }
        None => Vec::new(),
    };
    Ok(NewInvoiceData {
        editor: EditorData {
            number: None,
            status: None,
            customer_label: None,
            form,
            customers: Vec::new(),
            paid_cents: 0,
            seller_country: domain::vat::country_code(&from.country),
            e_invoice: None,
        },
        from,
        made,
        turnstile_site_key: settings().turnstile_site_key,
        signed_in: session::current().await?.is_some(),
    })
}

/// Makes the invoice (or, with intent "recalculate", only shows the totals again) and goes to
/// its page; a refused plain form post keeps what was typed for /new to show again.
#[server(prefix = "/fn", endpoint = "create_anonymous_invoice")]
pub async fn create_anonymous_invoice(
    invoice: InvoiceForm,
    sender: SenderDetails,
    website: Option<String>,
    cf_turnstile_response: Option<String>,
    intent: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{anonymous_cookie, client_ip, forms, is_plain_form_post, settings, store};
    let store = store()?;
    let kept = KeptNewInvoice { invoice: invoice.clone(), sender: sender.clone() };
    if intent.as_deref() == Some("recalculate") {
        forms::keep_in_cookie(&store, KEPT, &kept);
        leptos_axum::redirect("/new");
        return Ok(());
    }
    let client = client_ip();
    let made = async {
        data::anonymous::admit(&store, client).await?;
        let input = invoice.to_input()?;
        let secret = anonymous_cookie::read();
        let asker = data::anonymous::Asker {
            client,
            secret: secret.as_deref(),
            website: website.as_deref(),
            turnstile_response: cf_turnstile_response.as_deref(),
        };
        let check = settings().human_check;
        Ok::<_, AppError>(data::anonymous::make(&store, check.as_deref(), asker, &sender, input).await?)
    }
    .await;
    match made {
        Ok(made) => {
            anonymous_cookie::send(Some(&made.secret.0));
            leptos_axum::redirect(&format!("/new/{}", made.invoice.id));
            Ok(())
        }
        Err(e) => {
            if is_plain_form_post() {
                forms::keep_in_cookie(&store, KEPT, &kept);
            }
            Err(e)
        }
    }
}

/// An invoice this browser made, as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MadeInvoice {
    pub invoice: Invoice,
    pub sender: SenderCard,
    /// The document as the recipient reads it.
    pub printed: domain::printed::PrintedInvoice,
}

#[server(prefix = "/fn", endpoint = "load_made_invoice")]
pub async fn load_made_invoice(number: String) -> Result<MadeInvoice, AppError> {
    use crate::server::{anonymous_cookie, store};
    let secret = anonymous_cookie::read().ok_or_else(|| AppError::from(data::Error::not_found("invoice")))?;
    let (invoice, sender) = data::anonymous::invoice(&store()?, &secret, &number).await?;
    let sender = data::senders::card(&sender);
    let printed = i18n::document::print(&invoice, &sender, invoice.language);
    Ok(MadeInvoice { invoice, sender, printed })
}

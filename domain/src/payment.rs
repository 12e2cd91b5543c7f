//! Payments against an invoice: how money came in, and what is still due. All in integer
//! cents of the invoice's currency. A refund is a payment with a negative amount: it gives
//! back part of what was paid (an invoice with money on it is cancelled only after that).

use crate::Error;
use crate::status::Status;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// Paid online by card through Stripe Checkout; recorded by the Stripe webhook only.
    Card,
    BankTransfer,
    Cash,
    Other,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 4] =
        [PaymentMethod::Card, PaymentMethod::BankTransfer, PaymentMethod::Cash, PaymentMethod::Other];
    /// What a sender may record by hand.
    pub const MANUAL: [PaymentMethod; 3] = [PaymentMethod::BankTransfer, PaymentMethod::Cash, PaymentMethod::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == text.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::Card => "Card (Stripe)",
            PaymentMethod::BankTransfer => "Bank transfer",
            PaymentMethod::Cash => "Cash",
            PaymentMethod::Other => "Other",
        }
    }
}

/// A payment (or, with a negative amount, a refund) as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub id: i64,
    /// The invoice's number: in the API an invoice's `id` is its number, so the field is
    /// `invoice_id` there.
    #[serde(rename = "invoice_id")]
    pub invoice_number: String,
    /// Positive for a payment, negative for a refund.
    pub amount_cents: i64,
    pub currency: String,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    pub paid_on: NaiveDate,
    /// sender, api, or recipient (paid online).
    pub recorded_by: String,
    pub stripe_checkout_session_id: Option<String>,
    pub stripe_payment_intent_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A payment the sender records by hand (`POST /invoices/{number}/payments`, the invoice page).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PaymentInput {
    #[serde(deserialize_with = "whole_number")]
    pub amount_cents: i64,
    pub method: PaymentMethod,
    #[serde(default)]
    pub reference: Option<String>,
    /// Default: today.
    #[serde(default)]
    pub paid_on: Option<NaiveDate>,
}

/// An integer as JSON Schema counts them: 125000 or 125000.0 (a number with no fraction).
pub(crate) fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct Whole;
    impl serde::de::Visitor<'_> for Whole {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
            i64::try_from(v).map_err(|_| E::custom("out of range"))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            // Beyond ±2^53 a float no longer names one integer; the amount limit is far below.
            if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
                Ok(v as i64)
            } else {
                Err(E::custom("must be a whole number"))
            }
        }
    }
    d.deserialize_any(Whole)
}

/// Why the share page does not offer Pay for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotPayableOnline {
    /// Not outstanding (draft, paid, cancelled), changes asked for, or nothing left to pay.
    NothingDue,
    /// Stripe cannot charge the balance exactly (its units for the currency): the reason.
    NotChargeable(String),
}

/// The amount, in Stripe's units, that Pay would charge for an invoice in `status` with
/// `due_cents` left in `currency`; or why Pay is not offered. The one rule for the share
/// page, the Pay route and the sender's invoice page.
pub fn online_charge(status: Status, due_cents: i64, currency: &str) -> Result<i64, NotPayableOnline> {
    if !status.offers_online_payment() || due_cents <= 0 {
        return Err(NotPayableOnline::NothingDue);
    }
    crate::stripe_units::to_stripe(due_cents, currency).map_err(|e| NotPayableOnline::NotChargeable(e.reason))
}

/// What was paid and what is due: the invoice's total less its payments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    pub total_cents: i64,
    pub paid_cents: i64,
    /// What credit notes took off the invoice.
    pub credited_cents: i64,
}

impl Balance {
    /// What is still owed: the total less credit notes and payments (never below zero).
    pub fn due_cents(self) -> i64 {
        (self.total_cents - self.credited_cents - self.paid_cents).max(0)
    }

    /// What the customer paid beyond what they owe once credited: to be refunded to them.
    pub fn refund_due_cents(self) -> i64 {
        (self.paid_cents - (self.total_cents - self.credited_cents)).max(0)
    }

    /// The balance after `amount_cents` is paid (negative: refunded), or why it cannot be.
    pub fn after(self, status: Status, amount_cents: i64) -> Result<Balance, Error> {
        if amount_cents == 0 {
            return Err(Error::invalid("amount_cents", "amount_cents must not be 0"));
        }
        if amount_cents > 0 && !status.accepts_payments() {
            return Err(Error::Conflict {
                message: match status {
                    Status::Draft => "invoice is a draft: send it before recording a payment".into(),
                    _ => format!("invoice is {status}: it takes no more payments"),
                },
                field: Some("amount_cents".into()),
            });
        }
        if amount_cents > self.due_cents() {
            return Err(Error::Conflict {
                message: format!("{amount_cents} cents is more than the balance due ({} cents)", self.due_cents()),
                field: Some("amount_cents".into()),
            });
        }
        if -amount_cents > self.paid_cents {
            return Err(Error::Conflict {
                message: format!(
                    "a refund of {} cents is more than was paid ({} cents)",
                    -amount_cents, self.paid_cents
                ),
                field: Some("amount_cents".into()),
            });
        }
        if amount_cents < 0 && status == Status::Paid && -amount_cents > self.refund_due_cents() {
            return Err(Error::Conflict {
                message: match self.refund_due_cents() {
                    0 => {
                        "invoice is paid and closed: issue a credit note for what you give back, then refund it".into()
                    }
                    due => format!(
                        "invoice is paid: refund at most the {due} cents credit notes left to give back (it stays paid)"
                    ),
                },
                field: Some("amount_cents".into()),
            });
        }
        Ok(Balance { paid_cents: self.paid_cents + amount_cents, ..self })
    }
}

impl PaymentInput {
    /// Checks what a schema cannot: the method a hand-recorded payment may have, and a date
    /// not after `today`. Amount rules need the invoice ([`Balance::after`]).
    pub fn check(&self, today: NaiveDate) -> Result<(), Error> {
        if self.method == PaymentMethod::Card {
            return Err(Error::invalid(
                "method",
                "card payments are recorded by Stripe Checkout (a negative card amount refunds one through Stripe); use bank_transfer, cash or other",
            ));
        }
        if self.amount_cents.abs() > crate::MAX_AMOUNT_CENTS {
            return Err(Error::invalid("amount_cents", "amount_cents is out of range"));
        }
        if self.paid_on.is_some_and(|d| d > today) {
            return Err(Error::invalid("paid_on", "paid_on cannot be in the future"));
        }
        if let Some(reference) = &self.reference
            && (reference.chars().count() > 200 || crate::validate::has_control_chars(reference))
        {
            return Err(Error::invalid("reference", "reference is at most 200 printable characters"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPEN: Status = Status::Sent;

    #[test]
    fn payments_bring_the_balance_down_to_zero_and_no_further() {
        let b = Balance { total_cents: 250_000, paid_cents: 0, credited_cents: 0 };
        let half = b.after(OPEN, 125_000).unwrap();
        assert_eq!(half.due_cents(), 125_000);
        assert_eq!(half.after(OPEN, 125_000).unwrap().due_cents(), 0);
        let err = half.after(OPEN, 125_001).unwrap_err();
        assert_eq!(err.field(), Some("amount_cents"));
        assert!(err.to_string().contains("more than the balance due"), "{err}");
    }

    #[test]
    fn refunds_give_back_at_most_what_was_paid() {
        let b = Balance { total_cents: 1_000, paid_cents: 400, credited_cents: 0 };
        assert_eq!(b.after(OPEN, -400).unwrap().paid_cents, 0);
        assert!(b.after(OPEN, -401).is_err());
        assert!(b.after(Status::Cancelled, -1).is_ok(), "a refund needs no open invoice");
        assert!(b.after(Status::Paid, -1).is_err(), "a paid invoice stays paid");
    }

    #[test]
    fn credit_notes_lower_what_is_owed_and_what_is_paid_beyond_it_is_given_back() {
        let paid = Balance { total_cents: 1_000, paid_cents: 1_000, credited_cents: 300 };
        assert_eq!((paid.due_cents(), paid.refund_due_cents()), (0, 300));
        assert_eq!(paid.after(Status::Paid, -300).unwrap().refund_due_cents(), 0);
        assert!(paid.after(Status::Paid, -301).is_err(), "a paid invoice refunds what was credited, no more");
        let open = Balance { total_cents: 1_000, paid_cents: 200, credited_cents: 300 };
        assert_eq!(open.due_cents(), 500);
        assert!(open.after(OPEN, 501).is_err());
        let cancelled = Balance { total_cents: 1_000, paid_cents: 200, credited_cents: 1_000 };
        assert_eq!(cancelled.refund_due_cents(), 200);
        assert_eq!(cancelled.after(Status::Cancelled, -200).unwrap().paid_cents, 0);
    }

    #[test]
    fn only_issued_open_invoices_take_payments() {
        let b = Balance { total_cents: 1_000, paid_cents: 0, credited_cents: 0 };
        for status in [Status::Draft, Status::Paid, Status::Cancelled] {
            assert!(matches!(b.after(status, 1), Err(Error::Conflict { .. })), "{status}");
        }
        for status in [Status::Sent, Status::Viewed, Status::ChangeRequested, Status::Updated, Status::Approved] {
            assert!(b.after(status, 1).is_ok(), "{status}");
        }
        assert_eq!(b.after(OPEN, 0).unwrap_err().field(), Some("amount_cents"));
    }

    #[test]
    fn amounts_are_whole_numbers_however_json_writes_them() {
        let read = |body: &str| serde_json::from_str::<PaymentInput>(body).map(|p| p.amount_cents);
        assert_eq!(read(r#"{"amount_cents": 125000, "method": "cash"}"#).unwrap(), 125_000);
        assert_eq!(read(r#"{"amount_cents": 16525302.0, "method": "cash"}"#).unwrap(), 16_525_302);
        assert_eq!(read(r#"{"amount_cents": -5, "method": "cash"}"#).unwrap(), -5);
        assert!(read(r#"{"amount_cents": 1.5, "method": "cash"}"#).is_err());
        assert!(read(r#"{"amount_cents": "100", "method": "cash"}"#).is_err());
    }

    #[test]
    fn hand_recorded_payments_are_not_card_and_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let input = |method, paid_on| PaymentInput { amount_cents: 100, method, reference: None, paid_on };
        assert!(input(PaymentMethod::BankTransfer, Some(today)).check(today).is_ok());
        assert_eq!(input(PaymentMethod::Card, None).check(today).unwrap_err().field(), Some("method"));
        let tomorrow = today.succ_opt();
        assert_eq!(input(PaymentMethod::Cash, tomorrow).check(today).unwrap_err().field(), Some("paid_on"));
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
        }
    }
}

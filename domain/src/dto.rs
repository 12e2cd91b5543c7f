//! The JSON shapes of the API (ji's one schema for REST, MCP and the UI).
//!
//! Inputs reject unknown fields (a typo such as `qty` must not silently become quantity 1)
//! but accept, and ignore, the read-only fields of the output, so a client may send back
//! what it received.

use crate::decimal;
use crate::einvoice::{EInvoiceFormat, EInvoiceVerdict};
use crate::language::Language;
use crate::status::Status;
use crate::vat::TaxCategory;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line3: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    /// The address as printed, one line each: street lines, "postal code city state", country.
    pub fn lines(&self) -> Vec<String> {
        let city =
            [&self.postal_code, &self.city, &self.state].into_iter().flatten().cloned().collect::<Vec<_>>().join(" ");
        [
            self.line1.clone(),
            self.line2.clone(),
            self.line3.clone(),
            Some(city).filter(|c| !c.is_empty()),
            self.country.clone(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A person to write to: the main contact or accounts payable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = "email"))]
    pub email: Option<String>,
}

/// Who the invoice is addressed to, as printed on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = "email"))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    /// The buyer's VAT id (BT-48), e.g. FR40303265045; an EU one is checked for its
    /// country's format and check digits. Reverse charge and intra-community lines need it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ap: Option<Contact>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = "email"))]
    pub cc_emails: Vec<String>,
    /// The e-invoice they receive (null: the customer's, else none). While it has violations
    /// (`e_invoice` on the invoice) the invoice cannot be sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_invoice_format: Option<EInvoiceFormat>,
    /// BT-10, the reference the buyer asks to be quoted; for German public buyers the
    /// Leitweg-ID XRechnung requires (e.g. 991-01234-56).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_reference: Option<String>,
    /// Their Peppol participant id, `scheme:identifier` (BT-49), e.g. 0088:4012345000009;
    /// Peppol BIS requires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peppol_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Discount {
    /// A percentage of the amount, e.g. 10 for 10% (up to 3 decimals).
    Percent {
        #[serde(with = "decimal::number")]
        #[cfg_attr(feature = "openapi", schema(value_type = f64))]
        value: Decimal,
    },
    /// A fixed amount in cents.
    Flat { value_cents: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LineItem {
    pub description: String,
    #[serde(with = "decimal::number")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64, default = 1))]
    pub quantity: Decimal,
    /// Cents (or smallest currency unit)
    pub unit_price_cents: i64,
    pub discount: Option<Discount>,
    /// The line's own VAT; null: the invoice's `tax` applies (standard at its rate, zero_rated
    /// at 0, or no tax at all).
    #[serde(default)]
    pub tax: Option<LineTax>,
    /// The line discount in cents (of the entered amount: gross when prices include tax).
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub discount_cents: i64,
    /// The line's net amount (EN 16931 BT-131): quantity × unit price − discount, and net of
    /// VAT when prices include tax.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub line_total_cents: i64,
}

/// A line's VAT (EN 16931 BT-151, BT-152). `standard` takes a rate above 0; every other
/// category has rate 0. `exempt`, `reverse_charge`, `intra_community`, `export` and
/// `outside_scope` print an exemption reason: the one given, or the category's default text in
/// the document's language (`exempt` has none: give the reason or a VATEX code).
/// `reverse_charge` and `intra_community` need the buyer's VAT id (`recipient.vat_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LineTax {
    #[serde(default = "standard")]
    #[cfg_attr(feature = "openapi", schema(default = "standard"))]
    pub category: TaxCategory,
    /// Percent, e.g. 19 for 19% (up to 3 decimals); 0 for every category but standard.
    #[serde(default, with = "decimal::number")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub rate: Decimal,
    /// Why no VAT is charged (BT-120), printed on the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason: Option<String>,
    /// The CEF VATEX code (BT-121), e.g. VATEX-EU-132; AE, K, G and O imply theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vatex: Option<String>,
}

fn standard() -> TaxCategory {
    TaxCategory::Standard
}

/// One line of the VAT breakdown (EN 16931 BG-23): the lines of one category and rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TaxBreakdown {
    pub category: TaxCategory,
    /// The UNCL 5305 code: S, Z, E, AE, K, G or O.
    pub category_code: String,
    #[serde(with = "decimal::number")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub rate: Decimal,
    /// BT-116: the group's line net amounts less its share of the invoice discount.
    pub taxable_cents: i64,
    /// BT-117 = round(taxable × rate / 100), half away from zero.
    pub tax_cents: i64,
    /// Prices including tax only: the cent by which taxable + tax differs from the lines'
    /// gross (at most one either way); part of the invoice's rounding_cents (BT-114).
    pub rounding_cents: i64,
    /// taxable + tax + rounding.
    pub gross_cents: i64,
    /// BT-120, for every category but standard and zero_rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason: Option<String>,
    /// BT-121.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vatex: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Tax {
    pub label: Option<String>,
    /// Percentage, e.g. 20.0 for 20%
    #[serde(with = "decimal::number")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub rate: Decimal,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub amount_cents: i64,
}

/// An invoice as every surface returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Invoice {
    /// Invoice number, e.g. ACME-0001
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub id: String,
    pub customer_id: Option<i64>,
    pub status: Status,
    #[cfg_attr(feature = "openapi", schema(default = "USD"))]
    pub currency: String,
    /// The language its documents are written in (share page, PDF, the recipient's mails, the
    /// default tax texts): given on the invoice, else the customer's, else English.
    #[serde(default)]
    pub language: Language,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub recipient: Recipient,
    pub line_items: Vec<LineItem>,
    pub discount: Option<Discount>,
    /// The invoice-level discount in cents.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub discount_cents: i64,
    pub tax: Option<Tax>,
    /// Unit prices and discounts are gross (VAT included); the document shows net, tax and
    /// gross per rate.
    #[serde(default)]
    pub prices_include_tax: bool,
    /// The sum of the line net amounts (BT-106).
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub subtotal_cents: i64,
    /// The VAT of the invoice (BT-110): the sum of the breakdown's tax.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub tax_cents: i64,
    /// Per VAT category and rate: taxable amount, tax, reason.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub tax_breakdown: Vec<TaxBreakdown>,
    /// Prices including tax only: the cents by which the lines' gross differs from taxable +
    /// tax (BT-114), at most one per breakdown line.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub rounding_cents: i64,
    /// What the invoice asks for: taxable + tax + rounding.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub total_cents: i64,
    /// The sum of its payments less refunds.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub amount_paid_cents: i64,
    /// What is still to pay: total_cents - credited_cents - amount_paid_cents, never below 0
    /// (0 once cancelled).
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub balance_due_cents: i64,
    /// What credit notes took off the invoice (its cancellation takes all of it).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub credited_cents: i64,
    /// What the customer paid beyond what they owe after credit notes: to be refunded to them
    /// (record the refund as a negative payment, or refund a card payment through Stripe).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub refund_due_cents: i64,
    pub po_number: Option<String>,
    pub terms_text: Option<String>,
    pub footer_note: Option<String>,
    pub subscription_context: Option<String>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub share_token: String,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub share_url: String,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub sent_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub paid_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub created_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub updated_at: DateTime<Utc>,
    /// Automatic payment reminders for this invoice (the sender's policy); off: none.
    /// Changed with PUT /invoices/{number}/reminders.
    #[serde(default = "yes")]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub reminders_enabled: bool,
    /// The recurring invoice it was made from.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub recurring_invoice_id: Option<i64>,
    /// The e-invoice check (EN 16931 and the recipient's format; Factur-X when they have
    /// none): on single-invoice responses, absent from lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub e_invoice: Option<EInvoiceVerdict>,
    /// The customer, when asked for with `expand=customer` (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub customer: Option<Box<Customer>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Customer {
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub id: i64,
    /// Stable short code used in invoice numbers, e.g. ACME.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub code: String,
    pub company: String,
    pub contact: Option<Contact>,
    pub ap_contact: Option<Contact>,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, format = "email"))]
    pub cc_emails: Vec<String>,
    pub billing_entity: Option<String>,
    pub address: Option<Address>,
    pub tax_id: Option<String>,
    /// The customer's VAT id, e.g. FR40303265045 (EU ids are checked for format and check
    /// digits). With one from another EU country than yours, the editor proposes reverse charge.
    pub vat_id: Option<String>,
    /// The language their invoices are written in by default (null: English).
    #[serde(default)]
    pub language: Option<Language>,
    pub po_required: bool,
    pub notes: Option<String>,
    /// The e-invoice their invoices carry or come with.
    #[serde(default)]
    pub e_invoice_format: EInvoiceFormat,
    /// BT-10: the Leitweg-ID of a German public buyer, or the reference they ask for.
    pub buyer_reference: Option<String>,
    /// Peppol participant id, `scheme:identifier` (BT-49).
    pub peppol_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub created_at: DateTime<Utc>,
}

/// Body of POST /customers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    pub company: Option<String>,
    pub contact: Option<Contact>,
    pub ap_contact: Option<Contact>,
    #[serde(default)]
    pub cc_emails: Vec<String>,
    pub billing_entity: Option<String>,
    pub address: Option<Address>,
    pub tax_id: Option<String>,
    pub vat_id: Option<String>,
    pub language: Option<Language>,
    #[serde(default)]
    pub po_required: bool,
    pub notes: Option<String>,
    pub e_invoice_format: Option<EInvoiceFormat>,
    pub buyer_reference: Option<String>,
    pub peppol_id: Option<String>,
    // Read-only fields a client may echo back.
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    #[serde(default, rename = "code")]
    _code: Option<IgnoredAny>,
    #[serde(default, rename = "created_at")]
    _created_at: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItemInput {
    pub description: Option<String>,
    #[serde(default, with = "decimal::opt_number")]
    pub quantity: Option<Decimal>,
    pub unit_price_cents: Option<i64>,
    pub discount: Option<Discount>,
    pub tax: Option<LineTax>,
    #[serde(default, rename = "line_total_cents")]
    _line_total_cents: Option<IgnoredAny>,
    #[serde(default, rename = "discount_cents")]
    _discount_cents: Option<IgnoredAny>,
}

impl LineItemInput {
    pub fn new(description: &str, quantity: Decimal, unit_price_cents: i64, discount: Option<Discount>) -> Self {
        LineItemInput {
            description: Some(description.to_string()),
            quantity: Some(quantity),
            unit_price_cents: Some(unit_price_cents),
            discount,
            tax: None,
            _line_total_cents: None,
            _discount_cents: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxInput {
    pub label: Option<String>,
    #[serde(default, with = "decimal::opt_number")]
    pub rate: Option<Decimal>,
    #[serde(default, rename = "amount_cents")]
    _amount_cents: Option<IgnoredAny>,
}

impl TaxInput {
    pub fn new(label: Option<String>, rate: Decimal) -> Self {
        TaxInput { label, rate: Some(rate), _amount_cents: None }
    }
}

/// Absent (`None`), null (`Some(None)`) or a value: PATCH tells "leave" from "clear".
pub type Patch<T> = Option<Option<T>>;

fn patch<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Patch<T>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Body of POST /invoices and of PATCH /invoices/{number}. On PATCH every field is optional
/// and null clears an optional field; on create null means the same as leaving it out.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceInput {
    pub customer_id: Option<i64>,
    pub recipient: Option<Recipient>,
    pub currency: Option<String>,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub line_items: Option<Vec<LineItemInput>>,
    #[serde(default, deserialize_with = "patch")]
    pub discount: Patch<Discount>,
    #[serde(default, deserialize_with = "patch")]
    pub tax: Patch<TaxInput>,
    pub prices_include_tax: Option<bool>,
    /// Absent on create: the customer's language (else English); on PATCH: unchanged.
    pub language: Option<Language>,
    #[serde(default, deserialize_with = "patch")]
    pub po_number: Patch<String>,
    #[serde(default, deserialize_with = "patch")]
    pub terms_text: Patch<String>,
    #[serde(default, deserialize_with = "patch")]
    pub footer_note: Patch<String>,
    #[serde(default, deserialize_with = "patch")]
    pub subscription_context: Patch<String>,
    /// On create only "draft"; on PATCH a sender may set sent, paid or cancelled.
    pub status: Option<Status>,
    // The read-only fields of Invoice, accepted and ignored.
    #[serde(default, rename = "id")]
    _id: Option<IgnoredAny>,
    #[serde(default, rename = "share_token")]
    _share_token: Option<IgnoredAny>,
    #[serde(default, rename = "share_url")]
    _share_url: Option<IgnoredAny>,
    #[serde(default, rename = "subtotal_cents")]
    _subtotal_cents: Option<IgnoredAny>,
    #[serde(default, rename = "discount_cents")]
    _discount_cents: Option<IgnoredAny>,
    #[serde(default, rename = "total_cents")]
    _total_cents: Option<IgnoredAny>,
    #[serde(default, rename = "tax_cents")]
    _tax_cents: Option<IgnoredAny>,
    #[serde(default, rename = "tax_breakdown")]
    _tax_breakdown: Option<IgnoredAny>,
    #[serde(default, rename = "rounding_cents")]
    _rounding_cents: Option<IgnoredAny>,
    #[serde(default, rename = "amount_paid_cents")]
    _amount_paid_cents: Option<IgnoredAny>,
    #[serde(default, rename = "balance_due_cents")]
    _balance_due_cents: Option<IgnoredAny>,
    #[serde(default, rename = "credited_cents")]
    _credited_cents: Option<IgnoredAny>,
    #[serde(default, rename = "refund_due_cents")]
    _refund_due_cents: Option<IgnoredAny>,
    #[serde(default, rename = "sent_at")]
    _sent_at: Option<IgnoredAny>,
    #[serde(default, rename = "paid_at")]
    _paid_at: Option<IgnoredAny>,
    #[serde(default, rename = "created_at")]
    _created_at: Option<IgnoredAny>,
    #[serde(default, rename = "updated_at")]
    _updated_at: Option<IgnoredAny>,
    #[serde(default, rename = "reminders_enabled")]
    _reminders_enabled: Option<IgnoredAny>,
    #[serde(default, rename = "recurring_invoice_id")]
    _recurring_invoice_id: Option<IgnoredAny>,
}

impl InvoiceInput {
    /// A PATCH that changes the status only (cancel, mark paid).
    pub fn to_status(status: Status) -> InvoiceInput {
        InvoiceInput { status: Some(status), ..InvoiceInput::default() }
    }

    /// True when the patch changes what the invoice says (not only its status).
    pub fn changes_content(&self) -> bool {
        self.recipient.is_some()
            || self.currency.is_some()
            || self.issue_date.is_some()
            || self.due_date.is_some()
            || self.line_items.is_some()
            || self.discount.is_some()
            || self.tax.is_some()
            || self.prices_include_tax.is_some()
            || self.language.is_some()
            || self.po_number.is_some()
            || self.terms_text.is_some()
            || self.footer_note.is_some()
            || self.subscription_context.is_some()
    }
}

/// The sender as an invoice prints them (page and PDF alike).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SenderCard {
    pub company: String,
    /// Address lines, ready to print.
    pub lines: Vec<String>,
    pub tax_id: Option<String>,
    pub vat_id: Option<String>,
    pub email: Option<String>,
    /// Bank details as (label, value).
    pub payment: Vec<(String, String)>,
    pub country: Option<String>,
    /// Where a SEPA transfer goes (the EPC QR code's beneficiary), when there is an IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<crate::epc::BankTransfer>,
}

/// A webhook subscription as the API returns it; `secret` only in the answer that creates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Webhook {
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(format = "uri"))]
    pub url: String,
    pub description: Option<String>,
    /// Empty array = all events
    pub event_types: Vec<String>,
    pub active: bool,
    /// Signing secret. Returned only on POST /webhooks; store immediately.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub last_delivered_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub last_status: Option<i32>,
    /// Why the subscription stopped (410 Gone, failing for days); null while active or paused
    /// by its owner.
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub disabled_reason: Option<String>,
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub created_at: DateTime<Utc>,
}

/// One event on its way to one subscription; every retry of it carries the same `event_id`
/// (the `webhook-id` header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookDelivery {
    #[cfg_attr(feature = "openapi", schema(read_only))]
    pub id: i64,
    pub subscription_id: i64,
    pub event_id: String,
    pub event_type: String,
    /// Attempts made so far.
    pub attempt: i32,
    pub max_attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<i64>,
    pub succeeded: bool,
    pub failed_permanently: bool,
    pub created_at: DateTime<Utc>,
    /// The body as posted (GET of one delivery only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub payload: Option<serde_json::Value>,
    /// Every attempt, oldest first (GET of one delivery only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub attempts: Option<Vec<WebhookAttempt>>,
}

/// One POST of a delivery and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebhookAttempt {
    pub attempt: i32,
    pub attempted_at: DateTime<Utc>,
    /// The HTTP status, or null when no answer came (refused, timed out).
    pub status: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    /// The start of the response body (at most 1 KB).
    pub response_body: Option<String>,
}

/// Body of POST /webhooks and PATCH /webhooks/{id}.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    pub url: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub description: Option<String>,
    pub active: Option<bool>,
}

/// A page of a list, newest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema), schema(as = Error))]
pub struct ErrorBody {
    pub error: String,
    pub field: Option<String>,
    /// A 422 for an e-invoice the recipient needs: every rule it breaks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<crate::einvoice::EInvoiceViolation>,
}

/// One entry of the sender's timeline (GET /events): what happened to which invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TimelineEvent {
    pub id: i64,
    /// e.g. invoice.sent, invoice.reminder_sent, credit_note.created (the webhook event types).
    #[serde(rename = "type")]
    pub event_type: String,
    /// The invoice's number.
    pub invoice: String,
    /// sender, recipient, api, system or anonymous.
    pub actor: String,
    /// The event's details (as the webhook carries them, without the recipient's IP address).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

fn yes() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_refused_but_read_only_ones_pass() {
        let err = serde_json::from_str::<InvoiceInput>(r#"{"qty": 2}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `qty`"), "{err}");
        let ok: InvoiceInput =
            serde_json::from_str(r#"{"id":"ACME-0001","total_cents":5,"share_url":"x","due_date":"2026-06-01"}"#)
                .unwrap();
        assert_eq!(ok.due_date, NaiveDate::from_ymd_opt(2026, 6, 1));
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let p: InvoiceInput = serde_json::from_str(r#"{"discount": null}"#).unwrap();
        assert_eq!(p.discount, Some(None));
        assert!(p.tax.is_none());
        assert!(p.changes_content());
        let p: InvoiceInput = serde_json::from_str(r#"{"status": "paid"}"#).unwrap();
        assert!(!p.changes_content());
    }

    #[test]
    fn discounts_use_the_spec_shapes() {
        let d: Discount = serde_json::from_str(r#"{"type":"percent","value":12.5}"#).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"type":"percent","value":12.5}"#);
        let d: Discount = serde_json::from_str(r#"{"type":"flat","value_cents":500}"#).unwrap();
        assert_eq!(d, Discount::Flat { value_cents: 500 });
    }
}

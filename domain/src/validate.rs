//! Turning API input into validated invoice content, with a field path on every refusal.

use crate::dto::{Address, Contact, CustomerInput, Discount, InvoiceInput, LineItemInput, Recipient, TaxInput};
use crate::totals::{LineCalc, Totals, compute_totals};
use crate::{Error, MAX_AMOUNT_CENTS, MAX_DESCRIPTION_CHARS, MAX_LINE_ITEMS, Status, currency, decimal};
use chrono::NaiveDate;
use rust_decimal::Decimal;

const MAX_QUANTITY: i64 = 1_000_000_000;
const MAX_SHORT_TEXT: usize = 200;
const MAX_LONG_TEXT: usize = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub struct LineContent {
    pub description: String,
    pub quantity: Decimal,
    pub unit_price_cents: i64,
    pub discount: Option<Discount>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaxContent {
    pub label: Option<String>,
    pub rate: Decimal,
}

/// Everything an invoice says, valid as a whole once `check` passes.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceContent {
    pub recipient: Recipient,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub line_items: Vec<LineContent>,
    pub discount: Option<Discount>,
    pub tax: Option<TaxContent>,
    pub po_number: Option<String>,
    pub terms_text: Option<String>,
    pub footer_note: Option<String>,
    pub subscription_context: Option<String>,
}

/// What the sender's profile fills in when the input leaves it out.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub currency: String,
    pub today: NaiveDate,
}

/// Trimmed text, None when blank, refused when longer than `max` characters.
pub fn text(value: Option<String>, field: &str, max: usize) -> Result<Option<String>, Error> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(Error::invalid(field, format!("at most {max} characters")));
    }
    if has_control_chars(v) {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(Some(v.to_string()))
}

/// Control characters other than line breaks and tabs (PostgreSQL cannot even store NUL).
pub fn has_control_chars(value: &str) -> bool {
    value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else { return false };
    !local.is_empty()
        && value.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == ';')
        && !domain.contains('@')
}

pub fn email(value: Option<String>, field: &str) -> Result<Option<String>, Error> {
    match text(value, field, 254)? {
        Some(e) if !is_email(&e) => Err(Error::invalid(field, "not a valid e-mail address")),
        other => Ok(other),
    }
}

fn emails(values: Vec<String>, field: &str) -> Result<Vec<String>, Error> {
    if values.len() > 20 {
        return Err(Error::invalid(field, "at most 20 addresses"));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        if let Some(e) = email(Some(v), &format!("{field}[{i}]"))?
            && !out.iter().any(|o| o.eq_ignore_ascii_case(&e))
        {
            out.push(e);
        }
    }
    Ok(out)
}

pub fn address(a: Option<Address>, field: &str) -> Result<Option<Address>, Error> {
    let Some(a) = a else { return Ok(None) };
    let f = |name: &str| format!("{field}.{name}");
    let a = Address {
        line1: text(a.line1, &f("line1"), MAX_SHORT_TEXT)?,
        line2: text(a.line2, &f("line2"), MAX_SHORT_TEXT)?,
        line3: text(a.line3, &f("line3"), MAX_SHORT_TEXT)?,
        city: text(a.city, &f("city"), MAX_SHORT_TEXT)?,
        state: text(a.state, &f("state"), MAX_SHORT_TEXT)?,
        postal_code: text(a.postal_code, &f("postal_code"), 40)?,
        country: text(a.country, &f("country"), MAX_SHORT_TEXT)?,
    };
    Ok(if a == Address::default() { None } else { Some(a) })
}

pub fn contact(c: Option<Contact>, field: &str) -> Result<Option<Contact>, Error> {
    let Some(c) = c else { return Ok(None) };
    let c = Contact {
        name: text(c.name, &format!("{field}.name"), MAX_SHORT_TEXT)?,
        email: email(c.email, &format!("{field}.email"))?,
    };
    Ok(if c == Contact::default() { None } else { Some(c) })
}

/// A recipient must name a company or an e-mail address.
pub fn recipient(r: Recipient) -> Result<Recipient, Error> {
    let r = Recipient {
        company: text(r.company, "recipient.company", MAX_SHORT_TEXT)?,
        name: text(r.name, "recipient.name", MAX_SHORT_TEXT)?,
        email: email(r.email, "recipient.email")?,
        tax_id: text(r.tax_id, "recipient.tax_id", 64)?,
        address: address(r.address, "recipient.address")?,
        ap: contact(r.ap, "recipient.ap")?,
        cc_emails: emails(r.cc_emails, "recipient.cc_emails")?,
    };
    if r.company.is_none() && r.email.is_none() {
        return Err(Error::invalid("recipient", "a recipient needs a company or an e-mail address"));
    }
    Ok(r)
}

/// A validated customer: company is required.
pub fn customer(mut c: CustomerInput) -> Result<CustomerInput, Error> {
    c.company = text(c.company, "company", MAX_SHORT_TEXT)?;
    if c.company.is_none() {
        return Err(Error::invalid("company", "company is required"));
    }
    c.contact = contact(c.contact, "contact")?;
    c.ap_contact = contact(c.ap_contact, "ap_contact")?;
    c.cc_emails = emails(c.cc_emails, "cc_emails")?;
    c.billing_entity = text(c.billing_entity, "billing_entity", MAX_SHORT_TEXT)?;
    c.address = address(c.address, "address")?;
    c.tax_id = text(c.tax_id, "tax_id", 64)?;
    c.notes = text(c.notes, "notes", MAX_LONG_TEXT)?;
    Ok(c)
}

pub fn currency_code(value: &str) -> Result<String, Error> {
    let code = value.trim().to_ascii_uppercase();
    if currency::minor_units(&code).is_none() {
        return Err(Error::invalid("currency", "not a supported ISO 4217 currency code"));
    }
    Ok(code)
}

fn line(input: LineItemInput, i: usize) -> Result<LineContent, Error> {
    let path = |f: &str| format!("line_items[{i}].{f}");
    let description = text(input.description, &path("description"), MAX_DESCRIPTION_CHARS)?
        .ok_or_else(|| Error::invalid(path("description"), "description is required"))?;
    let quantity = input.quantity.unwrap_or(Decimal::ONE);
    if quantity <= Decimal::ZERO {
        return Err(Error::invalid(path("quantity"), "must be greater than 0"));
    }
    if decimal::decimals(quantity) > 6 {
        return Err(Error::invalid(path("quantity"), "at most 6 decimals"));
    }
    if quantity > Decimal::from(MAX_QUANTITY) {
        return Err(Error::invalid(path("quantity"), "too large"));
    }
    let unit_price_cents = input
        .unit_price_cents
        .ok_or_else(|| Error::invalid(path("unit_price_cents"), "unit_price_cents is required"))?;
    if !(0..=MAX_AMOUNT_CENTS).contains(&unit_price_cents) {
        return Err(Error::invalid(path("unit_price_cents"), "must be between 0 and 10^12 cents"));
    }
    Ok(LineContent { description, quantity, unit_price_cents, discount: input.discount })
}

fn lines(items: Vec<LineItemInput>) -> Result<Vec<LineContent>, Error> {
    if items.is_empty() {
        return Err(Error::invalid("line_items", "at least one line item is required"));
    }
    if items.len() > MAX_LINE_ITEMS {
        return Err(Error::invalid("line_items", format!("at most {MAX_LINE_ITEMS} line items")));
    }
    items.into_iter().enumerate().map(|(i, l)| line(l, i)).collect()
}

fn tax(t: TaxInput) -> Result<TaxContent, Error> {
    let rate = t.rate.ok_or_else(|| Error::invalid("tax.rate", "rate is required"))?;
    Ok(TaxContent { label: text(t.label, "tax.label", 60)?, rate })
}

impl InvoiceContent {
    /// Validates a new invoice. `recipient` is None when the caller will fill it from the
    /// customer named by the returned customer_id.
    pub fn from_input(input: InvoiceInput, defaults: &Defaults) -> Result<(InvoiceContent, Option<i64>), Error> {
        if let Some(status) = input.status.filter(|s| *s != Status::Draft) {
            return Err(Error::invalid(
                "status",
                format!("new invoices start as draft, not {status}; send one with PATCH status \"sent\""),
            ));
        }
        let recipient = match (input.recipient, input.customer_id) {
            (Some(r), _) => recipient(r)?,
            (None, Some(_)) => Recipient::default(),
            (None, None) => {
                return Err(Error::invalid("recipient", "give a recipient (company or e-mail) or a customer_id"));
            }
        };
        let line_items =
            lines(input.line_items.ok_or_else(|| Error::invalid("line_items", "line_items is required"))?)?;
        let due_date = input.due_date.ok_or_else(|| Error::invalid("due_date", "due_date is required (YYYY-MM-DD)"))?;
        // Back-dated invoices are legitimate (billing past work): without an explicit
        // issue_date, an invoice due before today counts as issued on its due date.
        let issue_date = input.issue_date.unwrap_or(defaults.today.min(due_date));
        let content = InvoiceContent {
            recipient,
            currency: currency_code(input.currency.as_deref().unwrap_or(&defaults.currency))?,
            issue_date,
            due_date,
            line_items,
            discount: input.discount.flatten(),
            tax: input.tax.flatten().map(tax).transpose()?,
            po_number: text(input.po_number.flatten(), "po_number", 100)?,
            terms_text: text(input.terms_text.flatten(), "terms_text", MAX_LONG_TEXT)?,
            footer_note: text(input.footer_note.flatten(), "footer_note", MAX_LONG_TEXT)?,
            subscription_context: text(input.subscription_context.flatten(), "subscription_context", 1_000)?,
        };
        content.check()?;
        Ok((content, input.customer_id))
    }

    /// The content after a PATCH, validated as a whole.
    pub fn patched(&self, p: InvoiceInput) -> Result<InvoiceContent, Error> {
        let mut c = self.clone();
        if let Some(r) = p.recipient {
            c.recipient = recipient(r)?;
        }
        if let Some(cur) = p.currency {
            c.currency = currency_code(&cur)?;
        }
        if let Some(d) = p.issue_date {
            c.issue_date = d;
        }
        if let Some(d) = p.due_date {
            c.due_date = d;
        }
        if let Some(items) = p.line_items {
            c.line_items = lines(items)?;
        }
        if let Some(d) = p.discount {
            c.discount = d;
        }
        if let Some(t) = p.tax {
            c.tax = t.map(tax).transpose()?;
        }
        if let Some(v) = p.po_number {
            c.po_number = text(v, "po_number", 100)?;
        }
        if let Some(v) = p.terms_text {
            c.terms_text = text(v, "terms_text", MAX_LONG_TEXT)?;
        }
        if let Some(v) = p.footer_note {
            c.footer_note = text(v, "footer_note", MAX_LONG_TEXT)?;
        }
        if let Some(v) = p.subscription_context {
            c.subscription_context = text(v, "subscription_context", 1_000)?;
        }
        c.check()?;
        Ok(c)
    }

    /// Whole-invoice rules, then the totals.
    pub fn check(&self) -> Result<Totals, Error> {
        if self.due_date < self.issue_date {
            return Err(Error::invalid("due_date", "due_date cannot be before issue_date"));
        }
        self.totals()
    }

    pub fn totals(&self) -> Result<Totals, Error> {
        let calcs: Vec<LineCalc<'_>> = self
            .line_items
            .iter()
            .map(|l| LineCalc {
                quantity: l.quantity,
                unit_price_cents: l.unit_price_cents,
                discount: l.discount.as_ref(),
            })
            .collect();
        compute_totals(&calcs, self.discount.as_ref(), self.tax.as_ref().map(|t| t.rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults { currency: "USD".into(), today: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap() }
    }

    fn input(json: &str) -> InvoiceInput {
        serde_json::from_str(json).unwrap()
    }

    fn refusal(json: &str) -> Option<String> {
        InvoiceContent::from_input(input(json), &defaults()).err().and_then(|e| e.field().map(str::to_string))
    }

    #[test]
    fn the_guide_minimum_payload_is_valid() {
        let (c, customer) = InvoiceContent::from_input(
            input(
                r#"{"currency":"USD","due_date":"2026-06-01","recipient":{"company":"Acme Corp","email":"ap@acme.com"},
                "line_items":[{"description":"Brand identity system","quantity":1,"unit_price_cents":250000}]}"#,
            ),
            &defaults(),
        )
        .unwrap();
        assert_eq!(customer, None);
        assert_eq!(c.issue_date, defaults().today);
        assert_eq!(c.totals().unwrap().total_cents, 250_000);
        let (past, _) = InvoiceContent::from_input(
            input(r#"{"due_date":"2026-04-01","recipient":{"company":"A"},"line_items":[{"description":"a","unit_price_cents":1}]}"#),
            &defaults(),
        )
        .unwrap();
        assert_eq!(past.issue_date, past.due_date);
    }

    #[test]
    fn refusals_name_the_field() {
        let base =
            |lines: &str| format!(r#"{{"due_date":"2026-06-01","recipient":{{"company":"A"}},"line_items":{lines}}}"#);
        assert_eq!(refusal(&base("[]")).as_deref(), Some("line_items"));
        assert_eq!(
            refusal(&base(r#"[{"description":"a","unit_price_cents":1},{"description":" ","unit_price_cents":1}]"#))
                .as_deref(),
            Some("line_items[1].description")
        );
        assert_eq!(
            refusal(&base(r#"[{"description":"a","quantity":0,"unit_price_cents":1}]"#)).as_deref(),
            Some("line_items[0].quantity")
        );
        assert_eq!(
            refusal(&base(r#"[{"description":"a","quantity":0.0000001,"unit_price_cents":1}]"#)).as_deref(),
            Some("line_items[0].quantity")
        );
        assert_eq!(
            refusal(&base(r#"[{"description":"a","unit_price_cents":-1}]"#)).as_deref(),
            Some("line_items[0].unit_price_cents")
        );
        assert_eq!(
            refusal(r#"{"due_date":"2026-06-01","line_items":[{"description":"a","unit_price_cents":1}]}"#).as_deref(),
            Some("recipient")
        );
        assert_eq!(
            refusal(r#"{"recipient":{"email":"nope"},"due_date":"2026-06-01","line_items":[]}"#).as_deref(),
            Some("recipient.email")
        );
        assert_eq!(
            refusal(r#"{"recipient":{"company":"A"},"line_items":[{"description":"a","unit_price_cents":1}]}"#)
                .as_deref(),
            Some("due_date")
        );
        assert_eq!(
            refusal(r#"{"currency":"XYZ","recipient":{"company":"A"},"due_date":"2026-06-01","line_items":[{"description":"a","unit_price_cents":1}]}"#)
                .as_deref(),
            Some("currency")
        );
        assert_eq!(
            refusal(r#"{"issue_date":"2026-07-01","recipient":{"company":"A"},"due_date":"2026-06-01","line_items":[{"description":"a","unit_price_cents":1}]}"#)
                .as_deref(),
            Some("due_date")
        );
    }

    #[test]
    fn a_patch_is_validated_as_a_whole() {
        let (c, _) = InvoiceContent::from_input(
            input(r#"{"due_date":"2026-06-01","recipient":{"company":"A"},"line_items":[{"description":"a","unit_price_cents":100}]}"#),
            &defaults(),
        )
        .unwrap();
        let p: InvoiceInput =
            serde_json::from_str(r#"{"discount":{"type":"flat","value_cents":50},"po_number":"PO-9"}"#).unwrap();
        let patched = c.patched(p).unwrap();
        assert_eq!(patched.totals().unwrap().total_cents, 50);
        assert_eq!(patched.po_number.as_deref(), Some("PO-9"));
        let p: InvoiceInput = serde_json::from_str(r#"{"discount":{"type":"flat","value_cents":500}}"#).unwrap();
        assert_eq!(c.patched(p).unwrap_err().field(), Some("discount.value_cents"));
        let p: InvoiceInput = serde_json::from_str(r#"{"po_number":null}"#).unwrap();
        assert_eq!(patched.patched(p).unwrap().po_number, None);
    }

    #[test]
    fn customers_need_a_company_and_valid_emails() {
        let c: CustomerInput = serde_json::from_str(r#"{"contact":{"email":"a@b.co"}}"#).unwrap();
        assert_eq!(customer(c).unwrap_err().field(), Some("company"));
        let c: CustomerInput = serde_json::from_str(r#"{"company":"A","cc_emails":["x@y.z","bad"]}"#).unwrap();
        assert_eq!(customer(c).unwrap_err().field(), Some("cc_emails[1]"));
    }
}

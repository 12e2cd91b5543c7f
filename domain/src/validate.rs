//! Turning API input into validated invoice content, with a field path on every refusal.

use crate::dto::{
    Address, Contact, CustomerInput, Discount, InvoiceInput, LineItemInput, LineTax, Recipient, TaxBreakdown, TaxInput,
};
use crate::totals::{LineCalc, TaxedLine, Totals, check_percent, compute_vat_totals};
use crate::vat::TaxCategory;
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
    /// The line's own VAT; None: the invoice's `tax` applies.
    pub tax: Option<LineTax>,
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
    pub prices_include_tax: bool,
    /// The documents' language; None until the customer's is taken (on create).
    pub language: Option<crate::Language>,
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
        vat_id: vat_id(r.vat_id, "recipient.vat_id")?,
        address: address(r.address, "recipient.address")?,
        ap: contact(r.ap, "recipient.ap")?,
        cc_emails: emails(r.cc_emails, "recipient.cc_emails")?,
        e_invoice_format: r.e_invoice_format,
        buyer_reference: text(r.buyer_reference, "recipient.buyer_reference", MAX_SHORT_TEXT)?,
        peppol_id: peppol_id(r.peppol_id, "recipient.peppol_id")?,
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
    c.vat_id = vat_id(c.vat_id, "vat_id")?;
    c.notes = text(c.notes, "notes", MAX_LONG_TEXT)?;
    c.buyer_reference = text(c.buyer_reference, "buyer_reference", MAX_SHORT_TEXT)?;
    c.peppol_id = peppol_id(c.peppol_id, "peppol_id")?;
    Ok(c)
}

/// A VAT id as printed: an EU one checked for its country's format and check digits
/// (`vat_id::parse_vat_id`), written compact (DE123456789); another country's kept as given
/// once it starts with that country's two letters.
pub fn vat_id(value: Option<String>, field: &str) -> Result<Option<String>, Error> {
    let Some(v) = text(value, field, 64)? else { return Ok(None) };
    match crate::vat_id::parse_vat_id(&v) {
        Ok(id) => Ok(Some(id.to_string())),
        Err(why) if crate::vat_id::has_eu_prefix(&v) => Err(Error::invalid(field, why)),
        Err(_) if v.get(..2).is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic())) => Ok(Some(v)),
        Err(why) => Err(Error::invalid(field, why)),
    }
}

/// A Peppol participant id as `scheme:identifier`: the scheme a four-digit code of the CEF
/// EAS list (0088 GLN, 0204 Leitweg-ID, 9930 German VAT id…), the identifier up to 60
/// characters without spaces. The scheme's own check (a GLN's digit) is the e-invoice verdict's.
pub fn peppol_id(value: Option<String>, field: &str) -> Result<Option<String>, Error> {
    let Some(v) = text(value, field, 80)? else { return Ok(None) };
    let v = v.strip_prefix("iso6523-actorid-upis::").unwrap_or(&v);
    let shaped = v.split_once(':').filter(|(scheme, id)| {
        scheme.len() == 4
            && scheme.chars().all(|c| c.is_ascii_digit())
            && !id.is_empty()
            && id.chars().count() <= 60
            && !id.chars().any(char::is_whitespace)
    });
    match shaped {
        Some(_) => Ok(Some(v.to_string())),
        None => {
            Err(Error::invalid(field, "a Peppol id is scheme:identifier, e.g. 0088:4012345000009 or 9930:DE123456789"))
        }
    }
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
    let tax = input.tax.map(|t| line_tax(t, i)).transpose()?;
    Ok(LineContent { description, quantity, unit_price_cents, discount: input.discount, tax })
}

/// A line's own VAT, consistent in itself (EN 16931 BR-S-5, BR-S-10, BR-E-10 and their kin).
fn line_tax(t: LineTax, i: usize) -> Result<LineTax, Error> {
    let path = |f: &str| format!("line_items[{i}].tax.{f}");
    check_percent(t.rate, &path("rate"))?;
    if t.category == TaxCategory::Standard && t.rate.is_zero() {
        return Err(Error::invalid(path("rate"), "a standard line has a rate above 0; a line at 0% is zero_rated"));
    }
    if t.category.is_zero_rate() && !t.rate.is_zero() {
        return Err(Error::invalid(path("rate"), format!("a {} line has rate 0", t.category.as_str())));
    }
    let exemption_reason = text(t.exemption_reason, &path("exemption_reason"), 300)?;
    let vatex = t.vatex.map(|v| vatex(&v, &path("vatex"))).transpose()?;
    if !t.category.needs_exemption_reason() && (exemption_reason.is_some() || vatex.is_some()) {
        let field = if exemption_reason.is_some() { "exemption_reason" } else { "vatex" };
        return Err(Error::invalid(
            path(field),
            format!("a {} line charges VAT: it has no exemption", t.category.as_str()),
        ));
    }
    if t.category == TaxCategory::Exempt && exemption_reason.is_none() && vatex.is_none() {
        return Err(Error::invalid(
            path("exemption_reason"),
            "an exempt line says why it is exempt: give the exemption reason (e.g. the article of the law) or a VATEX code",
        ));
    }
    Ok(LineTax { category: t.category, rate: t.rate.normalize(), exemption_reason, vatex })
}

/// A CEF VATEX code (BT-121), e.g. VATEX-EU-132 or VATEX-FR-FRANCHISE.
fn vatex(value: &str, field: &str) -> Result<String, Error> {
    let code = value.trim().to_ascii_uppercase();
    let shaped = code.len() <= 30
        && code.strip_prefix("VATEX-").is_some_and(|rest| {
            rest.split('-').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()))
        });
    if !shaped {
        return Err(Error::invalid(field, "a VATEX code looks like VATEX-EU-132 (CEF VATEX code list)"));
    }
    Ok(code)
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
            prices_include_tax: input.prices_include_tax.unwrap_or(false),
            language: input.language,
            po_number: text(input.po_number.flatten(), "po_number", 100)?,
            terms_text: text(input.terms_text.flatten(), "terms_text", MAX_LONG_TEXT)?,
            footer_note: text(input.footer_note.flatten(), "footer_note", MAX_LONG_TEXT)?,
            subscription_context: text(input.subscription_context.flatten(), "subscription_context", 1_000)?,
        };
        // With a customer, the recipient's blanks (its VAT id too) come from that record: the
        // caller checks the whole once it has filled them.
        match input.customer_id {
            None => content.check()?,
            Some(_) => content.totals()?,
        };
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
        if let Some(inclusive) = p.prices_include_tax {
            c.prices_include_tax = inclusive;
        }
        if let Some(language) = p.language {
            c.language = Some(language);
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
        self.check_exemptions()?;
        self.totals()
    }

    /// Reverse charge and intra-community supply name the buyer's VAT id (BR-AE-2, BR-IC-2);
    /// the lines of one exempting category share one reason, as its breakdown line prints one
    /// (BR-E-10 and kin).
    fn check_exemptions(&self) -> Result<(), Error> {
        // The first line of each exempting category, whose reason the others must repeat.
        let mut firsts: Vec<(usize, &LineTax)> = Vec::new();
        for (i, l) in self.line_items.iter().enumerate() {
            let Some(t) = &l.tax else { continue };
            if t.category.needs_buyer_vat_id() && self.recipient.vat_id.is_none() {
                return Err(Error::invalid(
                    "recipient.vat_id",
                    format!("a {} line needs the buyer's VAT id (line {})", t.category.as_str(), i + 1),
                ));
            }
            if !t.category.needs_exemption_reason() {
                continue;
            }
            match firsts.iter().find(|(_, first)| first.category == t.category) {
                Some((at, first)) if (&first.exemption_reason, &first.vatex) != (&t.exemption_reason, &t.vatex) => {
                    return Err(Error::invalid(
                        format!("line_items[{i}].tax.exemption_reason"),
                        format!(
                            "{} lines share one exemption reason and VATEX code: give the same as line {}",
                            t.category.as_str(),
                            at + 1
                        ),
                    ));
                }
                Some(_) => {}
                None => firsts.push((i, t)),
            }
        }
        Ok(())
    }

    /// A VAT-exempt small business charges no VAT: every line is exempt with its legal text.
    pub fn exempt_as_small_business(&mut self, reason: &str, vatex: Option<&str>) {
        let tax = LineTax {
            category: TaxCategory::Exempt,
            rate: Decimal::ZERO,
            exemption_reason: Some(reason.to_string()),
            vatex: vatex.map(str::to_string),
        };
        self.tax = None;
        for line in &mut self.line_items {
            line.tax = Some(tax.clone());
        }
    }

    /// The VAT a line is charged: its own, else the invoice's one rate (standard, zero_rated
    /// at 0), else none (zero_rated at 0).
    pub fn tax_of(&self, line: &LineContent) -> (TaxCategory, Decimal) {
        match (&line.tax, &self.tax) {
            (Some(t), _) => (t.category, t.rate),
            (None, Some(t)) if !t.rate.is_zero() => (TaxCategory::Standard, t.rate.normalize()),
            _ => (TaxCategory::ZeroRated, Decimal::ZERO),
        }
    }

    pub fn totals(&self) -> Result<Totals, Error> {
        if let Some(t) = &self.tax {
            check_percent(t.rate, "tax.rate")?;
        }
        compute_vat_totals(&self.taxed_lines(), self.discount.as_ref(), self.prices_include_tax)
    }

    /// The invoice as its credit notes read it (`credit`): its lines as invoiced.
    pub fn credit_basis(&self) -> Result<crate::credit::CreditBasis<'_>, Error> {
        crate::credit::CreditBasis::new(self.taxed_lines(), self.discount.as_ref(), self.prices_include_tax)
    }

    fn taxed_lines(&self) -> Vec<TaxedLine<'_>> {
        self.line_items
            .iter()
            .map(|l| {
                let (category, rate) = self.tax_of(l);
                let line = LineCalc {
                    quantity: l.quantity,
                    unit_price_cents: l.unit_price_cents,
                    discount: l.discount.as_ref(),
                };
                TaxedLine { line, category, rate }
            })
            .collect()
    }

    /// The VAT breakdown as documents print it: each group of `totals` with the reason and
    /// VATEX code of its lines (`default_reason` where they give none).
    pub fn breakdown(
        &self,
        totals: &Totals,
        default_reason: impl Fn(TaxCategory) -> Option<String>,
    ) -> Vec<TaxBreakdown> {
        totals
            .groups
            .iter()
            .map(|g| {
                let given = self
                    .line_items
                    .iter()
                    .find(|l| self.tax_of(l) == (g.category, g.rate))
                    .and_then(|l| l.tax.as_ref());
                let vatex = given.and_then(|t| t.vatex.clone()).or(g.category.default_vatex().map(str::to_string));
                let reason = given.and_then(|t| t.exemption_reason.clone());
                let exemption_reason = match (reason, &vatex) {
                    (Some(r), _) => Some(r),
                    (None, Some(_)) if g.category == TaxCategory::Exempt => None,
                    (None, _) => default_reason(g.category),
                };
                TaxBreakdown {
                    category: g.category,
                    category_code: g.category.code().to_string(),
                    rate: g.rate,
                    taxable_cents: g.taxable_cents,
                    tax_cents: g.tax_cents,
                    rounding_cents: g.rounding_cents,
                    gross_cents: g.taxable_cents + g.tax_cents + g.rounding_cents,
                    exemption_reason,
                    vatex,
                }
            })
            .collect()
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

    fn with_lines(recipient: &str, lines: &str) -> String {
        format!(r#"{{"due_date":"2026-06-01","recipient":{recipient},"line_items":{lines}}}"#)
    }

    #[test]
    fn line_taxes_say_what_the_law_asks() {
        let a = r#"{"company":"A"}"#;
        let line = |tax: &str| format!(r#"[{{"description":"a","unit_price_cents":100,"tax":{tax}}}]"#);
        let refused = |recipient: &str, tax: &str| refusal(&with_lines(recipient, &line(tax)));
        assert_eq!(refused(a, r#"{"rate":0}"#).as_deref(), Some("line_items[0].tax.rate"));
        assert_eq!(refused(a, r#"{"category":"export","rate":19}"#).as_deref(), Some("line_items[0].tax.rate"));
        assert_eq!(refused(a, r#"{"category":"exempt"}"#).as_deref(), Some("line_items[0].tax.exemption_reason"));
        assert_eq!(refused(a, r#"{"rate":19,"vatex":"VATEX-EU-132"}"#).as_deref(), Some("line_items[0].tax.vatex"));
        assert_eq!(refused(a, r#"{"category":"exempt","vatex":"EU-132"}"#).as_deref(), Some("line_items[0].tax.vatex"));
        assert_eq!(refused(a, r#"{"category":"reverse_charge"}"#).as_deref(), Some("recipient.vat_id"));
        assert_eq!(refused(a, r#"{"category":"intra_community"}"#).as_deref(), Some("recipient.vat_id"));
        assert_eq!(
            refused(r#"{"company":"A","vat_id":"FR40303265046"}"#, r#"{"category":"reverse_charge"}"#).as_deref(),
            Some("recipient.vat_id"),
            "a wrong check digit"
        );
        let (ok, _) = InvoiceContent::from_input(
            input(&with_lines(
                r#"{"company":"A","vat_id":"fr 40 303 265 045"}"#,
                &line(r#"{"category":"reverse_charge"}"#),
            )),
            &defaults(),
        )
        .unwrap();
        assert_eq!(ok.recipient.vat_id.as_deref(), Some("FR40303265045"));
        let t = ok.totals().unwrap();
        let b = ok.breakdown(&t, |c| c.default_reason().map(str::to_string));
        assert_eq!(
            (b[0].category_code.as_str(), b[0].tax_cents, b[0].vatex.as_deref()),
            ("AE", 0, Some("VATEX-EU-AE"))
        );
        assert!(b[0].exemption_reason.as_deref().is_some_and(|r| r.contains("Article 196")));
        let two = r#"[{"description":"a","unit_price_cents":1,"tax":{"category":"exempt","exemption_reason":"§ 4 Nr. 21 UStG"}},
            {"description":"b","unit_price_cents":1,"tax":{"category":"exempt","exemption_reason":"§ 4 Nr. 14 UStG"}}]"#;
        assert_eq!(refusal(&with_lines(a, two)).as_deref(), Some("line_items[1].tax.exemption_reason"));
    }

    #[test]
    fn lines_without_their_own_tax_take_the_invoices_one_rate() {
        let json = r#"{"due_date":"2026-06-01","recipient":{"company":"A"},"tax":{"label":"USt","rate":19},
            "line_items":[{"description":"Design","unit_price_cents":10000},
                          {"description":"Book","unit_price_cents":2000,"tax":{"rate":7}}]}"#;
        let (c, _) = InvoiceContent::from_input(input(json), &defaults()).unwrap();
        let t = c.totals().unwrap();
        let groups: Vec<_> = t.groups.iter().map(|g| (g.rate.to_string(), g.taxable_cents, g.tax_cents)).collect();
        assert_eq!(groups, [("19".to_string(), 10_000, 1_900), ("7".to_string(), 2_000, 140)]);
        assert_eq!(t.total_cents, 14_040);
    }

    #[test]
    fn customers_need_a_company_and_valid_emails() {
        let c: CustomerInput = serde_json::from_str(r#"{"contact":{"email":"a@b.co"}}"#).unwrap();
        assert_eq!(customer(c).unwrap_err().field(), Some("company"));
        let c: CustomerInput = serde_json::from_str(r#"{"company":"A","cc_emails":["x@y.z","bad"]}"#).unwrap();
        assert_eq!(customer(c).unwrap_err().field(), Some("cc_emails[1]"));
    }
}

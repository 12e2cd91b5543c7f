//! The shapes browser forms post: every value is text (a checkbox is present or absent),
//! turned into the API's inputs so one validation serves both.

use crate::dto::{Address, Contact, Customer, CustomerInput};
use serde::{Deserialize, Serialize};

fn opt(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn txt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// Addresses typed into one box, separated by commas, semicolons or line breaks.
pub fn split_emails(text: &str) -> Vec<String> {
    text.split([',', ';', '\n', '\r']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    pub company: String,
    pub contact_name: String,
    pub contact_email: String,
    pub ap_name: String,
    pub ap_email: String,
    pub cc_emails: String,
    pub billing_entity: String,
    pub tax_id: String,
    pub vat_id: String,
    /// "" (English) or a language code.
    pub language: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
    /// "on" when the checkbox is ticked; absent otherwise.
    pub po_required: Option<String>,
    pub notes: String,
    /// "" or "none", "facturx", "xrechnung-cii", "xrechnung-ubl", "peppol".
    pub e_invoice_format: String,
    pub buyer_reference: String,
    pub peppol_id: String,
}

fn contact(name: &str, email: &str) -> Option<Contact> {
    let c = Contact { name: opt(name), email: opt(email) };
    (c != Contact::default()).then_some(c)
}

impl CustomerForm {
    pub fn to_input(&self) -> CustomerInput {
        let mut input = CustomerInput::default();
        input.company = opt(&self.company);
        input.contact = contact(&self.contact_name, &self.contact_email);
        input.ap_contact = contact(&self.ap_name, &self.ap_email);
        input.cc_emails = split_emails(&self.cc_emails);
        input.billing_entity = opt(&self.billing_entity);
        input.tax_id = opt(&self.tax_id);
        input.vat_id = opt(&self.vat_id);
        input.language = crate::Language::parse(&self.language);
        input.address = Some(Address {
            line1: opt(&self.address_line1),
            line2: opt(&self.address_line2),
            line3: None,
            city: opt(&self.city),
            state: opt(&self.state),
            postal_code: opt(&self.postal_code),
            country: opt(&self.country),
        });
        input.po_required = self.po_required.is_some();
        input.notes = opt(&self.notes);
        input.e_invoice_format = crate::einvoice::EInvoiceFormat::parse(self.e_invoice_format.trim());
        input.buyer_reference = opt(&self.buyer_reference);
        input.peppol_id = opt(&self.peppol_id);
        input
    }

    pub fn from_customer(c: &Customer) -> Self {
        let contact = c.contact.clone().unwrap_or_default();
        let ap = c.ap_contact.clone().unwrap_or_default();
        let a = c.address.clone().unwrap_or_default();
        CustomerForm {
            company: c.company.clone(),
            contact_name: txt(&contact.name),
            contact_email: txt(&contact.email),
            ap_name: txt(&ap.name),
            ap_email: txt(&ap.email),
            cc_emails: c.cc_emails.join(", "),
            billing_entity: txt(&c.billing_entity),
            tax_id: txt(&c.tax_id),
            vat_id: txt(&c.vat_id),
            language: c.language.map(|l| l.code().to_string()).unwrap_or_default(),
            address_line1: txt(&a.line1),
            address_line2: txt(&a.line2),
            city: txt(&a.city),
            state: txt(&a.state),
            postal_code: txt(&a.postal_code),
            country: txt(&a.country),
            po_required: c.po_required.then(|| "on".to_string()),
            notes: txt(&c.notes),
            e_invoice_format: c.e_invoice_format.as_str().to_string(),
            buyer_reference: txt(&c.buyer_reference),
            peppol_id: txt(&c.peppol_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_form_becomes_the_api_input() {
        let form = CustomerForm {
            company: " Acme ".into(),
            contact_email: "wile@acme.com".into(),
            cc_emails: "a@acme.com; b@acme.com\nc@acme.com,".into(),
            po_required: Some("on".into()),
            city: "Phoenix".into(),
            ..Default::default()
        };
        let input = crate::validate::customer(form.to_input()).unwrap();
        assert_eq!(input.company.as_deref(), Some("Acme"));
        assert_eq!(input.cc_emails, vec!["a@acme.com", "b@acme.com", "c@acme.com"]);
        assert!(input.po_required);
        assert_eq!(input.contact.unwrap().email.as_deref(), Some("wile@acme.com"));
        assert_eq!(input.address.unwrap().city.as_deref(), Some("Phoenix"));
    }
}

/// A line as the editor shows it: amounts in currency units ("1250.00"), as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineForm {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    /// "", "percent" or "flat".
    pub discount_kind: String,
    pub discount_value: String,
    /// "" (the invoice's tax rate applies) or a TaxCategory's name.
    pub tax_category: String,
    /// The line's rate in percent (standard lines).
    pub tax_rate: String,
    pub exemption_reason: String,
    pub vatex: String,
}

impl LineForm {
    /// A row the user left empty (the no-JavaScript form always offers a few).
    pub fn is_blank(&self) -> bool {
        self.description.trim().is_empty() && self.unit_price.trim().is_empty()
    }
}

/// A form line turned into numbers.
struct ParsedLine<'a> {
    description: &'a str,
    quantity: Decimal,
    unit_price_cents: i64,
    discount: Option<Discount>,
    tax: Option<LineTax>,
}

/// More rows than any invoice needs (the API allows far fewer line items).
pub const MAX_FORM_ROWS: usize = 1000;

/// The invoice editor's form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceForm {
    /// A customer's id, or "" for the recipient typed below.
    pub customer_id: String,
    pub recipient_company: String,
    pub recipient_name: String,
    pub recipient_email: String,
    pub recipient_vat_id: String,
    /// BT-10: the buyer reference (Leitweg-ID) this invoice quotes.
    pub buyer_reference: String,
    pub cc_emails: String,
    pub currency: String,
    /// "" (the customer's) or a language code.
    pub language: String,
    pub issue_date: String,
    pub due_date: String,
    pub po_number: String,
    pub lines: Vec<LineForm>,
    pub discount_kind: String,
    pub discount_value: String,
    pub tax_label: String,
    pub tax_rate: String,
    /// "on" when unit prices include tax (a checkbox).
    pub prices_include_tax: String,
    pub terms_text: String,
    pub footer_note: String,
}

use crate::Error;
use crate::dto::{Discount, Invoice, InvoiceInput, LineItemInput, LineTax, Recipient, TaxBreakdown, TaxInput};
use crate::totals::Totals;
use crate::validate::{InvoiceContent, LineContent, TaxContent};
use crate::vat::TaxCategory;
use rust_decimal::Decimal;

fn decimal_field(text: &str, field: &str, what: &str) -> Result<Decimal, Error> {
    crate::decimal::parse(text).ok_or_else(|| Error::invalid(field, format!("{what}: enter a number like 12.5")))
}

fn amount_field(text: &str, currency: &str, field: &str) -> Result<i64, Error> {
    crate::currency::parse_amount(text, currency)
        .ok_or_else(|| Error::invalid(field, format!("enter an amount like 1250.00 ({currency})")))
}

fn discount_field(kind: &str, value: &str, currency: &str, path: &str) -> Result<Option<Discount>, Error> {
    match kind {
        "percent" if !value.trim().is_empty() => {
            Ok(Some(Discount::Percent { value: decimal_field(value, &format!("{path}.value"), "percent")? }))
        }
        "flat" if !value.trim().is_empty() => {
            Ok(Some(Discount::Flat { value_cents: amount_field(value, currency, &format!("{path}.value_cents"))? }))
        }
        _ => Ok(None),
    }
}

/// A line's own tax as the row gives it: none when its category is left at "the invoice's
/// rate"; the rate only for standard lines (0 for the others).
fn line_tax_field(l: &LineForm, path: &str) -> Result<Option<LineTax>, Error> {
    let kind = l.tax_category.trim();
    if kind.is_empty() {
        return Ok(None);
    }
    let category = TaxCategory::parse(kind)
        .ok_or_else(|| Error::invalid(format!("{path}.category"), "choose a tax category from the list"))?;
    let rate = match (category, l.tax_rate.trim()) {
        (TaxCategory::Standard, "") => {
            return Err(Error::invalid(format!("{path}.rate"), "a standard line needs its rate, e.g. 19"));
        }
        (TaxCategory::Standard, text) => decimal_field(text, &format!("{path}.rate"), "tax rate")?,
        _ => Decimal::ZERO,
    };
    Ok(Some(LineTax { category, rate, exemption_reason: opt(&l.exemption_reason), vatex: opt(&l.vatex) }))
}

fn units(cents: i64, currency: &str) -> String {
    let places = crate::currency::minor_units(currency).unwrap_or(2);
    Decimal::new(cents, places).to_string()
}

fn discount_text(d: &Option<Discount>, currency: &str) -> (String, String) {
    match d {
        Some(Discount::Percent { value }) => ("percent".into(), value.normalize().to_string()),
        Some(Discount::Flat { value_cents }) => ("flat".into(), units(*value_cents, currency)),
        None => (String::new(), String::new()),
    }
}

impl InvoiceForm {
    pub fn currency_code(&self) -> String {
        let c = self.currency.trim().to_ascii_uppercase();
        if c.is_empty() { "USD".into() } else { c }
    }

    /// The lines that are not blank, with their positions in the form.
    fn filled_lines(&self) -> impl Iterator<Item = (usize, &LineForm)> {
        self.lines.iter().filter(|l| !l.is_blank()).enumerate()
    }

    /// Where the form's row `row` stands among the filled lines (errors name that position:
    /// `line_items[k]`); None for a blank row.
    pub fn filled_position(&self, row: usize) -> Option<usize> {
        let line = self.lines.get(row)?;
        (!line.is_blank()).then(|| self.lines[..row].iter().filter(|l| !l.is_blank()).count())
    }

    /// The filled lines, parsed; errors name the line as the API does (`line_items[k]`).
    fn parsed_lines(&self) -> Result<Vec<ParsedLine<'_>>, Error> {
        let currency = self.currency_code();
        self.filled_lines()
            .map(|(i, l)| {
                let quantity = if l.quantity.trim().is_empty() {
                    Decimal::ONE
                } else {
                    decimal_field(&l.quantity, &format!("line_items[{i}].quantity"), "quantity")?
                };
                Ok(ParsedLine {
                    description: &l.description,
                    quantity,
                    unit_price_cents: amount_field(
                        &l.unit_price,
                        &currency,
                        &format!("line_items[{i}].unit_price_cents"),
                    )?,
                    discount: discount_field(
                        &l.discount_kind,
                        &l.discount_value,
                        &currency,
                        &format!("line_items[{i}].discount"),
                    )?,
                    tax: line_tax_field(l, &format!("line_items[{i}].tax"))?,
                })
            })
            .collect()
    }

    /// What the form says about money, as the content the totals function reads (the
    /// recipient and dates do not matter to it).
    fn money_content(&self) -> Result<InvoiceContent, Error> {
        let currency = self.currency_code();
        let line_items = self
            .parsed_lines()?
            .into_iter()
            .map(|l| LineContent {
                description: l.description.to_string(),
                quantity: l.quantity,
                unit_price_cents: l.unit_price_cents,
                discount: l.discount,
                tax: l.tax,
            })
            .collect();
        Ok(InvoiceContent {
            recipient: Recipient::default(),
            currency: currency.clone(),
            issue_date: chrono::NaiveDate::default(),
            due_date: chrono::NaiveDate::default(),
            line_items,
            discount: discount_field(&self.discount_kind, &self.discount_value, &currency, "discount")?,
            tax: self.invoice_tax()?.map(|t| TaxContent { label: t.label, rate: t.rate.unwrap_or_default() }),
            prices_include_tax: self.includes_tax(),
            language: None,
            po_number: None,
            terms_text: None,
            footer_note: None,
            subscription_context: None,
        })
    }

    fn includes_tax(&self) -> bool {
        matches!(self.prices_include_tax.as_str(), "on" | "true")
    }

    fn invoice_tax(&self) -> Result<Option<TaxInput>, Error> {
        if self.tax_rate.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(TaxInput::new(opt(&self.tax_label), decimal_field(&self.tax_rate, "tax.rate", "tax rate")?)))
    }

    /// Every line charged `category` (the editor's answer to its reverse-charge proposal).
    pub fn set_all_lines(&mut self, category: TaxCategory) {
        for line in self.lines.iter_mut().filter(|l| !l.is_blank()) {
            line.tax_category = category.as_str().to_string();
            line.tax_rate.clear();
        }
    }

    /// Totals as they stand (the editor shows them as the user types).
    pub fn totals(&self) -> Result<Totals, Error> {
        self.money_content()?.totals()
    }

    /// Totals and the VAT breakdown as they stand, reasons in `default_reason`'s words.
    pub fn totals_with_breakdown(
        &self,
        default_reason: impl Fn(TaxCategory) -> Option<String>,
    ) -> Result<(Totals, Vec<TaxBreakdown>), Error> {
        let content = self.money_content()?;
        let totals = content.totals()?;
        let breakdown = content.breakdown(&totals, default_reason);
        Ok((totals, breakdown))
    }

    /// The API input this form stands for: the one validation path for every surface.
    pub fn to_input(&self) -> Result<InvoiceInput, Error> {
        let currency = self.currency_code();
        let date = |text: &str, field: &str| -> Result<Option<chrono::NaiveDate>, Error> {
            let t = text.trim();
            if t.is_empty() {
                return Ok(None);
            }
            chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| Error::invalid(field, "enter a date as YYYY-MM-DD"))
        };
        let customer_id = match self.customer_id.trim() {
            "" => None,
            id => {
                Some(id.parse::<i64>().map_err(|_| Error::invalid("customer_id", "choose a customer from the list"))?)
            }
        };
        let typed = Recipient {
            company: opt(&self.recipient_company),
            name: opt(&self.recipient_name),
            email: opt(&self.recipient_email),
            vat_id: opt(&self.recipient_vat_id),
            buyer_reference: opt(&self.buyer_reference),
            cc_emails: split_emails(&self.cc_emails),
            ..Recipient::default()
        };
        let lines = self
            .parsed_lines()?
            .into_iter()
            .map(|l| {
                let mut line = LineItemInput::new(l.description, l.quantity, l.unit_price_cents, l.discount);
                line.tax = l.tax;
                line
            })
            .collect();
        let mut input = InvoiceInput::default();
        input.customer_id = customer_id;
        input.recipient = (typed != Recipient::default()).then_some(typed);
        input.currency = Some(currency.clone());
        input.issue_date = date(&self.issue_date, "issue_date")?;
        input.due_date = date(&self.due_date, "due_date")?;
        input.line_items = Some(lines);
        input.discount = Some(discount_field(&self.discount_kind, &self.discount_value, &currency, "discount")?);
        input.tax = Some(self.invoice_tax()?);
        input.prices_include_tax = Some(self.includes_tax());
        input.language = crate::Language::parse(&self.language);
        input.po_number = Some(opt(&self.po_number));
        input.terms_text = Some(opt(&self.terms_text));
        input.footer_note = Some(opt(&self.footer_note));
        Ok(input)
    }

    /// The form as the browser would post it: `(name, value)` pairs named like the editor's
    /// fields (`invoice[due_date]`, `invoice[lines][2][quantity]`). The editor reads its own
    /// fields this way, so what the user typed (even before the page was interactive) wins.
    pub fn from_fields<N: AsRef<str>>(fields: impl IntoIterator<Item = (N, String)>) -> Self {
        let mut form = InvoiceForm::default();
        for (name, value) in fields {
            form.set_field(name.as_ref(), value);
        }
        form
    }

    /// Sets the field a posted name stands for; names that are not the form's are ignored.
    pub fn set_field(&mut self, name: &str, value: String) {
        let Some(path) = name.strip_prefix("invoice[").and_then(|p| p.strip_suffix(']')) else { return };
        if let Some(rest) = path.strip_prefix("lines][") {
            let Some((row, field)) = rest.split_once("][") else { return };
            // A bound on rows keeps a crafted name from allocating without limit.
            let Ok(row) = row.parse::<usize>() else { return };
            if row >= MAX_FORM_ROWS {
                return;
            }
            if self.lines.len() <= row {
                self.lines.resize_with(row + 1, LineForm::default);
            }
            let line = &mut self.lines[row];
            let slot = match field {
                "description" => &mut line.description,
                "quantity" => &mut line.quantity,
                "unit_price" => &mut line.unit_price,
                "discount_kind" => &mut line.discount_kind,
                "discount_value" => &mut line.discount_value,
                "tax_category" => &mut line.tax_category,
                "tax_rate" => &mut line.tax_rate,
                "exemption_reason" => &mut line.exemption_reason,
                "vatex" => &mut line.vatex,
                _ => return,
            };
            *slot = value;
            return;
        }
        let slot = match path {
            "customer_id" => &mut self.customer_id,
            "recipient_company" => &mut self.recipient_company,
            "recipient_name" => &mut self.recipient_name,
            "recipient_email" => &mut self.recipient_email,
            "recipient_vat_id" => &mut self.recipient_vat_id,
            "buyer_reference" => &mut self.buyer_reference,
            "cc_emails" => &mut self.cc_emails,
            "currency" => &mut self.currency,
            "language" => &mut self.language,
            "issue_date" => &mut self.issue_date,
            "due_date" => &mut self.due_date,
            "po_number" => &mut self.po_number,
            "discount_kind" => &mut self.discount_kind,
            "discount_value" => &mut self.discount_value,
            "tax_label" => &mut self.tax_label,
            "tax_rate" => &mut self.tax_rate,
            "prices_include_tax" => &mut self.prices_include_tax,
            "terms_text" => &mut self.terms_text,
            "footer_note" => &mut self.footer_note,
            _ => return,
        };
        *slot = value;
    }

    /// The form showing an existing invoice.
    pub fn from_invoice(inv: &Invoice) -> Self {
        let currency = inv.currency.clone();
        let (discount_kind, discount_value) = discount_text(&inv.discount, &currency);
        InvoiceForm {
            customer_id: inv.customer_id.map(|c| c.to_string()).unwrap_or_default(),
            recipient_company: txt(&inv.recipient.company),
            recipient_name: txt(&inv.recipient.name),
            recipient_email: txt(&inv.recipient.email),
            recipient_vat_id: txt(&inv.recipient.vat_id),
            buyer_reference: txt(&inv.recipient.buyer_reference),
            language: inv.language.code().to_string(),
            cc_emails: inv.recipient.cc_emails.join(", "),
            issue_date: inv.issue_date.to_string(),
            due_date: inv.due_date.to_string(),
            po_number: txt(&inv.po_number),
            lines: inv
                .line_items
                .iter()
                .map(|l| {
                    let (discount_kind, discount_value) = discount_text(&l.discount, &currency);
                    let tax = l.tax.as_ref();
                    LineForm {
                        description: l.description.clone(),
                        quantity: l.quantity.normalize().to_string(),
                        unit_price: units(l.unit_price_cents, &currency),
                        discount_kind,
                        discount_value,
                        tax_category: tax.map(|t| t.category.as_str().to_string()).unwrap_or_default(),
                        tax_rate: tax.filter(|t| !t.rate.is_zero()).map(|t| t.rate.to_string()).unwrap_or_default(),
                        exemption_reason: tax.and_then(|t| t.exemption_reason.clone()).unwrap_or_default(),
                        vatex: tax.and_then(|t| t.vatex.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            discount_kind,
            discount_value,
            tax_label: inv.tax.as_ref().and_then(|t| t.label.clone()).unwrap_or_default(),
            tax_rate: inv.tax.as_ref().map(|t| t.rate.normalize().to_string()).unwrap_or_default(),
            prices_include_tax: if inv.prices_include_tax { "on".into() } else { String::new() },
            terms_text: txt(&inv.terms_text),
            footer_note: txt(&inv.footer_note),
            currency,
        }
    }
}

#[cfg(test)]
mod invoice_form_tests {
    use super::*;

    fn form() -> InvoiceForm {
        InvoiceForm {
            recipient_company: "Acme".into(),
            currency: "usd".into(),
            due_date: "2026-12-31".into(),
            lines: vec![
                LineForm {
                    description: "Design".into(),
                    quantity: "1.5".into(),
                    unit_price: "120".into(),
                    ..Default::default()
                },
                LineForm::default(),
                LineForm {
                    description: "Build".into(),
                    quantity: "3".into(),
                    unit_price: "33.33".into(),
                    discount_kind: "percent".into(),
                    discount_value: "10".into(),
                    ..Default::default()
                },
            ],
            discount_kind: "flat".into(),
            discount_value: "10".into(),
            tax_label: "Sales tax".into(),
            tax_rate: "8.875".into(),
            ..Default::default()
        }
    }

    #[test]
    fn line_taxes_and_gross_prices_go_through_the_form_and_back() {
        let mut f = form();
        f.currency = "EUR".into();
        f.recipient_vat_id = "FR40303265045".into();
        f.prices_include_tax = "on".into();
        f.lines[2].tax_category = "standard".into();
        f.lines[2].tax_rate = "7".into();
        f.lines[0].tax_category = "reverse_charge".into();
        let (totals, breakdown) = f.totals_with_breakdown(|c| c.default_reason().map(str::to_string)).unwrap();
        let input = f.to_input().unwrap();
        let defaults = crate::validate::Defaults {
            currency: "EUR".into(),
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        };
        let (content, _) = crate::validate::InvoiceContent::from_input(input, &defaults).unwrap();
        assert_eq!(content.totals().unwrap(), totals, "the editor's totals are the API's");
        assert_eq!(breakdown.iter().map(|g| g.category_code.as_str()).collect::<Vec<_>>(), ["AE", "S"]);
        assert_eq!(content.recipient.vat_id.as_deref(), Some("FR40303265045"));
        assert!(content.prices_include_tax);
        let mut blank = f.clone();
        blank.lines[2].tax_rate.clear();
        assert_eq!(blank.totals().unwrap_err().field(), Some("line_items[1].tax.rate"));
        let mut all = f.clone();
        all.set_all_lines(TaxCategory::IntraCommunity);
        assert!(all.lines.iter().filter(|l| !l.is_blank()).all(|l| l.tax_category == "intra_community"));
        assert!(all.lines[1].tax_category.is_empty(), "blank rows stay blank");
    }

    #[test]
    fn the_form_totals_match_the_api_totals() {
        let t = form().totals().unwrap();
        assert_eq!((t.subtotal_cents, t.discount_cents, t.tax_cents, t.total_cents), (26_999, 1_000, 2_307, 28_306));
        let input = form().to_input().unwrap();
        let (content, _) = crate::validate::InvoiceContent::from_input(
            input,
            &crate::validate::Defaults {
                currency: "USD".into(),
                today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            },
        )
        .unwrap();
        assert_eq!(content.line_items.len(), 2, "blank rows are dropped");
        assert_eq!(content.totals().unwrap(), t);
    }

    #[test]
    fn form_errors_name_the_api_field() {
        let mut f = form();
        f.lines[2].unit_price = "33.333".into();
        assert_eq!(f.totals().unwrap_err().field(), Some("line_items[1].unit_price_cents"));
        let mut f = form();
        f.due_date = "31/12/2026".into();
        assert_eq!(f.to_input().unwrap_err().field(), Some("due_date"));
    }

    #[test]
    fn posted_field_names_fill_the_form() {
        let f = InvoiceForm::from_fields([
            ("number", "INV-1".to_string()),
            ("invoice[customer_id]", "7".to_string()),
            ("invoice[due_date]", "2026-12-31".to_string()),
            ("invoice[lines][1][unit_price]", "12.50".to_string()),
            ("invoice[lines][0][description]", "Design".to_string()),
            ("invoice[lines][1][discount_kind]", "percent".to_string()),
            ("invoice[lines][1][colour]", "red".to_string()),
            ("invoice[lines][5000][description]", "too far".to_string()),
            ("invoice[tax_rate]", "8.875".to_string()),
        ]);
        assert_eq!(f.customer_id, "7");
        assert_eq!(f.due_date, "2026-12-31");
        assert_eq!(f.tax_rate, "8.875");
        assert_eq!(f.lines.len(), 2, "rows are created as named, and no further");
        assert_eq!(f.lines[0].description, "Design");
        assert_eq!(f.lines[1].unit_price, "12.50");
        assert_eq!(f.lines[1].discount_kind, "percent");
    }

    #[test]
    fn a_form_read_back_from_its_fields_is_the_same_form() {
        let original = form();
        let mut fields = vec![
            ("invoice[recipient_company]".to_string(), original.recipient_company.clone()),
            ("invoice[currency]".to_string(), original.currency.clone()),
            ("invoice[due_date]".to_string(), original.due_date.clone()),
            ("invoice[discount_kind]".to_string(), original.discount_kind.clone()),
            ("invoice[discount_value]".to_string(), original.discount_value.clone()),
            ("invoice[tax_label]".to_string(), original.tax_label.clone()),
            ("invoice[tax_rate]".to_string(), original.tax_rate.clone()),
        ];
        for (i, l) in original.lines.iter().enumerate() {
            for (k, v) in [
                ("description", &l.description),
                ("quantity", &l.quantity),
                ("unit_price", &l.unit_price),
                ("discount_kind", &l.discount_kind),
                ("discount_value", &l.discount_value),
            ] {
                fields.push((format!("invoice[lines][{i}][{k}]"), v.clone()));
            }
        }
        assert_eq!(InvoiceForm::from_fields(fields), original);
    }
}

/// The form that adds a webhook endpoint; a ticked event box posts its event type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookForm {
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
}

impl WebhookForm {
    pub fn to_input(&self) -> crate::dto::WebhookInput {
        crate::dto::WebhookInput {
            url: Some(self.url.trim().to_string()).filter(|u| !u.is_empty()),
            event_types: Some(self.event_types.clone()),
            description: opt(&self.description),
            active: None,
        }
    }
}

/// The invoice page's payment form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentForm {
    /// "1250.00", in the invoice's currency.
    pub amount: String,
    /// "payment" or "refund".
    #[serde(default)]
    pub kind: String,
    pub method: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub paid_on: String,
}

impl PaymentForm {
    /// The payment (or refund) the form says was received, in `currency`'s smallest unit.
    pub fn to_input(&self, currency: &str) -> Result<crate::payment::PaymentInput, crate::Error> {
        let cents = crate::currency::parse_amount(self.amount.trim(), currency)
            .filter(|c| *c > 0)
            .ok_or_else(|| crate::Error::invalid("amount_cents", "type the amount received, e.g. 1250.00"))?;
        let method = crate::PaymentMethod::parse(&self.method)
            .ok_or_else(|| crate::Error::invalid("method", "choose how it was paid"))?;
        let paid_on = match self.paid_on.trim() {
            "" => None,
            d => Some(d.parse().map_err(|_| crate::Error::invalid("paid_on", "a date like 2026-11-24"))?),
        };
        Ok(crate::payment::PaymentInput {
            amount_cents: if self.kind == "refund" { -cents } else { cents },
            method,
            reference: Some(self.reference.clone()),
            paid_on,
        })
    }
}

/// The invoice page's credit note form, as typed: a quantity per invoice line (empty or 0:
/// not credited), or `all` to credit everything left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub quantities: Vec<String>,
    /// Present (the "everything left" button): every line's quantity left.
    #[serde(default)]
    pub all: Option<String>,
}

impl CreditNoteForm {
    pub fn to_input(&self) -> Result<crate::credit_note::CreditNoteInput, crate::Error> {
        let mut lines = Vec::new();
        if self.all.is_none() {
            for (i, typed) in self.quantities.iter().enumerate() {
                let typed = typed.trim();
                if typed.is_empty() {
                    continue;
                }
                let field = format!("lines[{}].quantity", lines.len());
                let quantity = crate::decimal::parse(typed)
                    .filter(|q| !q.is_sign_negative())
                    .ok_or_else(|| crate::Error::invalid(field, "a quantity like 1 or 0.5"))?;
                if !quantity.is_zero() {
                    lines.push(crate::credit_note::CreditNoteLineInput { line: i, quantity: Some(quantity) });
                }
            }
            if lines.is_empty() {
                return Err(crate::Error::invalid("lines", "type how much to credit on at least one line"));
            }
        }
        Ok(crate::credit_note::CreditNoteInput {
            reason: self.reason.clone(),
            lines: self.all.is_none().then_some(lines),
        })
    }
}

/// A number typed in a form field: blank is None, anything else must be a whole number.
fn typed_int<T: std::str::FromStr>(typed: &str, field: &str, say: &str) -> Result<Option<T>, crate::Error> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed.parse().map(Some).map_err(|_| crate::Error::invalid(field, say))
}

fn typed_date(typed: &str, field: &str) -> Result<Option<chrono::NaiveDate>, crate::Error> {
    typed_int(typed, field, "a date like 2027-03-31")
}

/// The recurring invoice form (the invoice page's "Repeat this invoice", the recurring
/// invoice's page), as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecurringForm {
    #[serde(default)]
    pub every: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub count: String,
    /// "send" or "draft".
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub due_days: String,
    /// An invoice whose content replaces the template's (the recurring invoice's page).
    #[serde(default)]
    pub content_from: String,
}

impl RecurringForm {
    /// The form filled from a recurring invoice.
    pub fn of(r: &crate::recurring::RecurringInvoice) -> RecurringForm {
        let s = &r.schedule;
        RecurringForm {
            every: s.every.to_string(),
            unit: s.unit.as_str().into(),
            day: s.day.map(|d| d.to_string()).unwrap_or_default(),
            start_date: s.start_date.to_string(),
            end_date: s.end_date.map(|d| d.to_string()).unwrap_or_default(),
            count: s.count.map(|c| c.to_string()).unwrap_or_default(),
            delivery: if r.auto_send { "send" } else { "draft" }.into(),
            due_days: r.due_days.to_string(),
            content_from: String::new(),
        }
    }

    /// The schedule and delivery as the API takes them (`from_invoice` from `content_from`).
    pub fn to_input(&self) -> Result<crate::recurring::RecurringInput, crate::Error> {
        use crate::schedule::{Schedule, Unit};
        let unit = Unit::parse(self.unit.trim())
            .ok_or_else(|| crate::Error::invalid("schedule.unit", "weeks, months or years"))?;
        let start_date = typed_date(&self.start_date, "schedule.start_date")?
            .ok_or_else(|| crate::Error::invalid("schedule.start_date", "the first date, like 2027-03-31"))?;
        let schedule = Schedule {
            every: typed_int(&self.every, "schedule.every", "a whole number like 1")?.unwrap_or(1),
            unit,
            day: typed_int(&self.day, "schedule.day", "a day like 1 or 31")?,
            start_date,
            end_date: typed_date(&self.end_date, "schedule.end_date")?,
            count: typed_int(&self.count, "schedule.count", "a whole number like 12")?,
        };
        let content_from = self.content_from.trim();
        Ok(crate::recurring::RecurringInput {
            from_invoice: (!content_from.is_empty()).then(|| content_from.to_string()),
            template: None,
            schedule: Some(schedule),
            auto_send: Some(self.delivery == "send"),
            due_days: typed_int(&self.due_days, "due_days", "a number of days like 14")?,
        })
    }
}

/// One reminder step on the reminders page, as typed: its day, on or off, and its words per
/// language (`{lang}_subject`, `{lang}_body`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReminderStepForm {
    #[serde(default)]
    pub days: String,
    /// Present when ticked.
    #[serde(default)]
    pub enabled: Option<String>,
    #[serde(default)]
    pub en_subject: String,
    #[serde(default)]
    pub en_body: String,
    #[serde(default)]
    pub de_subject: String,
    #[serde(default)]
    pub de_body: String,
    #[serde(default)]
    pub fr_subject: String,
    #[serde(default)]
    pub fr_body: String,
}

/// The reminders page's form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReminderForm {
    #[serde(default)]
    pub enabled: Option<String>,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub send_hour: String,
    #[serde(default)]
    pub steps: Vec<ReminderStepForm>,
}

impl ReminderForm {
    pub fn of(s: &crate::reminders::ReminderSettings) -> ReminderForm {
        let text = |step: &crate::reminders::Step, l: crate::Language| step.texts.get(l).cloned().unwrap_or_default();
        ReminderForm {
            enabled: s.enabled.then(|| "on".into()),
            time_zone: s.time_zone.clone(),
            send_hour: s.send_hour.to_string(),
            steps: s
                .steps
                .iter()
                .map(|step| {
                    let (en, de, fr) = (
                        text(step, crate::Language::En),
                        text(step, crate::Language::De),
                        text(step, crate::Language::Fr),
                    );
                    ReminderStepForm {
                        days: step.days.to_string(),
                        enabled: step.enabled.then(|| "on".into()),
                        en_subject: en.subject,
                        en_body: en.body,
                        de_subject: de.subject,
                        de_body: de.body,
                        fr_subject: fr.subject,
                        fr_body: fr.body,
                    }
                })
                .collect(),
        }
    }

    /// The settings; a step whose day is blank is left out (the page's empty row adds one).
    pub fn to_settings(&self) -> Result<crate::reminders::ReminderSettings, crate::Error> {
        use crate::reminders::{Step, StepText, StepTexts};
        let mut steps = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            let Some(days) = typed_int(&s.days, &format!("steps[{i}].days"), "days like -3, 0 or 7")? else { continue };
            let text = |subject: &str, body: &str| {
                (!subject.trim().is_empty() || !body.trim().is_empty()).then(|| StepText {
                    subject: subject.trim().into(),
                    body: body.replace("\r\n", "\n").trim().into(),
                })
            };
            steps.push(Step {
                days,
                enabled: s.enabled.is_some(),
                texts: StepTexts {
                    en: text(&s.en_subject, &s.en_body),
                    de: text(&s.de_subject, &s.de_body),
                    fr: text(&s.fr_subject, &s.fr_body),
                },
            });
        }
        Ok(crate::reminders::ReminderSettings {
            enabled: self.enabled.is_some(),
            time_zone: self.time_zone.trim().into(),
            send_hour: typed_int(&self.send_hour, "send_hour", "an hour from 0 to 23")?.unwrap_or(9),
            steps,
        })
    }
}

//! Rows ↔ the validated content and the API's Invoice.

use crate::entities::{customer, invoice, line_item};
use crate::error::corrupt;
use crate::{Error, Store};
use domain::Status;
use domain::dto::{Contact, Discount, Invoice, LineItem, LineTax, Recipient, Tax, TaxBreakdown};
use domain::totals::Totals;
use domain::validate::{InvoiceContent, LineContent, TaxContent};
use rust_decimal::Decimal;
use sea_orm::Set;
use std::str::FromStr;

fn json<T: serde::Serialize>(what: &str, value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| corrupt(what, e))
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| corrupt(what, e))
}

fn parse_decimal(what: &str, text: &str) -> Result<Decimal, Error> {
    Decimal::from_str(text)
        .map_err(|e| Error::Db(sea_orm::DbErr::Custom(format!("stored {what} is not a decimal: {e}"))))
}

pub(crate) fn status_of(m: &invoice::Model) -> Result<Status, Error> {
    Status::parse(&m.status).ok_or_else(|| Error::Db(sea_orm::DbErr::Custom(format!("unknown status {}", m.status))))
}

/// The recipient as the customer record describes it.
pub(crate) fn recipient_of(c: &customer::Model) -> Result<Recipient, Error> {
    let dto = crate::customers::to_dto(c.clone())?;
    Ok(Recipient {
        company: Some(dto.company),
        name: dto.contact.as_ref().and_then(|x| x.name.clone()),
        email: dto.contact.as_ref().and_then(|x| x.email.clone()),
        tax_id: dto.tax_id,
        vat_id: dto.vat_id,
        address: dto.address,
        ap: dto.ap_contact,
        cc_emails: dto.cc_emails,
        e_invoice_format: Some(dto.e_invoice_format),
        buyer_reference: dto.buyer_reference,
        peppol_id: dto.peppol_id,
    })
}

/// `given` with its blanks filled from `fallback` (the customer record).
pub(crate) fn fill_recipient(given: Recipient, fallback: Recipient) -> Recipient {
    let ap = match (given.ap, fallback.ap) {
        (Some(a), Some(b)) => Some(Contact { name: a.name.or(b.name), email: a.email.or(b.email) }),
        (a, b) => a.or(b),
    };
    Recipient {
        company: given.company.or(fallback.company),
        name: given.name.or(fallback.name),
        email: given.email.or(fallback.email),
        tax_id: given.tax_id.or(fallback.tax_id),
        vat_id: given.vat_id.or(fallback.vat_id),
        address: given.address.or(fallback.address),
        ap,
        cc_emails: if given.cc_emails.is_empty() { fallback.cc_emails } else { given.cc_emails },
        e_invoice_format: given.e_invoice_format.or(fallback.e_invoice_format),
        buyer_reference: given.buyer_reference.or(fallback.buyer_reference),
        peppol_id: given.peppol_id.or(fallback.peppol_id),
    }
}

pub(crate) fn content_of(m: &invoice::Model, lines: &[line_item::Model]) -> Result<InvoiceContent, Error> {
    Ok(InvoiceContent {
        recipient: parse_json("recipient", &m.recipient)?,
        currency: m.currency.clone(),
        issue_date: m.issue_date,
        due_date: m.due_date,
        line_items: lines
            .iter()
            .map(|l| {
                Ok(LineContent {
                    description: l.description.clone(),
                    quantity: parse_decimal("quantity", &l.quantity)?,
                    unit_price_cents: l.unit_price_cents,
                    discount: l.discount.as_deref().map(|d| parse_json::<Discount>("discount", d)).transpose()?,
                    tax: l.tax.as_deref().map(|t| parse_json::<LineTax>("line tax", t)).transpose()?,
                })
            })
            .collect::<Result<_, Error>>()?,
        discount: m.discount.as_deref().map(|d| parse_json("discount", d)).transpose()?,
        tax: m
            .tax_rate
            .as_deref()
            .map(|r| Ok::<_, Error>(TaxContent { label: m.tax_label.clone(), rate: parse_decimal("tax rate", r)? }))
            .transpose()?,
        prices_include_tax: m.prices_include_tax,
        language: Some(domain::Language::parse(&m.language).unwrap_or_default()),
        po_number: m.po_number.clone(),
        terms_text: m.terms_text.clone(),
        footer_note: m.footer_note.clone(),
        subscription_context: m.subscription_context.clone(),
    })
}

/// Writes content and its totals onto an invoice row that has `paid_cents` paid on it; its
/// total cannot go below that.
pub(crate) fn set_content(
    a: &mut invoice::ActiveModel,
    c: &InvoiceContent,
    t: &Totals,
    paid_cents: i64,
) -> Result<(), Error> {
    if t.total_cents < paid_cents {
        return Err(Error::conflict(
            "line_items",
            format!(
                "the new total ({}) is less than what was already paid ({}): record a refund first",
                domain::currency::format_amount(t.total_cents, &c.currency),
                domain::currency::format_amount(paid_cents, &c.currency)
            ),
        ));
    }
    a.recipient = Set(json("recipient", &c.recipient)?);
    a.currency = Set(c.currency.clone());
    a.issue_date = Set(c.issue_date);
    a.due_date = Set(c.due_date);
    a.discount = Set(c.discount.as_ref().map(|d| json("discount", d)).transpose()?);
    a.tax_label = Set(c.tax.as_ref().and_then(|t| t.label.clone()));
    a.tax_rate = Set(c.tax.as_ref().map(|t| t.rate.normalize().to_string()));
    a.prices_include_tax = Set(c.prices_include_tax);
    a.subtotal_cents = Set(t.subtotal_cents);
    a.discount_cents = Set(t.discount_cents);
    a.tax_cents = Set(t.tax_cents);
    a.rounding_cents = Set(t.rounding_cents);
    let language = c.language.unwrap_or_default();
    a.language = Set(language.code().to_string());
    let breakdown = c.breakdown(t, |category| i18n::default_reason(language, category));
    a.tax_breakdown = Set(json("tax breakdown", &breakdown)?);
    a.total_cents = Set(t.total_cents);
    a.balance_due_cents = Set(t.total_cents - paid_cents);
    a.po_number = Set(c.po_number.clone());
    a.terms_text = Set(c.terms_text.clone());
    a.footer_note = Set(c.footer_note.clone());
    a.subscription_context = Set(c.subscription_context.clone());
    Ok(())
}

pub(crate) fn line_rows(invoice_id: i64, c: &InvoiceContent, t: &Totals) -> Result<Vec<line_item::ActiveModel>, Error> {
    c.line_items
        .iter()
        .zip(&t.lines)
        .enumerate()
        .map(|(i, (l, lt))| {
            Ok(line_item::ActiveModel {
                invoice_id: Set(invoice_id),
                position: Set(i as i32),
                description: Set(l.description.clone()),
                quantity: Set(l.quantity.normalize().to_string()),
                unit_price_cents: Set(l.unit_price_cents),
                discount: Set(l.discount.as_ref().map(|d| json("discount", d)).transpose()?),
                tax: Set(l.tax.as_ref().map(|t| json("line tax", t)).transpose()?),
                discount_cents: Set(lt.discount_cents),
                line_total_cents: Set(lt.total_cents),
                ..Default::default()
            })
        })
        .collect()
}

pub(crate) fn to_dto(store: &Store, m: invoice::Model, lines: Vec<line_item::Model>) -> Result<Invoice, Error> {
    let content = content_of(&m, &lines)?;
    let share_token = store.sealer().open(&m.share_token_sealed).ok_or_else(|| {
        Error::Db(sea_orm::DbErr::Custom(format!(
            "share token of invoice {} cannot be unsealed: was SECRET_KEY changed?",
            m.id
        )))
    })?;
    Ok(Invoice {
        id: m.number.clone(),
        customer_id: Some(m.customer_id),
        status: status_of(&m)?,
        currency: content.currency,
        language: content.language.unwrap_or_default(),
        issue_date: content.issue_date,
        due_date: content.due_date,
        recipient: content.recipient,
        line_items: content
            .line_items
            .into_iter()
            .zip(&lines)
            .map(|(l, row)| LineItem {
                description: l.description,
                quantity: l.quantity,
                unit_price_cents: l.unit_price_cents,
                discount: l.discount,
                tax: l.tax,
                discount_cents: row.discount_cents,
                line_total_cents: row.line_total_cents,
            })
            .collect(),
        discount: content.discount,
        discount_cents: m.discount_cents,
        tax: content.tax.map(|t| Tax { label: t.label, rate: t.rate, amount_cents: m.tax_cents }),
        prices_include_tax: content.prices_include_tax,
        subtotal_cents: m.subtotal_cents,
        tax_cents: m.tax_cents,
        tax_breakdown: parse_json::<Vec<TaxBreakdown>>("tax breakdown", &m.tax_breakdown)?,
        rounding_cents: m.rounding_cents,
        total_cents: m.total_cents,
        amount_paid_cents: m.amount_paid_cents,
        balance_due_cents: m.balance_due_cents,
        credited_cents: m.credited_cents,
        refund_due_cents: domain::Balance {
            total_cents: m.total_cents,
            paid_cents: m.amount_paid_cents,
            credited_cents: m.credited_cents,
        }
        .refund_due_cents(),
        po_number: content.po_number,
        terms_text: content.terms_text,
        footer_note: content.footer_note,
        subscription_context: content.subscription_context,
        share_url: store.share_url(&share_token),
        share_token,
        sent_at: m.sent_at,
        paid_at: m.paid_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
        reminders_enabled: m.reminders_enabled,
        recurring_invoice_id: m.recurring_invoice_id,
        e_invoice: None,
        customer: None,
    })
}

//! A recurring invoice's template: an InvoiceCreate body without dates, checked like an
//! invoice when saved (so an occurrence cannot fail on content), its customer resolved once
//! (occurrences use the customer's address as it is then), and filled per occurrence:
//! dates, and `{period}`, `{period_start}`, `{period_end}` in the document's language.

use crate::customers::{find_or_create_for, find_owned};
use crate::senders::Sender;
use crate::{Error, Store};
use chrono::{Datelike, NaiveDate};
use domain::Language;
use domain::dto::InvoiceInput;
use domain::schedule::{Schedule, Unit};
use domain::validate::{Defaults, InvoiceContent};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// What an occurrence sets itself: a template leaves them out.
const PER_OCCURRENCE: [&str; 3] = ["issue_date", "due_date", "status"];

/// The texts placeholders are filled in.
const TEXTS: [&str; 3] = ["terms_text", "footer_note", "subscription_context"];

fn in_template(e: Error) -> Error {
    match e {
        Error::Invalid { message, field } => {
            Error::Invalid { message, field: Some(format!("template.{}", field.unwrap_or_default())) }
        }
        other => other,
    }
}

/// The template as stored (its customer named by id, no recipient) and its customer.
pub(super) async fn checked(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    template: Value,
) -> Result<(Value, i64), Error> {
    let Value::Object(mut fields) = template else {
        return Err(Error::invalid("template", "template is an invoice body (a JSON object)"));
    };
    if let Some(key) = PER_OCCURRENCE.iter().find(|k| fields.contains_key(**k)) {
        return Err(Error::invalid(
            &format!("template.{key}"),
            "a template has no dates or status: each occurrence gets its issue date from the schedule and its due date from due_days",
        ));
    }
    let input: InvoiceInput = serde_json::from_value(Value::Object(fields.clone()))
        .map_err(|e| Error::invalid("template", format!("not an invoice body: {e}")))?;
    let today = store.now().date_naive();
    let recipient = input.recipient.clone();
    let mut probe = input;
    probe.due_date = Some(today);
    let defaults = Defaults { currency: sender.default_currency.clone(), today };
    let (_, customer_id) = InvoiceContent::from_input(probe, &defaults).map_err(|e| in_template(e.into()))?;
    let customer = match (customer_id, recipient) {
        (Some(id), _) => find_owned(txn, sender.id, id).await.map_err(|e| match e {
            Error::NotFound { what, .. } => Error::NotFound { what, field: Some("template.customer_id".into()) },
            other => other,
        })?,
        (None, Some(r)) => {
            let r = domain::validate::recipient(r).map_err(|e| in_template(e.into()))?;
            find_or_create_for(txn, store.now(), sender.id, &r).await?
        }
        (None, None) => return Err(Error::invalid("template.recipient", "give a recipient or a customer_id")),
    };
    fields.insert("customer_id".into(), json!(customer.id));
    fields.remove("recipient");
    Ok((Value::Object(fields), customer.id))
}

/// A template made from one of the sender's invoices: its customer, lines, tax, discounts,
/// language and notes.
pub(super) async fn of_invoice(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    number: &str,
) -> Result<Value, Error> {
    let row = crate::invoices::find_owned_invoice(txn, sender.id, number, false).await.map_err(|e| match e {
        Error::NotFound { what, .. } => Error::NotFound { what, field: Some("from_invoice".into()) },
        other => other,
    })?;
    let invoice = crate::invoices::load(store, txn, row).await?;
    let lines: Vec<Value> = invoice
        .line_items
        .iter()
        .map(|l| {
            // The line as the API writes it (a quantity is a JSON number), its input fields only.
            let written = serde_json::to_value(l).unwrap_or_default();
            let keep = ["description", "quantity", "unit_price_cents", "discount", "tax"];
            keep.iter().map(|k| (k.to_string(), written.get(*k).cloned().unwrap_or(Value::Null))).collect()
        })
        .collect();
    let mut template = json!({
        "customer_id": invoice.customer_id,
        "currency": invoice.currency,
        "language": invoice.language,
        "line_items": lines,
        "discount": invoice.discount,
        "prices_include_tax": invoice.prices_include_tax,
        "po_number": invoice.po_number,
        "terms_text": invoice.terms_text,
        "footer_note": invoice.footer_note,
    });
    if let Some(tax) = &invoice.tax {
        template["tax"] = json!({ "label": tax.label, "rate": tax.rate });
    }
    Ok(template)
}

/// The words the placeholders stand for on an occurrence dated `date`.
fn period_words(schedule: &Schedule, date: NaiveDate, language: Language) -> [(&'static str, String); 3] {
    let (start, end) = schedule.period(date);
    let period = match schedule.period_is_calendar(date) {
        Some(Unit::Month) => i18n::month_year(language, start),
        Some(Unit::Year) => start.year().to_string(),
        _ => format!("{} – {}", i18n::date(language, start), i18n::date(language, end)),
    };
    [("{period}", period), ("{period_start}", i18n::date(language, start)), ("{period_end}", i18n::date(language, end))]
}

fn fill(text: &str, words: &[(&str, String)]) -> String {
    words.iter().fold(text.to_string(), |t, (placeholder, value)| t.replace(placeholder, value))
}

/// The invoice body of the occurrence on `date`: the template with its dates and its
/// placeholders filled in `language`.
pub(super) fn occurrence_body(
    template: &Value,
    schedule: &Schedule,
    date: NaiveDate,
    due_date: NaiveDate,
    language: Language,
) -> Value {
    let words = period_words(schedule, date, language);
    let mut body = template.clone();
    if let Some(lines) = body.get_mut("line_items").and_then(Value::as_array_mut) {
        for line in lines {
            if let Some(Value::String(d)) = line.get_mut("description") {
                *d = fill(d, &words);
            }
        }
    }
    for key in TEXTS {
        if let Some(Value::String(text)) = body.get_mut(key) {
            *text = fill(text, &words);
        }
    }
    body["issue_date"] = json!(date);
    body["due_date"] = json!(due_date);
    body
}

/// The occurrence's document language: the template's, else the customer's, else English
/// (as an invoice's is decided).
pub(super) fn language_of(template: &Value, customer_language: Option<&str>) -> Language {
    template
        .get("language")
        .and_then(Value::as_str)
        .and_then(Language::parse)
        .or(customer_language.and_then(Language::parse))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_speak_the_document_language() {
        let schedule = Schedule {
            every: 1,
            unit: Unit::Month,
            day: Some(1),
            start_date: "2027-01-01".parse().unwrap(),
            end_date: None,
            count: None,
        };
        let template =
            json!({"line_items": [{"description": "Hosting {period}"}], "terms_text": "{period_start} – {period_end}"});
        let date = "2027-03-01".parse().unwrap();
        let due = "2027-03-15".parse().unwrap();
        let de = occurrence_body(&template, &schedule, date, due, Language::De);
        assert_eq!(de["line_items"][0]["description"], "Hosting März 2027");
        assert_eq!(de["terms_text"], "1. März 2027 – 31. März 2027");
        assert_eq!(de["issue_date"], "2027-03-01");
        let en = occurrence_body(&template, &schedule, date, due, Language::En);
        assert_eq!(en["line_items"][0]["description"], "Hosting March 2027");
        let fr = occurrence_body(&template, &schedule, date, due, Language::Fr);
        assert_eq!(fr["line_items"][0]["description"], "Hosting mars 2027");
    }
}

//! Running a tool: its arguments checked against the API's request schema, then the same
//! `data` service as its route. A client's mistake comes back as a tool result with
//! `isError: true` and the API's `{"error", "field"}` body, so a model can correct itself. A
//! dry run runs the use case on a rehearsing store (rolled back) and shows the mail it queued.

use super::catalogue::{self, IDEMPOTENCY_KEY, argument_name};
use crate::api::contract;
use crate::api::invoice_list::ListParams;
use crate::state::AppState;
use data::api_keys::Caller;
use data::cursor::PageRequest;
use data::events::Actor;
use data::senders::Sender;
use domain::dto::InvoiceInput;
use rmcp::model::CallToolResult;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// What a tool call ends with, before it becomes a result.
pub(super) type Answer = Result<Value, data::Told>;

pub(super) fn refused(message: impl Into<String>, field: Option<&str>) -> data::Told {
    data::Told {
        kind: domain::ErrorKind::Invalid,
        violations: None,
        message: message.into(),
        field: field.map(str::to_string),
        retry_after_secs: None,
        standing: None,
    }
}

fn told(e: data::Error) -> data::Told {
    e.told()
}

fn body<T: DeserializeOwned>(schema: &str, args: Map<String, Value>) -> Result<T, data::Told> {
    let value = Value::Object(args);
    contract::check(schema, &value).map_err(|(message, field)| refused(message, field.as_deref()))?;
    serde_json::from_value(value).map_err(|e| refused(e.to_string(), None))
}

fn page(args: &Map<String, Value>) -> Result<PageRequest, data::Told> {
    let limit = args.get("limit").and_then(Value::as_i64);
    PageRequest::parse(limit, args.get("cursor").and_then(Value::as_str)).map_err(told)
}

fn to_json(v: impl serde::Serialize) -> Answer {
    serde_json::to_value(v).map_err(|e| data::Told::internal(&e.to_string()))
}

/// A result as the client gets it.
pub(super) fn result_of(answer: Answer) -> CallToolResult {
    match answer {
        Ok(value) => CallToolResult::structured(value),
        Err(t) => {
            let mut body = json!({"error": t.message, "field": t.field, "status": t.kind.status()});
            if let Some(violations) = t.violations {
                body["violations"] = json!(violations.0);
            }
            if let Some(secs) = t.retry_after_secs {
                body["retry_after_secs"] = json!(secs);
            }
            CallToolResult::structured_error(body)
        }
    }
}

/// Runs tool `name` for `caller`; with `idempotency_key`, at most once per key.
pub async fn call(state: &AppState, caller: &Caller, name: &str, args: Option<Map<String, Value>>) -> CallToolResult {
    let mut args = args.unwrap_or_default();
    match args.remove(IDEMPOTENCY_KEY) {
        Some(key) if catalogue::spec(name).is_some_and(|s| s.writes) => {
            super::idempotent::call(state, caller, name, key, args).await
        }
        _ => result_of(run(state, caller, name, args).await),
    }
}

/// The required argument `name` (a path parameter of the route), as text.
fn text(args: &mut Map<String, Value>, name: &str) -> Result<String, data::Told> {
    let example = if name == "number" { ", e.g. ACME-0001" } else { "" };
    match args.remove(name) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(refused(format!("{name} is required{example}"), Some(name))),
    }
}

fn flag(args: &mut Map<String, Value>, name: &str) -> Result<bool, data::Told> {
    match args.remove(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(_) => Err(refused(format!("{name} is true or false"), Some(name))),
    }
}

/// `value` (an object) with the mail a dry run would have sent.
fn with_mail(value: Value, rehearsal: &data::store::Rehearsal) -> Answer {
    let mut value = value;
    let mut mails = Vec::new();
    for envelope in rehearsal.mail() {
        let rendered = crate::mail::render(&envelope.mail).map_err(|e| data::Told::internal(&e))?;
        let template = serde_json::to_value(&envelope.mail).ok().and_then(|m| m["template"].as_str().map(String::from));
        mails.push(json!({
            "template": template, "to": envelope.to, "cc": envelope.cc,
            "subject": rendered.subject, "text": rendered.text,
        }));
    }
    if let Some(object) = value.as_object_mut() {
        object.insert("preview_mail".into(), Value::Array(mails));
    }
    Ok(value)
}

pub(super) async fn run(state: &AppState, caller: &Caller, name: &str, mut args: Map<String, Value>) -> Answer {
    let spec = catalogue::spec(name).ok_or_else(|| refused(format!("no tool named {name}"), None))?;
    let sender = match spec.writes {
        true => caller.may_write().map_err(told)?.clone(),
        false => caller.sender.clone(),
    };
    let dry = flag(&mut args, "dry_run")?;
    match spec.operation {
        Some(_) => lifecycle(state, &sender, name, args, dry).await,
        None => seed(state, &sender, name, args, dry).await,
    }
}

/// The seed's seven tools.
async fn seed(state: &AppState, sender: &Sender, name: &str, mut args: Map<String, Value>, dry: bool) -> Answer {
    let store = &state.store;
    match name {
        "create_invoice" => {
            let input = body("InvoiceCreate", args)?;
            let made = match dry {
                true => data::invoices::preview_create(store, sender, input, Actor::Api).await,
                false => data::invoices::create(store, sender, input, Actor::Api).await,
            };
            to_json(made.map_err(told)?)
        }
        "update_invoice" => {
            let number = text(&mut args, "number")?;
            let patch = body("InvoiceUpdate", args)?;
            let changed = match dry {
                true => data::invoices::preview_update(store, sender.id, &number, patch, Actor::Api).await,
                false => data::invoices::update(store, sender.id, &number, patch, Actor::Api).await,
            };
            to_json(changed.map_err(told)?)
        }
        "get_invoice" => {
            let number = text(&mut args, "number")?;
            let expand = args.get("expand").and_then(Value::as_str).map(|e| ("expand", e));
            let expand = ListParams::from_pairs(expand).map_err(told)?.expand_customer;
            let mut invoice = data::invoices::get_judged(store, sender, &number).await.map_err(told)?;
            if expand {
                let one = std::slice::from_mut(&mut invoice);
                data::customers::expand_on(store, sender.id, one).await.map_err(told)?;
            }
            to_json(invoice)
        }
        "list_invoices" => {
            let params = ListParams::from_arguments(&args).map_err(told)?;
            let mut page = data::invoices::list(store, sender.id, &params.filter, params.page).await.map_err(told)?;
            if params.expand_customer {
                data::customers::expand_on(store, sender.id, &mut page.data).await.map_err(told)?;
            }
            Ok(json!({"invoices": page.data, "next_cursor": page.next_cursor}))
        }
        "create_customer" => {
            let input = body("CustomerCreate", args)?;
            let made = match dry {
                true => data::customers::preview_create(store, sender.id, input).await,
                false => data::customers::create(store, sender.id, input).await,
            };
            to_json(made.map_err(told)?)
        }
        "list_customers" => {
            let page = data::customers::list(store, sender.id, page(&args)?).await.map_err(told)?;
            Ok(json!({"customers": page.data, "next_cursor": page.next_cursor}))
        }
        "get_customer" => {
            let id = args.get("id").and_then(Value::as_i64).ok_or_else(|| refused("id is required", Some("id")))?;
            to_json(data::customers::get(store, sender.id, id).await.map_err(told)?)
        }
        _ => Err(refused(format!("no tool named {name}"), None)),
    }
}

/// The tools for the rest of an invoice's life, one API operation each.
async fn lifecycle(state: &AppState, sender: &Sender, name: &str, mut args: Map<String, Value>, dry: bool) -> Answer {
    if name == "list_events" {
        let event_type = args.get("type").and_then(Value::as_str);
        if let Some(t) = event_type.filter(|t| !domain::events::ALL_TYPES.contains(t)) {
            return Err(refused(format!("unknown event type {t:?}"), Some("type")));
        }
        let page = data::events::feed(&state.store, sender.id, event_type, page(&args)?).await.map_err(told)?;
        return Ok(json!({"events": page.data, "next_cursor": page.next_cursor}));
    }
    let number = text(&mut args, argument_name("invoice_number"))?;
    let (rehearsing, rehearsal) = state.store.rehearsing();
    let store = if dry { &rehearsing } else { &state.store };
    let previewed = |value: Value| if dry { with_mail(value, &rehearsal) } else { Ok(value) };
    match name {
        "send_invoice" => {
            let sent = match dry {
                true => data::invoices::preview_send(store, sender, &number, Actor::Api).await,
                false => data::invoices::send(store, sender, &number, Actor::Api).await,
            };
            previewed(to_json(sent.map_err(told)?)?)
        }
        "cancel_invoice" => {
            let patch = InvoiceInput::to_status(domain::Status::Cancelled);
            let cancelled = match dry {
                true => data::invoices::preview_update(store, sender.id, &number, patch, Actor::Api).await,
                false => data::invoices::update(store, sender.id, &number, patch, Actor::Api).await,
            };
            previewed(to_json(cancelled.map_err(told)?)?)
        }
        "record_payment" => {
            let input = body("PaymentCreate", args)?;
            let paid = match dry {
                true => data::payments::preview_record(store, sender, &number, input, Actor::Api).await,
                false => data::payments::record(store, sender, &number, input, Actor::Api).await,
            };
            previewed(to_json(paid.map_err(told)?)?)
        }
        "list_payments" => {
            let page = data::payments::list(store, sender.id, &number).await.map_err(told)?;
            Ok(json!({"payments": page.data, "next_cursor": page.next_cursor}))
        }
        "create_credit_note" => {
            let input = body("CreditNoteCreate", args)?;
            let note = match dry {
                true => data::credit_notes::preview_create(store, sender, &number, input, Actor::Api).await,
                false => data::credit_notes::create(store, sender, &number, input, Actor::Api).await,
            };
            previewed(to_json(note.map_err(told)?)?)
        }
        "send_reminder" => {
            let reminded = match dry {
                true => data::reminders::preview_send_now(store, sender, &number, Actor::Api).await,
                false => data::reminders::send_now(store, sender, &number, Actor::Api).await,
            };
            previewed(to_json(reminded.map_err(told)?)?)
        }
        "validate_e_invoice" => {
            let invoice = data::invoices::get(store, sender.id, &number).await.map_err(told)?;
            let format = match args.get("format").and_then(Value::as_str) {
                None => data::einvoices::format_of(&invoice),
                Some(name) => domain::einvoice::EInvoiceFormat::parse(name)
                    .filter(|f| *f != domain::einvoice::EInvoiceFormat::None)
                    .ok_or_else(|| {
                        refused("format is one of facturx, xrechnung-cii, xrechnung-ubl, peppol", Some("format"))
                    })?,
            };
            to_json(data::einvoices::with_source(sender, &invoice, |s| data::einvoices::check_in(s, format)))
        }
        _ => Err(refused(format!("no tool named {name}"), None)),
    }
}

//! The seven tools, mirroring the REST API: each takes the REST body's JSON (its request schema
//! from the OpenAPI document, plus the path and query parameters as fields) and calls the same
//! `data` service as its route. A client's mistake comes back as a tool result with
//! `isError: true` and the API's `{"error", "field"}` body, so a model can correct itself.

use super::schemas::{components, named, self_contained, with_properties};
use crate::api::contract;
use crate::state::AppState;
use data::api_keys::Caller;
use data::cursor::PageRequest;
use data::events::Actor;
use rmcp::model::{CallToolResult, Tool, ToolAnnotations};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::sync::{Arc, OnceLock};

/// A tool's name and what it is for.
struct Spec {
    name: &'static str,
    description: &'static str,
    writes: bool,
    idempotent: bool,
    /// It can undo or void what was there (cancel an invoice, clear fields).
    destructive: bool,
}

const SPECS: [Spec; 7] = [
    Spec {
        name: "create_invoice",
        description: "Create an invoice (a draft) for a customer: give customer_id or a recipient with a company or e-mail (a new customer is made from it). Amounts are integer cents (unit_price_cents: 250000 = $2,500.00), dates ISO (2026-12-31), rates percent (tax.rate 20 = 20%). With dry_run true: validated and totalled, with the number it would get, nothing stored. Example: {\"recipient\": {\"company\": \"Acme Corp\"}, \"due_date\": \"2026-12-31\", \"line_items\": [{\"description\": \"Design work\", \"quantity\": 1, \"unit_price_cents\": 250000}]}",
        writes: true,
        idempotent: false,
        destructive: false,
    },
    Spec {
        name: "list_invoices",
        description: "List your invoices, newest first, a page at a time (pass next_cursor back as cursor). Filter by status (draft, sent, viewed, change_requested, updated, approved, paid, cancelled), customer_id, or q (an invoice number's beginning like ACME-00, a customer code, or part of a company name). Amounts are integer cents. Example: {\"status\": \"sent\", \"limit\": 10}",
        writes: false,
        idempotent: true,
        destructive: false,
    },
    Spec {
        name: "get_invoice",
        description: "Get one invoice by its number, with lines, totals (integer cents), status and share_url. Example: {\"number\": \"ACME-0001\"}",
        writes: false,
        idempotent: true,
        destructive: false,
    },
    Spec {
        name: "update_invoice",
        description: "Change an invoice by number: any writable field (null clears an optional one); status may become sent, paid or cancelled where its life cycle allows; approved, paid and cancelled invoices are locked. Amounts integer cents, dates ISO. With dry_run true: the invoice as it would be, nothing stored. Example: {\"number\": \"ACME-0001\", \"due_date\": \"2027-01-15\"}",
        writes: true,
        idempotent: true,
        destructive: true,
    },
    Spec {
        name: "create_customer",
        description: "Add a customer (company required); it gets a code (ACME) that prefixes its invoice numbers. Example: {\"company\": \"Acme Corp\", \"contact\": {\"name\": \"Ann\", \"email\": \"ap@acme.com\"}}",
        writes: true,
        idempotent: false,
        destructive: false,
    },
    Spec {
        name: "list_customers",
        description: "List your customers, newest first, a page at a time (pass next_cursor back as cursor). Example: {\"limit\": 25}",
        writes: false,
        idempotent: true,
        destructive: false,
    },
    Spec {
        name: "get_customer",
        description: "Get one customer by id. Example: {\"id\": 1}",
        writes: false,
        idempotent: true,
        destructive: false,
    },
];

fn page_fields() -> Value {
    json!({
        "limit": {"type": "integer", "minimum": 1, "maximum": 100, "description": "1–100, default 25"},
        "cursor": {"type": "string", "description": "next_cursor from the previous page"},
    })
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": properties, "required": required})
}

fn dry_run() -> Value {
    json!({"dry_run": {"type": "boolean", "default": false, "description": "true: validate and compute, store nothing"}})
}

/// The input schema of a tool, from the API's own schemas.
pub fn input_schema(name: &str, all: &Map<String, Value>) -> Value {
    let request = |n: &str| named(all, n);
    let schema = match name {
        "create_invoice" => with_properties(request("InvoiceCreate"), dry_run(), &[]),
        "update_invoice" => {
            let number = json!({"number": {"type": "string", "description": "e.g. ACME-0001"}});
            with_properties(with_properties(request("InvoiceUpdate"), number, &["number"]), dry_run(), &[])
        }
        "get_invoice" => object(json!({"number": {"type": "string", "description": "e.g. ACME-0001"}}), &["number"]),
        "list_invoices" => {
            let mut fields = page_fields();
            let statuses: Vec<&str> = domain::status::ALL_STATUSES.iter().map(|s| s.as_str()).collect();
            fields["status"] = json!({"type": "string", "enum": statuses});
            fields["customer_id"] = json!({"type": "integer", "format": "int64"});
            fields["q"] = json!({"type": "string"});
            object(fields, &[])
        }
        "create_customer" => request("CustomerCreate"),
        "list_customers" => object(page_fields(), &[]),
        "get_customer" => object(json!({"id": {"type": "integer", "format": "int64"}}), &["id"]),
        _ => object(json!({}), &[]),
    };
    self_contained(schema, all)
}

/// The output schema: an object, as MCP's structured content must be.
pub fn output_schema(name: &str, all: &Map<String, Value>) -> Value {
    let list = |key: &str, item: &str| {
        json!({"type": "object", "required": [key], "properties": {
            key: {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}},
            "next_cursor": {"type": ["string", "null"]},
        }})
    };
    let schema = match name {
        "list_invoices" => list("invoices", "Invoice"),
        "list_customers" => list("customers", "Customer"),
        "create_customer" | "get_customer" => named(all, "Customer"),
        _ => named(all, "Invoice"),
    };
    self_contained(schema, all)
}

fn as_object(v: Value) -> Arc<Map<String, Value>> {
    Arc::new(v.as_object().cloned().unwrap_or_default())
}

/// Every tool, built once.
pub fn catalogue() -> &'static [Tool] {
    static TOOLS: OnceLock<Vec<Tool>> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let all = components();
        SPECS
            .iter()
            .map(|spec| {
                let mut hints = ToolAnnotations::new().read_only(!spec.writes).idempotent(spec.idempotent);
                hints = hints.destructive(spec.destructive).open_world(false);
                Tool::new(spec.name, spec.description, as_object(input_schema(spec.name, &all)))
                    .with_raw_output_schema(as_object(output_schema(spec.name, &all)))
                    .with_annotations(hints)
            })
            .collect()
    })
}

/// The tools a caller may use: a read-only key sees the read tools only.
pub fn offered(caller: &Caller) -> Vec<Tool> {
    let may_write = caller.scope.may_write();
    catalogue().iter().filter(|t| may_write || SPECS.iter().any(|s| s.name == t.name && !s.writes)).cloned().collect()
}

/// What a tool call ends with, before it becomes a result.
type Answer = Result<Value, data::Told>;

fn refused(message: impl Into<String>, field: Option<&str>) -> data::Told {
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

/// Takes `name` out of the arguments (a path or query parameter of the REST route).
fn take(args: &mut Map<String, Value>, name: &str) -> Option<Value> {
    args.remove(name)
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

/// Runs tool `name` for `caller`.
pub async fn call(state: &AppState, caller: &Caller, name: &str, args: Option<Map<String, Value>>) -> CallToolResult {
    let answer = run(state, caller, name, args.unwrap_or_default()).await;
    match answer {
        Ok(value) => CallToolResult::structured(value),
        Err(t) => {
            CallToolResult::structured_error(json!({"error": t.message, "field": t.field, "status": t.kind.status()}))
        }
    }
}

async fn run(state: &AppState, caller: &Caller, name: &str, mut args: Map<String, Value>) -> Answer {
    let store = &state.store;
    let spec = SPECS.iter().find(|s| s.name == name).ok_or_else(|| refused(format!("no tool named {name}"), None))?;
    let sender = match spec.writes {
        true => caller.may_write().map_err(told)?.clone(),
        false => caller.sender.clone(),
    };
    let dry = take(&mut args, "dry_run").and_then(|v| v.as_bool()).unwrap_or(false);
    match name {
        "create_invoice" => {
            let input = body("InvoiceCreate", args)?;
            let made = match dry {
                true => data::invoices::preview_create(store, &sender, input, Actor::Api).await,
                false => data::invoices::create(store, &sender, input, Actor::Api).await,
            };
            to_json(made.map_err(told)?)
        }
        "update_invoice" => {
            let number = take(&mut args, "number").and_then(|v| v.as_str().map(str::to_string));
            let number = number.ok_or_else(|| refused("number is required, e.g. ACME-0001", Some("number")))?;
            let patch = body("InvoiceUpdate", args)?;
            let changed = match dry {
                true => data::invoices::preview_update(store, sender.id, &number, patch, Actor::Api).await,
                false => data::invoices::update(store, sender.id, &number, patch, Actor::Api).await,
            };
            to_json(changed.map_err(told)?)
        }
        "get_invoice" => {
            let number = args.get("number").and_then(Value::as_str).unwrap_or_default();
            to_json(data::invoices::get_judged(store, &sender, number).await.map_err(told)?)
        }
        "list_invoices" => {
            let params = crate::api::invoice_list::ListParams::from_arguments(&args).map_err(told)?;
            let mut page = data::invoices::list(store, sender.id, &params.filter, params.page).await.map_err(told)?;
            if params.expand_customer {
                data::customers::expand_on(store, sender.id, &mut page.data).await.map_err(told)?;
            }
            Ok(json!({"invoices": page.data, "next_cursor": page.next_cursor}))
        }
        "create_customer" => {
            let input = body("CustomerCreate", args)?;
            to_json(data::customers::create(store, sender.id, input).await.map_err(told)?)
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

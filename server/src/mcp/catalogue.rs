//! The tools: names, what each is for, how it is annotated, and its schemas. The seed's seven
//! take the REST body's JSON with their own parameter fields; every later tool is one API
//! operation, its input made from that operation (path and query parameters, then the request
//! body's fields), so a tool and its route cannot drift apart.

use super::schemas::{components, named, self_contained, with_properties};
use data::api_keys::Caller;
use rmcp::model::{Tool, ToolAnnotations};
use serde_json::{Map, Value, json};
use std::sync::{Arc, OnceLock};

/// A tool's name and what it is for.
pub struct Spec {
    pub name: &'static str,
    pub description: &'static str,
    /// The API operation it is (None: one of the seed's seven, with its own input).
    pub operation: Option<&'static str>,
    pub writes: bool,
    /// Calling it again with the same arguments changes nothing more.
    pub idempotent: bool,
    /// It can undo or void what was there (cancel an invoice, credit it, clear fields).
    pub destructive: bool,
}

const fn reads(name: &'static str, operation: Option<&'static str>, description: &'static str) -> Spec {
    Spec { name, description, operation, writes: false, idempotent: true, destructive: false }
}

const fn writes(name: &'static str, operation: Option<&'static str>, description: &'static str) -> Spec {
    Spec { name, description, operation, writes: true, idempotent: false, destructive: false }
}

pub const SPECS: [Spec; 15] = [
    writes(
        "create_invoice",
        None,
        "Create an invoice (a draft) for a customer: give customer_id or a recipient with a company or e-mail (a new customer is made from it). Amounts are integer cents (unit_price_cents: 250000 = $2,500.00), dates ISO (2026-12-31), rates percent (tax.rate 20 = 20%). With dry_run true: validated and totalled, with the number it would get, nothing stored. Example: {\"recipient\": {\"company\": \"Acme Corp\"}, \"due_date\": \"2026-12-31\", \"line_items\": [{\"description\": \"Design work\", \"quantity\": 1, \"unit_price_cents\": 250000}]}",
    ),
    reads(
        "list_invoices",
        None,
        "List your invoices, newest first, a page at a time (pass next_cursor back as cursor). Filter by status (draft, sent, viewed, change_requested, updated, approved, paid, cancelled; several separated by commas: \"sent,viewed\"), customer_id, currency, issued_from/issued_to, due_from/due_to (ISO dates), overdue, or q (an invoice number's beginning like ACME-00, a customer code, or part of a company name); sort by -created (default), created, due_date, -due_date, amount, -amount, number, -number; expand \"customer\" to get each invoice's customer. A page may hold fewer than limit (even none) while next_cursor is set: keep going until it is null. Amounts are integer cents. Example: {\"status\": \"sent,viewed\", \"sort\": \"due_date\", \"limit\": 10}",
    ),
    reads(
        "get_invoice",
        None,
        "Get one invoice by its number, with lines, totals (integer cents), status and share_url. Example: {\"number\": \"ACME-0001\"}",
    ),
    Spec {
        idempotent: true,
        destructive: true,
        ..writes(
            "update_invoice",
            None,
            "Change an invoice by number: any writable field (null clears an optional one); status may become sent, paid or cancelled where its life cycle allows; approved, paid and cancelled invoices are locked. Amounts integer cents, dates ISO. With dry_run true: the invoice as it would be, nothing stored. Example: {\"number\": \"ACME-0001\", \"due_date\": \"2027-01-15\"}",
        )
    },
    writes(
        "create_customer",
        None,
        "Add a customer (company required); it gets a code (ACME) that prefixes its invoice numbers. With dry_run true: the customer as it would be (its code), nothing stored. Example: {\"company\": \"Acme Corp\", \"contact\": {\"name\": \"Ann\", \"email\": \"ap@acme.com\"}}",
    ),
    reads(
        "list_customers",
        None,
        "List your customers, newest first, a page at a time (pass next_cursor back as cursor). Example: {\"limit\": 25}",
    ),
    reads("get_customer", None, "Get one customer by id. Example: {\"id\": 1}"),
    Spec {
        idempotent: true,
        ..writes(
            "send_invoice",
            Some("sendInvoice"),
            "Send a draft invoice to its recipient by e-mail (with its PDF and, when the customer needs one, its e-invoice). Sending again is refused (409), so a repeat sends nothing. With dry_run true: every check sending makes, the invoice as it would be and preview_mail (the mail that would go out), nothing sent or stored. Example: {\"number\": \"ACME-0001\", \"dry_run\": true}",
        )
    },
    Spec {
        idempotent: true,
        destructive: true,
        ..writes(
            "cancel_invoice",
            Some("cancelInvoice"),
            "Cancel an invoice. A draft is just cancelled; a sent one is cancelled by its cancellation, a credit note of everything not yet credited, mailed to the recipient. Cannot be undone; cancelling a cancelled invoice changes nothing. With dry_run true: the invoice as it would be and preview_mail, nothing stored. Example: {\"number\": \"ACME-0001\", \"dry_run\": true}",
        )
    },
    writes(
        "record_payment",
        Some("createPayment"),
        "Record money received for an invoice (integer cents; a negative amount records a refund). Paying the balance marks the invoice paid; the recipient gets a receipt. Methods: bank_transfer, cash, other (card payments come from Stripe). With dry_run true: the payment as it would be and preview_mail (the receipt), nothing stored. Example: {\"number\": \"ACME-0001\", \"amount_cents\": 250000, \"method\": \"bank_transfer\", \"paid_on\": \"2027-01-10\"}",
    ),
    reads(
        "list_payments",
        Some("listPayments"),
        "List an invoice's payments and refunds (negative), oldest first. Example: {\"number\": \"ACME-0001\"}",
    ),
    Spec {
        destructive: true,
        ..writes(
            "create_credit_note",
            Some("createCreditNote"),
            "Issue a credit note against a sent invoice, with a reason: the lines to credit (line counted from 0 as in line_items, quantity to credit; absent: all of it), or no lines for everything not yet credited. It is numbered, archived and mailed to the recipient and cannot be withdrawn. With dry_run true: the credit note as it would be (number, amounts, e-invoice verdict) and preview_mail, nothing stored. Example: {\"number\": \"ACME-0001\", \"reason\": \"Two hours billed twice\", \"lines\": [{\"line\": 0, \"quantity\": 2}], \"dry_run\": true}",
        )
    },
    writes(
        "send_reminder",
        Some("sendInvoiceReminder"),
        "Send the recipient a payment reminder now (in their language, with the amount due and how to pay). At most one a day per invoice (429 with retry_after_secs), only for sent invoices with a balance. With dry_run true: preview_mail (the reminder), nothing sent. Example: {\"number\": \"ACME-0001\", \"dry_run\": true}",
    ),
    reads(
        "validate_e_invoice",
        Some("getInvoiceEInvoice"),
        "Check an invoice against the e-invoice rules (EN 16931 and the format's own: facturx, xrechnung-cii, xrechnung-ubl, peppol; default the customer's format, else facturx): valid, and each violation's rule and message. An invoice whose customer needs an e-invoice cannot be sent while it is not valid. Example: {\"number\": \"ACME-0001\", \"format\": \"xrechnung-ubl\"}",
    ),
    reads(
        "list_events",
        Some("listEvents"),
        "What happened to your invoices, newest first, a page at a time (pass next_cursor back as cursor): created, sent, viewed, approved, paid, reminders, credit notes… Filter by type (e.g. invoice.paid). Poll it instead of taking webhooks. Example: {\"type\": \"invoice.paid\", \"limit\": 10}",
    ),
];

pub fn spec(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}

/// What an operation's path parameter is called in a tool (as the seed's tools call it).
pub fn argument_name(parameter: &str) -> &str {
    match parameter {
        "invoice_number" => "number",
        other => other,
    }
}

pub const IDEMPOTENCY_KEY: &str = "idempotency_key";

fn idempotency_key() -> Value {
    json!({IDEMPOTENCY_KEY: {"type": "string", "minLength": 1, "maxLength": 255,
        "description": "A unique value (a UUID) per intended call: a retry with the same key and arguments returns the first answer and does nothing again, for 24 hours (as the API's Idempotency-Key)"}})
}

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

fn operation<'a>(doc: &'a Value, id: &str) -> Option<&'a Value> {
    let paths = doc["paths"].as_object()?;
    paths.values().filter_map(Value::as_object).flat_map(|item| item.values()).find(|op| op["operationId"] == id)
}

/// An operation's input as one object: its path and query parameters, then its body's fields;
/// `idempotency_key` where the operation takes an Idempotency-Key.
pub fn operation_input(doc: &Value, id: &str) -> Value {
    let Some(op) = operation(doc, id) else { return object(json!({}), &[]) };
    let (mut properties, mut required) = (Map::new(), Vec::new());
    let mut keyed = false;
    for p in op["parameters"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or_default();
        if p["in"] == "header" {
            keyed |= name == "Idempotency-Key";
            continue;
        }
        let mut schema = p["schema"].clone();
        if let Some(description) = p.get("description") {
            schema["description"] = description.clone();
        }
        let name = argument_name(name).to_string();
        if p["required"] == true {
            required.push(json!(name));
        }
        properties.insert(name, schema);
    }
    let body = op.pointer("/requestBody/content/application~1json/schema/$ref").and_then(Value::as_str);
    if let Some(body) = body.and_then(|r| r.rsplit('/').next()) {
        let schema = named(&components(), body);
        properties.extend(schema["properties"].as_object().cloned().unwrap_or_default());
        required.extend(schema["required"].as_array().cloned().unwrap_or_default());
    }
    if keyed {
        properties.extend(idempotency_key().as_object().cloned().unwrap_or_default());
    }
    json!({"type": "object", "additionalProperties": false, "properties": properties, "required": required})
}

/// The input schema of a tool, from the API's own schemas.
pub fn input_schema(spec: &Spec, doc: &Value, all: &Map<String, Value>) -> Value {
    let request = |n: &str| named(all, n);
    let keyed = |schema: Value| with_properties(schema, idempotency_key(), &[]);
    let schema = match (spec.name, spec.operation) {
        (_, Some(op)) => operation_input(doc, op),
        ("create_invoice", _) => keyed(with_properties(request("InvoiceCreate"), dry_run(), &[])),
        ("update_invoice", _) => {
            let number = json!({"number": {"type": "string", "description": "e.g. ACME-0001"}});
            keyed(with_properties(with_properties(request("InvoiceUpdate"), number, &["number"]), dry_run(), &[]))
        }
        ("get_invoice", _) => {
            let fields = json!({
                "number": {"type": "string", "description": "e.g. ACME-0001"},
                "expand": {"type": "string", "enum": ["customer"], "description": "customer: the invoice carries its customer"},
            });
            object(fields, &["number"])
        }
        ("list_invoices", _) => {
            let mut fields = page_fields();
            let list = operation_input(doc, "listInvoices");
            for (name, schema) in list["properties"].as_object().into_iter().flatten() {
                if !matches!(name.as_str(), "limit" | "cursor") {
                    fields[name] = schema.clone();
                }
            }
            // The seed's tool took one status: one, or several separated by commas.
            let statuses: Vec<&str> = domain::status::ALL_STATUSES.iter().map(|s| s.as_str()).collect();
            fields["status"] = json!({"type": "string", "description": format!("one of {} or several separated by commas", statuses.join(", "))});
            object(fields, &[])
        }
        ("create_customer", _) => keyed(with_properties(request("CustomerCreate"), dry_run(), &[])),
        ("list_customers", _) => object(page_fields(), &[]),
        ("get_customer", _) => object(json!({"id": {"type": "integer", "format": "int64"}}), &["id"]),
        _ => object(json!({}), &[]),
    };
    self_contained(schema, all)
}

/// The mails a dry run would send, as a write tool's result carries them.
fn preview_mail() -> Value {
    json!({"preview_mail": {
        "type": "array",
        "description": "dry_run only: the mail this call would send (nothing was sent)",
        "items": {"type": "object", "required": ["template", "to", "subject", "text"], "properties": {
            "template": {"type": "string"},
            "to": {"type": "array", "items": {"type": "string"}},
            "cc": {"type": "array", "items": {"type": "string"}},
            "subject": {"type": "string"},
            "text": {"type": "string"},
        }},
    }})
}

/// The output schema: an object, as MCP's structured content must be.
pub fn output_schema(name: &str, all: &Map<String, Value>) -> Value {
    let list = |key: &str, item: &str| {
        json!({"type": "object", "required": [key], "properties": {
            key: {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}},
            "next_cursor": {"type": ["string", "null"]},
        }})
    };
    let with_mail = |schema: &str| with_properties(named(all, schema), preview_mail(), &[]);
    let schema = match name {
        "list_invoices" => list("invoices", "Invoice"),
        "list_customers" => list("customers", "Customer"),
        "list_payments" => list("payments", "Payment"),
        "list_events" => list("events", "TimelineEvent"),
        "create_customer" | "get_customer" => named(all, "Customer"),
        "validate_e_invoice" => named(all, "EInvoiceVerdict"),
        "record_payment" => with_mail("Payment"),
        "create_credit_note" => with_mail("CreditNote"),
        "send_invoice" | "cancel_invoice" | "send_reminder" => with_mail("Invoice"),
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
        let (doc, all) = (crate::api::openapi::document(""), components());
        SPECS
            .iter()
            .map(|spec| {
                let mut hints = ToolAnnotations::new().read_only(!spec.writes).idempotent(spec.idempotent);
                hints = hints.destructive(spec.destructive).open_world(false);
                Tool::new(spec.name, spec.description, as_object(input_schema(spec, &doc, &all)))
                    .with_raw_output_schema(as_object(output_schema(spec.name, &all)))
                    .with_annotations(hints)
            })
            .collect()
    })
}

/// The tools a caller may use: a read-only key sees the read tools only.
pub fn offered(caller: &Caller) -> Vec<Tool> {
    let may_write = caller.scope.may_write();
    catalogue().iter().filter(|t| may_write || spec(&t.name).is_some_and(|s| !s.writes)).cloned().collect()
}

//! What the generated document cannot say by itself: request bodies as their own schemas
//! (they require only what a client must send — the computed fields belong to the answers),
//! the rules the server enforces expressed in them (unknown fields refused, at most 50 lines,
//! bounds, formats, no control characters in text), and the answers every operation can give
//! (401 without a valid key, 400 for a bad parameter, 413/415 for a body). Rules JSON Schema
//! cannot express (due_date ≥ issue_date, a flat discount ≤ what it discounts, a webhook URL that
//! must resolve to a public address) are in the operations' descriptions.

use serde_json::{Value, json};

/// A credit note's reason: printable text (as `TEXT`) with at least one character that is not
/// white space.
const REASON: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

/// Printable text: no control characters other than tab and line breaks (the server refuses them).
const TEXT: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

fn text(max: usize) -> Value {
    json!({"type": ["string", "null"], "maxLength": max, "pattern": TEXT})
}

/// An address; empty means none (as in the forms).
fn email() -> Value {
    json!({"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 0}, {"type": "string", "format": "email", "maxLength": 254}]})
}

/// A list of addresses (empty entries are dropped).
fn emails() -> Value {
    json!({"type": "array", "maxItems": 20, "items": {"anyOf": [{"type": "string", "maxLength": 0}, {"type": "string", "format": "email", "maxLength": 254}]}})
}

fn nullable_ref(name: &str) -> Value {
    json!({"oneOf": [{"type": "null"}, {"$ref": format!("#/components/schemas/{name}")}]})
}

/// Fields of an answer a client may send back unchanged: accepted and ignored.
fn echoed(properties: &mut Value, names: &[&str]) {
    for name in names {
        properties[*name] = json!({"readOnly": true, "description": "Read-only: accepted and ignored, so a client can send back what it received"});
    }
}

fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "additionalProperties": false, "required": required, "properties": properties})
}

// Request schemas state defaults in words, not with `default`: generators read `default` as
// "always present" (openapi-typescript's defaults make such a field required in a request).
/// The request schemas, by name.
pub fn request_schemas() -> Vec<(&'static str, Value)> {
    let mut all = invoice_schemas();
    all.extend(anonymous_schemas());
    all.extend(line_schemas());
    all.extend(party_schemas());
    all.extend(payment_and_webhook_schemas());
    all.extend(recurring_schemas());
    all.extend(reminder_schemas());
    all
}

/// Fields of an invoice answer a client may send back.
const INVOICE_ECHO: &[&str] = &[
    "id",
    "share_token",
    "share_url",
    "subtotal_cents",
    "discount_cents",
    "tax_cents",
    "tax_breakdown",
    "rounding_cents",
    "total_cents",
    "amount_paid_cents",
    "balance_due_cents",
    "sent_at",
    "paid_at",
    "created_at",
    "updated_at",
    "reminders_enabled",
    "recurring_invoice_id",
];

/// An invoice's writable fields, `status` one of `statuses`, and its echoed ones.
fn invoice_fields(statuses: &[&str]) -> Value {
    let mut fields = json!({
        "customer_id": {"type": ["integer", "null"], "format": "int64", "description": "One of your customers; or give a recipient"},
        "recipient": nullable_ref("RecipientInput"),
        "currency": nullable_ref("Currency"),
        "issue_date": {"type": ["string", "null"], "format": "date", "description": "Default: today (or the due date when that is earlier). Not after due_date."},
        "due_date": {"type": "string", "format": "date"},
        "line_items": {"type": "array", "minItems": 1, "maxItems": domain::MAX_LINE_ITEMS, "items": {"$ref": "#/components/schemas/LineItemInput"}},
        "discount": nullable_ref("DiscountInput"),
        "tax": nullable_ref("TaxInput"),
        "language": {"type": ["string", "null"], "enum": ["en", "de", "fr", null], "description": "The documents' language (share page, PDF, the recipient's mails, default tax texts). Absent on create: the customer's, else en; on PATCH: unchanged"},
        "prices_include_tax": {"type": ["boolean", "null"], "description": "Unit prices and discounts include VAT. Absent: false on create, unchanged on PATCH"},
        "po_number": text(100),
        "terms_text": text(5_000),
        "footer_note": text(5_000),
        "subscription_context": text(1_000),
        "status": {"type": "string", "enum": statuses},
    });
    echoed(&mut fields, INVOICE_ECHO);
    fields
}

fn invoice_schemas() -> Vec<(&'static str, Value)> {
    // Every status is a value PATCH may name; which ones a sender may set now is the life cycle's
    // answer (409), as it depends on the invoice.
    let update =
        invoice_fields(&["draft", "sent", "viewed", "change_requested", "updated", "approved", "paid", "cancelled"]);
    vec![
        ("InvoiceCreate", object(&["due_date", "line_items"], invoice_fields(&["draft"]))),
        // Each code once, upper case: generators turn enums into types whose member names
        // must differ (openapi-python-client refuses "AED" beside "aed").
        (
            "Currency",
            json!({"type": "string", "enum": domain::currency::all_codes(), "description": "ISO 4217 code, upper case; default USD"}),
        ),
        ("InvoiceUpdate", object(&[], update)),
    ]
}

fn anonymous_schemas() -> Vec<(&'static str, Value)> {
    let mut anonymous = invoice_fields(&["draft"]);
    anonymous["sender"] = json!({"$ref": "#/components/schemas/AnonymousSender"});
    anonymous["website"] = json!({"type": "string", "maxLength": 2_000, "description": "Honeypot. Leave empty: anything in it is refused (400, field website) and nothing is stored."});
    anonymous["cf_turnstile_response"] = json!({"type": "string", "maxLength": 2_048, "description": "Required when Turnstile is configured server-side (401 otherwise)"});
    let sender_text = |max: usize| json!({"type": "string", "maxLength": max, "pattern": TEXT});
    let anonymous_sender = json!({
        "company": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": TEXT, "description": "Your company or name; heads the invoice"},
        "email": {"anyOf": [{"type": "string", "maxLength": 0}, {"type": "string", "format": "email", "maxLength": 254}], "description": "Printed on the invoice; we send it no mail"},
        "address_line1": sender_text(200), "city": sender_text(200), "country": sender_text(200),
        "tax_id": sender_text(64), "bank_name": sender_text(200), "account_name": sender_text(200),
        "account_number": sender_text(64), "routing_number": sender_text(64),
        "iban": {"type": "string", "maxLength": 64, "pattern": TEXT, "description": "Checked by its check digits"},
        "swift_code": {"type": "string", "maxLength": 20, "pattern": TEXT, "description": "8 or 11 letters and digits"},
    });
    vec![
        ("AnonymousInvoiceCreate", object(&["due_date", "line_items", "sender"], anonymous)),
        ("AnonymousSender", object(&["company"], anonymous_sender)),
    ]
}

fn line_schemas() -> Vec<(&'static str, Value)> {
    let mut line = json!({
        "description": {"type": "string", "minLength": 1, "maxLength": domain::MAX_DESCRIPTION_CHARS, "pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"},
        "quantity": {"type": ["number", "null"], "minimum": 0.000001, "maximum": 1_000_000_000, "description": "More than 0, at most 6 decimals; absent or null: 1"},
        "unit_price_cents": {"type": "integer", "minimum": 0, "maximum": domain::MAX_AMOUNT_CENTS},
        "discount": nullable_ref("DiscountInput"),
        "tax": nullable_ref("LineTaxInput"),
    });
    echoed(&mut line, &["line_total_cents", "discount_cents"]);
    let categories: Vec<&str> = domain::vat::TaxCategory::ALL.iter().map(|c| c.as_str()).collect();
    let line_tax = json!({
        "category": {"type": "string", "enum": categories, "description": "UNCL 5305: standard (S), zero_rated (Z), exempt (E), reverse_charge (AE), intra_community (K), export (G), outside_scope (O). Absent: standard"},
        "rate": {"type": "number", "minimum": 0, "maximum": 100, "description": "Percent, at most 3 decimals; above 0 for standard, 0 (or absent) for every other category"},
        "exemption_reason": text(300),
        "vatex": {"type": ["string", "null"], "maxLength": 30, "pattern": "^[Vv][Aa][Tt][Ee][Xx](-[A-Za-z0-9]+)+$", "description": "CEF VATEX code, e.g. VATEX-EU-132"},
    });
    let mut tax = json!({"label": text(60), "rate": {"type": "number", "minimum": 0, "maximum": 100, "description": "Percent, at most 3 decimals"}});
    echoed(&mut tax, &["amount_cents"]);
    let discount = json!({"oneOf": [
        object(&["type", "value"], json!({
            "type": {"type": "string", "const": "percent"},
            "value": {"type": "number", "minimum": 0, "maximum": 100, "description": "Percent, at most 3 decimals"},
        })),
        object(&["type", "value_cents"], json!({
            "type": {"type": "string", "const": "flat"},
            "value_cents": {"type": "integer", "minimum": 0, "maximum": domain::MAX_AMOUNT_CENTS, "description": "At most what it discounts"},
        })),
    ]});
    vec![
        ("LineItemInput", object(&["description", "unit_price_cents"], line)),
        ("TaxInput", object(&["rate"], tax)),
        ("LineTaxInput", object(&[], line_tax)),
        ("DiscountInput", discount),
    ]
}

fn party_schemas() -> Vec<(&'static str, Value)> {
    let mut customer = json!({
        "company": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": TEXT},
        "contact": nullable_ref("ContactInput"), "ap_contact": nullable_ref("ContactInput"),
        "cc_emails": emails(),
        "billing_entity": text(200), "address": nullable_ref("AddressInput"), "tax_id": text(64),
        "vat_id": VAT_ID.clone(),
        "language": {"type": ["string", "null"], "enum": ["en", "de", "fr", null], "description": "The language their invoices are written in; null: English"},
        "po_required": {"type": "boolean", "description": "Absent: false"}, "notes": text(5_000),
        "e_invoice_format": e_invoice_format(),
        "buyer_reference": {"type": ["string", "null"], "maxLength": 200, "pattern": TEXT, "description": "BT-10: the Leitweg-ID of a German public buyer (XRechnung requires it), or the reference they ask for"},
        "peppol_id": PEPPOL_ID.clone(),
    });
    echoed(&mut customer, &["id", "code", "created_at"]);
    let address = json!({
        "line1": text(200), "line2": text(200), "line3": text(200), "city": text(200),
        "state": text(200), "postal_code": text(40), "country": text(200),
    });
    vec![
        ("RecipientInput", recipient()),
        ("AddressInput", object(&[], address)),
        ("ContactInput", object(&[], json!({"name": text(200), "email": email()}))),
        ("CustomerCreate", object(&["company"], customer.clone())),
        ("CustomerUpdate", object(&[], customer)),
    ]
}

fn payment_and_webhook_schemas() -> Vec<(&'static str, Value)> {
    let payment = json!({
        "amount_cents": {"type": "integer", "minimum": -domain::MAX_AMOUNT_CENTS, "maximum": domain::MAX_AMOUNT_CENTS, "not": {"const": 0}, "description": "In the invoice's currency's smallest unit; at most the balance due. Negative: a refund, at most what was paid (on a paid invoice, at most refund_due_cents)"},
        "method": {"type": "string", "enum": domain::PaymentMethod::MANUAL.map(domain::PaymentMethod::as_str).into_iter().chain(["card"]).collect::<Vec<_>>(), "description": "card only with a negative amount: a refund of a card payment through Stripe"},
        "reference": text(200),
        "paid_on": {"type": ["string", "null"], "format": "date", "description": "Default: today. Not in the future."},
    });
    let event_types = json!({"type": "array", "items": {"type": "string", "enum": domain::events::ALL_TYPES}});
    let webhook = |url_note: Option<&str>| {
        let mut url = json!({"type": "string", "format": "uri", "maxLength": 2_000});
        let mut types = event_types.clone();
        if let Some(note) = url_note {
            url["description"] = json!(note);
            types["description"] = json!("Empty or absent = all events");
        }
        json!({"url": url, "event_types": types, "description": text(500), "active": {"type": "boolean"}})
    };
    let mut create = webhook(Some("https; must resolve to a public address"));
    create["active"]["description"] = json!("Absent: true");
    let credit_line = json!({
        "line": {"type": "integer", "minimum": 0, "maximum": domain::MAX_LINE_ITEMS - 1, "description": "The invoice line, counted from 0 as in line_items"},
        "quantity": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1_000_000_000, "description": "How much of its quantity to credit (at most 6 decimals); absent: all of it not yet credited"},
    });
    let credit_note = json!({
        "reason": {"type": "string", "minLength": 1, "maxLength": domain::credit_note::MAX_REASON_CHARS, "pattern": REASON, "description": "Why the invoice is corrected; printed on the credit note"},
        "lines": {"type": ["array", "null"], "minItems": 1, "maxItems": domain::MAX_LINE_ITEMS, "items": {"$ref": "#/components/schemas/CreditNoteLineInput"}, "description": "Absent: credit everything not yet credited"},
    });
    vec![
        ("CreditNoteCreate", object(&["reason"], credit_note)),
        ("CreditNoteLineInput", object(&["line"], credit_line)),
        ("PaymentCreate", card_refunds_only(object(&["amount_cents", "method"], payment))),
        ("WebhookCreate", object(&["url"], create)),
        ("WebhookUpdate", object(&[], webhook(None))),
    ]
}

fn recurring_schemas() -> Vec<(&'static str, Value)> {
    let mut template = invoice_fields(&["draft"]);
    for per_occurrence in ["issue_date", "due_date", "status"] {
        template.as_object_mut().map(|t| t.remove(per_occurrence));
    }
    let schedule = json!({
        "every": {"type": "integer", "minimum": 1, "maximum": domain::schedule::MAX_EVERY, "description": "Every this many units"},
        "unit": {"type": "string", "enum": ["week", "month", "year"]},
        "day": {"type": ["integer", "null"], "minimum": 1, "maximum": 31, "description": "Weeks: 1 (Monday) to 7 (Sunday); months and years: 1 to 31 (31: the month's last day). Absent: the start date's"},
        "start_date": {"type": "string", "format": "date", "description": "The first occurrence is the first scheduled day on or after it"},
        "end_date": {"type": ["string", "null"], "format": "date", "description": "No occurrence after it; not before start_date"},
        "count": {"type": ["integer", "null"], "minimum": 1, "maximum": domain::schedule::MAX_COUNT, "description": "At most this many occurrences (skipped ones count)"},
    });
    let fields = |create: bool| {
        let mut f = json!({
            "template": nullable_ref("RecurringTemplate"),
            "schedule": {"$ref": "#/components/schemas/ScheduleInput"},
            "auto_send": {"type": ["boolean", "null"], "description": "true: each occurrence is sent at once; false (absent on create): left a draft to review"},
            "due_days": {"type": ["integer", "null"], "minimum": 0, "maximum": domain::recurring::MAX_DUE_DAYS, "description": "Days from issue to due date; absent on create: the profile's payment terms"},
        });
        if create {
            f["from_invoice"] = json!({"type": ["string", "null"], "maxLength": 100, "pattern": TEXT, "description": "Copy this invoice's customer, lines, tax, discounts, language and notes (instead of template)"});
        }
        f
    };
    vec![
        ("RecurringTemplate", object(&["line_items"], template)),
        ("ScheduleInput", object(&["every", "unit", "start_date"], schedule)),
        ("RecurringCreate", object(&["schedule"], fields(true))),
        ("RecurringUpdate", object(&[], fields(false))),
        (
            "RecurringSkip",
            object(
                &["date"],
                json!({"date": {"type": "string", "format": "date"}, "skipped": {"type": ["boolean", "null"], "description": "Absent: true; false takes the skip back"}}),
            ),
        ),
    ]
}

fn reminder_schemas() -> Vec<(&'static str, Value)> {
    // Canonical "Area/Location" names (and UTC): aliases like GMT+0 and GMT-0 would make one
    // name in client generators' enums.
    let zones: Vec<&str> =
        data::zone::names().filter(|z| *z == "UTC" || (z.contains('/') && !z.starts_with("Etc/"))).collect();
    let one_line =
        "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";
    let text = json!({
        "subject": {"type": "string", "minLength": 1, "maxLength": domain::reminders::MAX_SUBJECT_CHARS, "pattern": one_line},
        "body": {"type": "string", "minLength": 1, "maxLength": domain::reminders::MAX_BODY_CHARS, "pattern": REASON, "description": "Paragraphs separated by a blank line"},
    });
    let texts = json!({"en": nullable_ref("ReminderText"), "de": nullable_ref("ReminderText"), "fr": nullable_ref("ReminderText")});
    let step = json!({
        "days": {"type": "integer", "minimum": -60, "maximum": 365, "description": "Days from the due date: -3 three days before, 0 on it, 7 a week after; one step per day"},
        "enabled": {"type": "boolean"},
        "texts": {"$ref": "#/components/schemas/ReminderTexts"},
    });
    let settings = json!({
        "enabled": {"type": "boolean", "description": "false: no automatic reminders (sending one by hand still works)"},
        "time_zone": {"type": "string", "enum": zones, "description": "IANA time zone of the dates and hours automatic mail keeps"},
        "send_hour": {"type": "integer", "minimum": 0, "maximum": 23, "description": "Local hour reminders and recurring invoices go out"},
        "steps": {"type": "array", "maxItems": domain::reminders::MAX_STEPS, "items": {"$ref": "#/components/schemas/ReminderStepInput"}},
    });
    vec![
        ("ReminderText", object(&["subject", "body"], text)),
        ("ReminderTexts", object(&[], texts)),
        ("ReminderStepInput", object(&["days", "enabled"], step)),
        ("ReminderSettingsUpdate", object(&["enabled", "time_zone", "send_hour", "steps"], settings)),
        ("InvoiceReminders", object(&["enabled"], json!({"enabled": {"type": "boolean"}}))),
    ]
}

/// `card` only with a negative amount: a refund through Stripe (card payments come in by
/// Checkout).
fn card_refunds_only(mut schema: Value) -> Value {
    schema["if"] = json!({"properties": {"method": {"const": "card"}}, "required": ["method"]});
    schema["then"] = json!({"properties": {"amount_cents": {"maximum": -1}}});
    schema
}

/// A recipient. That it names a company or an e-mail address is in the descriptions, not an
/// `anyOf`: client generators (openapi-python-client) turn a top-level `anyOf` into union
/// models they cannot build.
fn recipient() -> Value {
    object(
        &[],
        json!({
            "company": text(200), "name": text(200), "email": email(), "tax_id": text(64),
            "vat_id": VAT_ID.clone(),
            "address": nullable_ref("AddressInput"), "ap": nullable_ref("ContactInput"),
            "cc_emails": emails(),
            "e_invoice_format": e_invoice_format(), "buyer_reference": text(200), "peppol_id": PEPPOL_ID.clone(),
        }),
    )
}

fn e_invoice_format() -> Value {
    let names: Vec<Value> =
        domain::einvoice::EInvoiceFormat::ALL.iter().map(|f| json!(f.as_str())).chain([Value::Null]).collect();
    json!({"type": ["string", "null"], "enum": names, "description": "The e-invoice they receive: none, facturx (in the PDF), xrechnung-cii, xrechnung-ubl or peppol; null: none (the customer's, on an invoice)"})
}

/// A Peppol participant id, `scheme:identifier`.
static PEPPOL_ID: std::sync::LazyLock<Value> = std::sync::LazyLock::new(
    || json!({"type": ["string", "null"], "maxLength": 80, "pattern": "^\\s*(iso6523-actorid-upis::)?[0-9]{4}:[^\\s\\u0000-\\u001F\\u007F-\\u009F]{1,60}\\s*$", "description": "Peppol participant id, scheme:identifier, e.g. 0088:4012345000009"}),
);

/// A VAT id: an EU one is checked for its country's format and check digits (400 otherwise).
static VAT_ID: std::sync::LazyLock<Value> = std::sync::LazyLock::new(
    || json!({"type": ["string", "null"], "maxLength": 64, "pattern": TEXT, "description": "VAT id with its country prefix, e.g. FR40303265045; an EU one must have its country's format and check digits"}),
);

/// A cursor from a previous answer, or empty for the first page.
const CURSOR_PATTERN: &str = "^([A-Za-z0-9_-]{11})?$";

/// Which request schema each operation's body is.
const BODIES: &[(&str, &str)] = &[
    ("createInvoice", "InvoiceCreate"),
    ("createAnonymousInvoice", "AnonymousInvoiceCreate"),
    ("updateInvoice", "InvoiceUpdate"),
    ("createCustomer", "CustomerCreate"),
    ("updateCustomer", "CustomerUpdate"),
    ("createPayment", "PaymentCreate"),
    ("createCreditNote", "CreditNoteCreate"),
    ("createWebhook", "WebhookCreate"),
    ("updateWebhook", "WebhookUpdate"),
    ("createRecurringInvoice", "RecurringCreate"),
    ("updateRecurringInvoice", "RecurringUpdate"),
    ("skipRecurringOccurrence", "RecurringSkip"),
    ("updateReminderSettings", "ReminderSettingsUpdate"),
    ("setInvoiceReminders", "InvoiceReminders"),
];

/// Rules a schema cannot state, added to the operations' descriptions.
const RULES: &[(&str, &str)] = &[
    (
        "listInvoices",
        "Also enforced: with overdue=true, sort is due_date or -due_date; with q, sort is -created \
         (or absent). Other combinations are 400 on sort.",
    ),
    (
        "createInvoice",
        "Also enforced: due_date is not before issue_date; quantities have at most 6 decimals and \
         percentages at most 3; a flat discount is at most what it discounts; every amount (a line, \
         the subtotal, the total) stays within 10^12 cents; a recipient naming a company or an \
         e-mail address, or a customer_id, is required.\n\n\
         VAT: a line without its own `tax` takes the invoice's `tax` (standard at its rate, \
         zero_rated at 0; none: zero_rated). A standard line's rate is above 0, every other \
         category's is 0. reverse_charge and intra_community need the buyer's VAT id \
         (recipient.vat_id, or the customer's); exempt lines give an exemption_reason or a vatex \
         code; the lines of one exempting category share one reason (it is printed once, in the \
         breakdown). With the profile's small_business set, every line is exempt with the legal \
         text of the sender's country. Totals follow EN 16931 (BR-CO-10..17): per category and \
         rate, taxable = its line nets less its share of the invoice discount (a percent applies \
         to each group, a flat one is split by the groups' amounts, largest remainder first), \
         tax = round(taxable × rate / 100) half away from zero. With prices_include_tax, each \
         group's gross G gives tax = round(G × rate / (100 + rate)), taxable = G − tax; where \
         BR-CO-17 cannot hold for G, the nearest taxable for which it does is taken and the \
         difference (at most a cent per group) is rounding_cents.",
    ),
    (
        "updateInvoice",
        "Also enforced, against the invoice as it stands: due_date is not before issue_date, a flat \
         discount is at most what it discounts, amounts stay within 10^12 cents, and the status \
         follows the life cycle (409 otherwise); a recipient names a company or an e-mail address.",
    ),
    (
        "createWebhook",
        "Also enforced: the URL is https and resolves to a public address (no loopback, private or link-local targets).",
    ),
    ("updateWebhook", "Also enforced: the URL is https and resolves to a public address."),
    (
        "createRecurringInvoice",
        "Also enforced: exactly one of from_invoice and template; the template is checked as an \
         invoice would be (its VAT rules, discounts and amounts, a recipient or customer_id); \
         end_date is not before start_date.",
    ),
    (
        "updateRecurringInvoice",
        "Also enforced: the template is checked as an invoice would be; end_date is not before start_date.",
    ),
    ("updateReminderSettings", "Also enforced: one step per day; texts are not blank."),
];

/// An operation that takes `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header).
fn idempotent(op: &mut serde_json::Map<String, Value>) {
    let parameter = json!({
        "name": "Idempotency-Key", "in": "header", "required": false,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
        "description": "A new unique value (a UUID) per request. The first request's status and body are kept for 24 hours: a retry of the same request with the same key gets them again, with `Idempotent-Replayed: true`, and changes nothing; the key with another request is 422; a retry while the first still runs is 409 (Retry-After). A failure of ours (5xx) is not kept: a retry runs again.",
    });
    match op.get_mut("parameters").and_then(Value::as_array_mut) {
        Some(parameters) => parameters.push(parameter),
        None => {
            op.insert("parameters".into(), json!([parameter]));
        }
    }
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { return };
    for code in ["409", "422"] {
        responses.entry(code.to_string()).or_insert_with(|| match code {
            "409" => error_response("The first request with this Idempotency-Key is still running"),
            _ => error_response("This Idempotency-Key was used with another request"),
        });
    }
}

/// Links from an answer to the operations that take what it made (schemathesis's stateful
/// phase follows them; clients read where to go next).
/// Links for the stateful tests and generated clients: (operation, status, the target's
/// parameter, the answer's field that fills it, the operations it leads to).
const LINKS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "createRecurringInvoice",
        "201",
        "id",
        "id",
        &[
            "getRecurringInvoice",
            "updateRecurringInvoice",
            "pauseRecurringInvoice",
            "resumeRecurringInvoice",
            "skipRecurringOccurrence",
            "deleteRecurringInvoice",
        ],
    ),
    (
        "createInvoice",
        "201",
        "invoice_number",
        "id",
        &[
            "getInvoice",
            "updateInvoice",
            "sendInvoice",
            "cancelInvoice",
            "sendInvoiceReminder",
            "setInvoiceReminders",
            "createPayment",
            "listPayments",
            "createCreditNote",
            "listInvoiceCreditNotes",
            "getInvoiceEInvoice",
            "deleteInvoice",
        ],
    ),
    ("createCustomer", "201", "customer_id", "id", &["getCustomer", "updateCustomer", "deleteCustomer"]),
];

fn add_links(op: &mut serde_json::Map<String, Value>, id: &str) {
    for (_, status, parameter, field, targets) in LINKS.iter().filter(|(from, ..)| *from == id) {
        let Some(answer) = op.get_mut("responses").and_then(|r| r.get_mut(*status)) else { continue };
        let links: serde_json::Map<String, Value> = targets
            .iter()
            .map(|target| {
                let parameters = json!({ *parameter: format!("$response.body#/{field}") });
                (target.to_string(), json!({"operationId": target, "parameters": parameters}))
            })
            .collect();
        answer["links"] = Value::Object(links);
    }
}

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// Adds the request schemas and the answers every operation can give to `doc`.
pub fn complete(doc: &mut Value) {
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, schema) in request_schemas() {
            schemas.insert(name.to_string(), schema);
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else { continue };
            let writes = method != "get" && op.get("security").is_none_or(|s| s != &json!([{}]));
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or("").to_string();
            // Request bodies are set here (the schemas above), not in the handlers' annotations.
            if let Some((_, schema)) = BODIES.iter().find(|(op_id, _)| *op_id == id) {
                let mut media = json!({"schema": {"$ref": format!("#/components/schemas/{schema}")}});
                if id == "createInvoice" {
                    media["examples"] = super::examples::openapi_examples();
                }
                op.insert("requestBody".into(), json!({"required": true, "content": {"application/json": media}}));
            }
            if let Some((_, rule)) = RULES.iter().find(|(op_id, _)| *op_id == id) {
                let text = op.get("description").and_then(Value::as_str).map(|d| format!("{d}\n\n{rule}"));
                op.insert("description".into(), json!(text.unwrap_or_else(|| rule.to_string())));
            }
            let has_body = op.contains_key("requestBody");
            // Cursors have one exact form; any other value is refused.
            for param in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                if param["name"] == "cursor" {
                    param["schema"] = json!({"type": "string", "pattern": CURSOR_PATTERN});
                }
                if param["name"] == "type" && id == "listEvents" {
                    param["schema"] = json!({"type": "string", "enum": domain::events::ALL_TYPES});
                }
                if param["name"] == "currency" && id == "listInvoices" {
                    param["schema"] = json!({"type": "string", "enum": domain::currency::all_codes()});
                }
                if param["name"] == "expand" {
                    param["schema"] = json!({"type": "string", "enum": ["customer"]});
                }
                if param["name"] == "sort" {
                    let orders: Vec<&str> = domain::sort::Sort::ALL.iter().map(|s| s.as_str()).collect();
                    param["schema"] = json!({"type": "string", "enum": orders});
                }
            }
            if writes && (method == "post" || method == "patch") {
                idempotent(op);
            }
            complete_responses(op, &id, writes, has_body);
            add_links(op, &id);
        }
    }
}

/// An operation's answers: binary ones (the PDF) say so, so generated clients keep them as
/// files; the error answers every operation can give are listed.
fn complete_responses(op: &mut serde_json::Map<String, Value>, id: &str, writes: bool, has_body: bool) {
    let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { return };
    for answer in responses.values_mut() {
        for (media, body) in answer.get_mut("content").and_then(Value::as_object_mut).into_iter().flatten() {
            if media == "application/pdf" {
                body["schema"] = json!({"type": "string", "format": "binary", "contentMediaType": "application/pdf"});
            }
        }
    }
    let mut add = |code: &str, description: &str| {
        responses.entry(code.to_string()).or_insert_with(|| error_response(description));
    };
    add("400", "A parameter or the body is not valid; `field` names it");
    add("401", "Missing or invalid API key");
    if writes {
        add("403", "The API key is read-only");
    }
    if id == "createWebhook" {
        add("409", "The account already has 20 webhooks");
    }
    if has_body {
        add("413", "The body is larger than 1 MiB");
        add("415", "The body is not JSON (send Content-Type: application/json)");
    }
}

/// A request body's schema, and the type the server reads it into.
pub trait RequestSchema {
    const NAME: &'static str;
    type Input: serde::de::DeserializeOwned;
}

macro_rules! request_schema {
    ($name:ident, $input:ty) => {
        #[doc = concat!("The `", stringify!($name), "` request schema.")]
        pub struct $name;
        impl RequestSchema for $name {
            const NAME: &'static str = stringify!($name);
            type Input = $input;
        }
    };
}
request_schema!(InvoiceCreate, domain::dto::InvoiceInput);
request_schema!(AnonymousInvoiceCreate, super::anonymous::AnonymousInvoiceInput);
request_schema!(InvoiceUpdate, domain::dto::InvoiceInput);
request_schema!(CustomerCreate, domain::dto::CustomerInput);
request_schema!(CustomerUpdate, serde_json::Value);
request_schema!(PaymentCreate, domain::payment::PaymentInput);
request_schema!(CreditNoteCreate, domain::credit_note::CreditNoteInput);
request_schema!(WebhookCreate, domain::dto::WebhookInput);
request_schema!(WebhookUpdate, domain::dto::WebhookInput);
request_schema!(RecurringCreate, domain::recurring::RecurringInput);
request_schema!(RecurringUpdate, domain::recurring::RecurringInput);
request_schema!(RecurringSkip, super::recurring::SkipInput);
request_schema!(ReminderSettingsUpdate, domain::reminders::ReminderSettings);
request_schema!(InvoiceReminders, super::recurring::RemindersInput);

/// "/line_items/0/quantity" → "line_items[0].quantity".
fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    out
}

/// The validators of the request schemas, built once from the document's components.
fn validators() -> &'static std::collections::HashMap<&'static str, jsonschema::Validator> {
    static VALIDATORS: std::sync::OnceLock<std::collections::HashMap<&'static str, jsonschema::Validator>> =
        std::sync::OnceLock::new();
    VALIDATORS.get_or_init(|| {
        let doc = super::openapi::document("");
        let components = doc["components"].clone();
        request_schemas()
            .into_iter()
            .filter_map(|(name, _)| {
                let root = json!({"$ref": format!("#/components/schemas/{name}"), "components": components});
                match jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&root) {
                    Ok(v) => Some((name, v)),
                    Err(e) => {
                        tracing::error!(schema = name, error = %e, "request schema does not compile");
                        None
                    }
                }
            })
            .collect()
    })
}

/// The violation to report: inside a "one of" (a nullable field, or a discount of one kind or
/// the other) the branch that came closest says what is wrong, e.g. `tax.rate` rather than `tax`.
fn most_specific<'a, 'e>(error: &'a jsonschema::ValidationError<'e>) -> &'a jsonschema::ValidationError<'e> {
    use jsonschema::error::ValidationErrorKind as Kind;
    let branches = match error.kind() {
        Kind::AnyOf { context } | Kind::OneOfNotValid { context } => context,
        _ => return error,
    };
    // A branch that fails only on the value's type (e.g. "null") is not the one the client meant.
    let meant = branches
        .iter()
        .filter(|errors| !errors.iter().all(|e| matches!(e.kind(), Kind::Type { .. } | Kind::Constant { .. })))
        .filter_map(|errors| errors.first())
        .max_by_key(|e| e.instance_path().as_str().len());
    meant.map(most_specific).unwrap_or(error)
}

/// Checks `body` against the request schema `name`: the first violation as (message, field).
pub fn check(name: &str, body: &Value) -> Result<(), (String, Option<String>)> {
    let Some(validator) = validators().get(name) else { return Ok(()) };
    if name == "PaymentCreate" && body["method"] == "card" && body["amount_cents"].as_f64().is_some_and(|a| a >= 0.0) {
        // `card_refunds_only` in words: the schema's own message would say "maximum of -1".
        let why = "card payments are recorded by Stripe Checkout (a negative card amount refunds one through Stripe)";
        return Err((why.into(), Some("method".into())));
    }
    // Most bodies are valid: the quick yes/no first, the errors only for a refusal.
    if validator.is_valid(body) {
        return Ok(());
    }
    let Some(first) = validator.iter_errors(body).next() else { return Ok(()) };
    let error = most_specific(&first);
    let mut field = field_path(error.instance_path().as_str());
    let message = match error.kind() {
        jsonschema::error::ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            field = if field.is_empty() { name.clone() } else { format!("{field}.{name}") };
            format!("{name} is required")
        }
        jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
            let name = unexpected.first().cloned().unwrap_or_default();
            field = if field.is_empty() { name.clone() } else { format!("{field}.{name}") };
            format!("unknown field `{name}`")
        }
        jsonschema::error::ValidationErrorKind::Enum { options } => {
            let listed = options.as_array().map(Vec::as_slice).unwrap_or_default();
            // A value listed in another case ("eur" for EUR) is told how to write it.
            let upper = error.instance().as_str().map(str::to_ascii_uppercase);
            match upper.filter(|u| listed.iter().any(|o| o.as_str() == Some(u))) {
                Some(upper) => format!("{field} is written in upper case: {upper}"),
                None if listed.len() <= 12 => format!("{field} must be one of {options}"),
                None => format!("{field} is not one of the values the API document lists"),
            }
        }
        _ => error.to_string(),
    };
    Err((message, (!field.is_empty()).then_some(field)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_checked_against_their_schema() {
        let ok = json!({"due_date": "2026-12-31", "recipient": {"company": "Acme"},
            "line_items": [{"description": "Design", "quantity": 1.5, "unit_price_cents": 100}]});
        assert_eq!(check("InvoiceCreate", &ok), Ok(()));
        assert_eq!(check("InvoiceUpdate", &json!({"po_number": "PO-1"})), Ok(()));
        let field = |name: &str, body: Value| check(name, &body).unwrap_err().1;
        assert_eq!(field("InvoiceCreate", json!({"due_date": "2026-12-31"})).as_deref(), Some("line_items"));
        assert_eq!(check("InvoiceUpdate", &json!({"id": "ACME-0001", "total_cents": 5})), Ok(()), "echoed fields");
        assert_eq!(field("InvoiceUpdate", json!({"qty": 1})).as_deref(), Some("qty"));
        assert_eq!(
            field("InvoiceUpdate", json!({"line_items": [{"description": "x", "unit_price_cents": 1, "qty": 2}]}))
                .as_deref(),
            Some("line_items[0].qty")
        );
        assert_eq!(field("InvoiceUpdate", json!({"line_items": []})).as_deref(), Some("line_items"));
        assert_eq!(field("InvoiceUpdate", json!({"tax": {"rate": 120}})).as_deref(), Some("tax.rate"));
        assert_eq!(
            field("InvoiceUpdate", json!({"discount": {"type": "flat", "value_cents": -1}})).as_deref(),
            Some("discount.value_cents")
        );
        assert_eq!(check("InvoiceUpdate", &json!({"currency": "EUR"})), Ok(()));
        let lower = check("InvoiceUpdate", &json!({"currency": "eur"})).unwrap_err();
        assert_eq!(lower, ("currency is written in upper case: EUR".into(), Some("currency".into())));
        let unknown = check("InvoiceUpdate", &json!({"currency": "XYZ"})).unwrap_err();
        assert_eq!(unknown.0, "currency is not one of the values the API document lists");
        let status = check("InvoiceUpdate", &json!({"status": "shipped"})).unwrap_err();
        assert!(status.0.starts_with("status must be one of [\"draft\""), "a short enum lists its values: {status:?}");
        // serde would read an array into a struct; the schema does not allow it.
        assert_eq!(
            field("CustomerCreate", json!({"company": "A", "contact": [null, null]})).as_deref(),
            Some("contact")
        );
    }

    #[test]
    fn pointers_become_field_paths() {
        assert_eq!(field_path("/line_items/0/quantity"), "line_items[0].quantity");
        assert_eq!(field_path(""), "");
    }
}

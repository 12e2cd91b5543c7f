//! /mcp over HTTP as an MCP client speaks it (JSON-RPC over Streamable HTTP): the seven tools
//! with the API's own schemas, each calling the same service as its REST route; mistakes as
//! `isError` results with the `{"error", "field"}` body; previews; read-only keys; and the
//! checks in front (key, Origin, Host, protocol version) — on SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use domain::KeyScope;
use reqwest::Method;
use serde_json::{Value, json};
use support::TestApp;

struct Mcp<'a> {
    app: &'a TestApp,
    key: String,
}

impl Mcp<'_> {
    async fn post(&self, body: Value, extra: &[(&str, &str)]) -> reqwest::Response {
        let mut req = self
            .app
            .client
            .post(format!("{}/mcp", self.app.base))
            .bearer_auth(&self.key)
            .header("accept", "application/json, text/event-stream")
            .json(&body);
        if !extra.iter().any(|(name, _)| *name == "mcp-protocol-version") {
            req = req.header("mcp-protocol-version", "2025-06-18");
        }
        for (name, value) in extra {
            req = req.header(*name, *value);
        }
        req.send().await.expect("mcp request")
    }

    async fn rpc(&self, method: &str, params: Value) -> Value {
        let res = self.post(json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}), &[]).await;
        assert_eq!(res.status().as_u16(), 200);
        res.json::<Value>().await.expect("JSON-RPC answer")["result"].clone()
    }

    async fn tool(&self, name: &str, arguments: Value) -> Value {
        self.rpc("tools/call", json!({"name": name, "arguments": arguments})).await
    }

    async fn status_of(&self, number: &str) -> String {
        let got = self.tool("get_invoice", json!({"number": number})).await;
        got["structuredContent"]["status"].as_str().unwrap_or_default().to_string()
    }

    async fn tool_names(&self) -> Vec<String> {
        let tools = self.rpc("tools/list", json!({})).await;
        tools["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
    }
}

const GUIDE_EXAMPLE: &str = r#"{"recipient": {"company": "Acme Corp", "email": "ap@acme.com"}, "due_date": "2031-01-31",
    "line_items": [{"description": "Design work", "quantity": 1, "unit_price_cents": 250000}]}"#;

async fn the_seven_tools_mirror_the_api(db: TestDb) {
    let app = TestApp::start(db).await;
    let mcp = Mcp { app: &app, key: app.key("me@studio.test", Some("Studio")).await };
    let init = mcp
        .rpc(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
        )
        .await;
    assert_eq!(init["serverInfo"]["name"], "jupiterinvoice");
    assert!(init["capabilities"]["tools"].is_object());

    let listed = mcp.rpc("tools/list", json!({})).await;
    let tools = listed["tools"].as_array().unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names[..7],
        [
            "create_invoice",
            "list_invoices",
            "get_invoice",
            "update_invoice",
            "create_customer",
            "list_customers",
            "get_customer"
        ],
        "the seed's seven, as they were"
    );
    let tool = |n: &str| tools.iter().find(|t| t["name"] == n).unwrap().clone();
    // One source: each body-taking tool's input is the API's request schema, field for field
    // (references resolved into $defs), plus the route's path and query parameters.
    let doc: Value =
        app.client.get(format!("{}/api/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    let in_defs = |v: &Value| -> Value {
        serde_json::from_str(&v.to_string().replace("#/components/schemas/", "#/$defs/")).unwrap()
    };
    for (name, schema, parameters) in [
        ("create_invoice", "InvoiceCreate", &["dry_run", "idempotency_key"][..]),
        ("update_invoice", "InvoiceUpdate", &["dry_run", "number", "idempotency_key"][..]),
        ("create_customer", "CustomerCreate", &["dry_run", "idempotency_key"][..]),
    ] {
        let input = tool(name)["inputSchema"].clone();
        let mut props = input["properties"].as_object().unwrap().clone();
        for p in parameters {
            assert!(props.remove(*p).is_some(), "{name} takes {p}");
        }
        let api = &doc["components"]["schemas"][schema];
        assert_eq!(Value::Object(props), in_defs(&api["properties"]), "{name} = {schema}");
        assert_eq!(input["additionalProperties"], false, "{name} refuses unknown fields as the API does");
        let mut required: Vec<Value> = input["required"].as_array().unwrap().clone();
        required.retain(|r| r != "number");
        assert_eq!(Value::Array(required), api["required"], "{name}");
    }
    let create = tool("create_invoice");
    assert_eq!(create["inputSchema"]["$defs"]["LineItemInput"]["required"], json!(["description", "unit_price_cents"]));
    assert_eq!(create["outputSchema"]["type"], "object");
    assert!(create["description"].as_str().unwrap().contains("integer cents"));
    assert_eq!(tool("get_invoice")["annotations"]["readOnlyHint"], true);
    assert_eq!(tool("create_invoice")["annotations"]["readOnlyHint"], false);
    assert_eq!(tool("update_invoice")["annotations"]["idempotentHint"], true);
    assert_eq!(tool("update_invoice")["annotations"]["destructiveHint"], true, "it can cancel an invoice");
    assert_eq!(tool("create_invoice")["annotations"]["destructiveHint"], false);

    // The guide's example, then get, list and update — the same JSON shapes as REST.
    let made = mcp.tool("create_invoice", serde_json::from_str(GUIDE_EXAMPLE).unwrap()).await;
    assert!(made["isError"].is_null() || made["isError"] == false, "{made}");
    let invoice = &made["structuredContent"];
    assert_eq!((invoice["id"].as_str(), invoice["total_cents"].as_i64()), (Some("ACME-0001"), Some(250_000)));
    let (_, via_rest) = app.json(Method::GET, Some(&mcp.key), "/api/v1/invoices/ACME-0001", None).await;
    assert_eq!(via_rest["share_url"], invoice["share_url"]);
    let got = mcp.tool("get_invoice", json!({"number": "acme-0001"})).await;
    assert_eq!(got["structuredContent"]["id"], "ACME-0001");
    let list = mcp.tool("list_invoices", json!({"status": "draft"})).await;
    assert_eq!(list["structuredContent"]["invoices"][0]["id"], "ACME-0001");
    let changed = mcp.tool("update_invoice", json!({"number": "ACME-0001", "po_number": "PO-7"})).await;
    assert_eq!(changed["structuredContent"]["po_number"], "PO-7");
    let would = mcp.tool("create_customer", json!({"company": "Globex", "dry_run": true})).await;
    assert_eq!(would["structuredContent"]["code"], "GLOBEX", "{would}");
    let customer = mcp.tool("create_customer", json!({"company": "Globex"})).await;
    assert_eq!(customer["structuredContent"]["code"], "GLOBEX", "the preview stored nothing: the code is free");
    let id = customer["structuredContent"]["id"].as_i64().unwrap();
    assert_eq!(mcp.tool("get_customer", json!({"id": id})).await["structuredContent"]["code"], "GLOBEX");
    assert_eq!(mcp.tool("list_customers", json!({"limit": 1})).await["structuredContent"]["customers"][0]["id"], id);

    // Mistakes come back as results the model can read, with the API's body.
    let bad = mcp.tool("create_invoice", json!({"due_date": "2031-01-31", "line_items": []})).await;
    assert_eq!(bad["isError"], true);
    assert_eq!(bad["structuredContent"]["field"], "line_items");
    let missing = mcp.tool("get_invoice", json!({"number": "NOPE-0001"})).await;
    assert_eq!((missing["isError"].clone(), missing["structuredContent"]["status"].clone()), (json!(true), json!(404)));

    // A preview stores nothing and gives the number it would get.
    let preview = mcp
        .tool(
            "create_invoice",
            json!({"dry_run": true, "recipient": {"company": "Acme Corp"},
        "due_date": "2031-02-28", "line_items": [{"description": "More", "unit_price_cents": 100}]}),
        )
        .await;
    assert_eq!(preview["structuredContent"]["id"], "ACME-0002");
    let list = mcp.tool("list_invoices", json!({})).await;
    assert_eq!(list["structuredContent"]["invoices"].as_array().unwrap().len(), 1, "nothing stored");
}
on_both_databases!(the_seven_tools_mirror_the_api);

async fn read_only_keys_see_read_tools_and_the_door_is_checked(db: TestDb) {
    let app = TestApp::start(db).await;
    let reader = Mcp { app: &app, key: app.scoped_key("me@studio.test", Some("Studio"), KeyScope::ReadOnly).await };
    assert_eq!(
        reader.tool_names().await,
        [
            "list_invoices",
            "get_invoice",
            "list_customers",
            "get_customer",
            "list_payments",
            "validate_e_invoice",
            "list_events"
        ]
    );
    for write in ["send_invoice", "cancel_invoice", "record_payment", "create_credit_note", "send_reminder"] {
        let refused = reader.tool(write, json!({"number": "ACME-0001", "dry_run": true})).await;
        assert_eq!(refused["structuredContent"]["status"], 403, "{write}: {refused}");
    }
    let refused = reader.tool("create_customer", json!({"company": "X"})).await;
    assert_eq!((refused["isError"].clone(), refused["structuredContent"]["status"].clone()), (json!(true), json!(403)));
    assert!(refused["structuredContent"]["field"].is_null());
    let (_, customers) = app.json(Method::GET, Some(&reader.key), "/api/v1/customers", None).await;
    assert!(customers["data"].as_array().unwrap().is_empty(), "nothing written");

    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"});
    let anonymous = app.client.post(format!("{}/mcp", app.base)).json(&list).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert!(anonymous.json::<Value>().await.unwrap()["error"].is_string());
    let foreign = reader.post(list.clone(), &[("origin", "https://evil.test")]).await;
    assert_eq!(foreign.status().as_u16(), 403);
    let ours = reader.post(list.clone(), &[("origin", "http://invoices.test")]).await;
    assert_eq!(ours.status().as_u16(), 200, "this site's own origin (PUBLIC_URL)");
    let version = reader.post(list.clone(), &[("mcp-protocol-version", "1999-01-01")]).await;
    assert_eq!(version.status().as_u16(), 400);
    let host = reader.post(list, &[("host", "evil.test")]).await;
    assert_eq!(host.status().as_u16(), 403, "DNS rebinding: not our host");
}
on_both_databases!(read_only_keys_see_read_tools_and_the_door_is_checked);

/// The tools for the rest of an invoice's life are the API's operations, field for field:
/// path and query parameters (the invoice number as `number`), then the request body's fields,
/// and `idempotency_key` where the operation takes an Idempotency-Key.
async fn lifecycle_tools_are_the_api_operations(db: TestDb) {
    let app = TestApp::start(db).await;
    let mcp = Mcp { app: &app, key: app.key("me@studio.test", Some("Studio")).await };
    let listed = mcp.rpc("tools/list", json!({})).await;
    let tools = listed["tools"].as_array().unwrap();
    let doc: Value =
        app.client.get(format!("{}/api/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    let in_defs = |v: &Value| -> Value {
        serde_json::from_str(&v.to_string().replace("#/components/schemas/", "#/$defs/")).unwrap()
    };
    let operation = |id: &str| -> Value {
        let paths = doc["paths"].as_object().unwrap();
        paths
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .find(|op| op["operationId"] == id)
            .unwrap()
            .clone()
    };
    for (tool_name, id, writes) in [
        ("send_invoice", "sendInvoice", true),
        ("cancel_invoice", "cancelInvoice", true),
        ("record_payment", "createPayment", true),
        ("list_payments", "listPayments", false),
        ("create_credit_note", "createCreditNote", true),
        ("send_reminder", "sendInvoiceReminder", true),
        ("validate_e_invoice", "getInvoiceEInvoice", false),
        ("list_events", "listEvents", false),
    ] {
        let tool = tools.iter().find(|t| t["name"] == tool_name).unwrap_or_else(|| panic!("{tool_name} offered"));
        let mut props = tool["inputSchema"]["properties"].as_object().unwrap().clone();
        let op = operation(id);
        for p in op["parameters"].as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            if p["in"] == "header" {
                assert_eq!(name, "Idempotency-Key");
                assert!(props.remove("idempotency_key").is_some(), "{tool_name} takes idempotency_key");
                continue;
            }
            let name = if name == "invoice_number" { "number" } else { name };
            let mut got = props.remove(name).unwrap_or_else(|| panic!("{tool_name} takes {name}"));
            got.as_object_mut().unwrap().remove("description");
            assert_eq!(got, in_defs(&p["schema"]), "{tool_name}.{name}");
        }
        let body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str();
        let body_props = match body {
            Some(r) => doc["components"]["schemas"][r.rsplit('/').next().unwrap()]["properties"].clone(),
            None => json!({}),
        };
        assert_eq!(Value::Object(props), in_defs(&body_props), "{tool_name}: the body's fields, field for field");
        assert_eq!(tool["inputSchema"]["additionalProperties"], false);
        assert_eq!(tool["annotations"]["readOnlyHint"], !writes, "{tool_name}");
    }
    let hint =
        |name: &str, which: &str| tools.iter().find(|t| t["name"] == name).unwrap()["annotations"][which].clone();
    for (name, destructive, idempotent) in [
        ("cancel_invoice", true, true),
        ("create_credit_note", true, false),
        ("send_invoice", false, true),
        ("record_payment", false, false),
        ("send_reminder", false, false),
    ] {
        assert_eq!(hint(name, "destructiveHint"), destructive, "{name}");
        assert_eq!(hint(name, "idempotentHint"), idempotent, "{name}");
    }
}
on_both_databases!(lifecycle_tools_are_the_api_operations);

/// Create → send → payment → reminder → credit note → cancel, each previewed first (the
/// preview shows the mail and changes nothing); a retried send with the same idempotency_key
/// replays; the e-invoice verdict; the events an agent polls.
async fn an_invoice_from_draft_to_credit_note(db: TestDb) {
    let app = TestApp::start(db).await;
    let mcp = Mcp { app: &app, key: app.key("me@studio.test", Some("Studio")).await };
    let ok = |r: &Value| assert!(r["isError"] == false || r["isError"].is_null(), "{r}");
    let made = mcp.tool("create_invoice", serde_json::from_str(GUIDE_EXAMPLE).unwrap()).await;
    ok(&made);

    let preview = mcp.tool("send_invoice", json!({"number": "ACME-0001", "dry_run": true})).await;
    ok(&preview);
    assert_eq!(preview["structuredContent"]["status"], "sent", "as it would be");
    let mail = &preview["structuredContent"]["preview_mail"][0];
    assert_eq!((mail["template"].as_str(), &mail["to"]), (Some("invoice_sent"), &json!(["ap@acme.com"])), "{mail}");
    assert!(mail["subject"].as_str().unwrap().contains("ACME-0001"), "{mail}");
    assert!(mail["text"].as_str().unwrap().contains("/i/"), "the share link: {mail}");
    assert_eq!(mcp.status_of("ACME-0001").await, "draft", "a preview sends nothing");

    let sent = mcp.tool("send_invoice", json!({"number": "ACME-0001", "idempotency_key": "send-1"})).await;
    ok(&sent);
    assert!(sent["structuredContent"].get("preview_mail").is_none());
    assert!(sent["_meta"].is_null());
    let again = mcp.tool("send_invoice", json!({"number": "ACME-0001", "idempotency_key": "send-1"})).await;
    assert_eq!(again["structuredContent"], sent["structuredContent"], "the first answer");
    assert_eq!(again["_meta"]["idempotent_replayed"], true);
    let other = mcp.tool("cancel_invoice", json!({"number": "ACME-0001", "idempotency_key": "send-1"})).await;
    assert_eq!((other["isError"].clone(), other["structuredContent"]["status"].clone()), (json!(true), json!(422)));
    assert_eq!(other["structuredContent"]["field"], "idempotency_key");
    let twice = mcp.tool("send_invoice", json!({"number": "ACME-0001"})).await;
    assert_eq!(twice["structuredContent"]["status"], 409, "without a key, a second send is refused");
    assert_eq!(mcp.status_of("ACME-0001").await, "sent");

    // The profile has no address yet: the verdict says what EN 16931 misses, rule by rule.
    let verdict = mcp.tool("validate_e_invoice", json!({"number": "ACME-0001"})).await;
    let verdict = &verdict["structuredContent"];
    assert_eq!((verdict["valid"].clone(), verdict["format"].clone()), (json!(false), json!("facturx")), "{verdict}");
    let violations = verdict["violations"].as_array().unwrap();
    assert!(violations.iter().any(|v| v["rule"] == "BR-08" && v["field"] == "profile"), "{verdict}");
    let ubl = mcp.tool("validate_e_invoice", json!({"number": "ACME-0001", "format": "xrechnung-ubl"})).await;
    assert_eq!(ubl["structuredContent"]["format"], "xrechnung-ubl");
    assert!(ubl["structuredContent"]["violations"].as_array().unwrap().len() > violations.len(), "XRechnung asks more");
    let bad = mcp.tool("validate_e_invoice", json!({"number": "ACME-0001", "format": "zugferd"})).await;
    assert_eq!(bad["structuredContent"]["field"], "format");

    let pay = json!({"number": "ACME-0001", "amount_cents": 100_000, "method": "bank_transfer", "dry_run": true});
    let preview = mcp.tool("record_payment", pay).await;
    ok(&preview);
    assert_eq!(preview["structuredContent"]["amount_cents"], 100_000);
    assert_eq!(preview["structuredContent"]["preview_mail"][0]["template"], "payment_receipt", "{preview}");
    let none = mcp.tool("list_payments", json!({"number": "ACME-0001"})).await;
    assert_eq!(none["structuredContent"]["payments"], json!([]), "a preview records nothing");
    let paid = mcp
        .tool("record_payment", json!({"number": "ACME-0001", "amount_cents": 100_000, "method": "bank_transfer"}))
        .await;
    ok(&paid);
    let one = mcp.tool("list_payments", json!({"number": "ACME-0001"})).await;
    assert_eq!(one["structuredContent"]["payments"][0]["amount_cents"], 100_000);
    let too_much =
        mcp.tool("record_payment", json!({"number": "ACME-0001", "amount_cents": 900_000, "method": "cash"})).await;
    assert_eq!(too_much["structuredContent"]["status"], 409);

    let preview = mcp.tool("send_reminder", json!({"number": "ACME-0001", "dry_run": true})).await;
    ok(&preview);
    let reminder = &preview["structuredContent"]["preview_mail"][0];
    assert_eq!(reminder["template"], "payment_reminder");
    assert!(reminder["text"].as_str().unwrap().contains("1,500.00"), "the balance due: {reminder}");
    ok(&mcp.tool("send_reminder", json!({"number": "ACME-0001"})).await);
    let limited = mcp.tool("send_reminder", json!({"number": "ACME-0001"})).await;
    assert_eq!(limited["structuredContent"]["status"], 429);
    assert!(limited["structuredContent"]["retry_after_secs"].as_u64().unwrap() > 0);

    let credit = json!({"number": "ACME-0001", "reason": "Discount agreed", "lines": [{"line": 0, "quantity": 0.2}], "dry_run": true});
    let preview = mcp.tool("create_credit_note", credit.clone()).await;
    ok(&preview);
    assert_eq!(preview["structuredContent"]["total_cents"], 50_000, "{preview}");
    assert_eq!(preview["structuredContent"]["preview_mail"][0]["template"], "credit_note_issued");
    let mut real = credit;
    real.as_object_mut().unwrap().remove("dry_run");
    let note = mcp.tool("create_credit_note", real).await;
    ok(&note);
    assert_eq!(note["structuredContent"]["id"], preview["structuredContent"]["id"], "the number the preview said");

    let preview = mcp.tool("cancel_invoice", json!({"number": "ACME-0001", "dry_run": true})).await;
    ok(&preview);
    assert_eq!(preview["structuredContent"]["status"], "cancelled");
    assert_eq!(mcp.status_of("ACME-0001").await, "sent", "a preview cancels nothing");

    let events = mcp.tool("list_events", json!({"limit": 100})).await;
    let types: Vec<&str> =
        events["structuredContent"]["events"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    for t in
        ["invoice.created", "invoice.sent", "invoice.payment_received", "invoice.reminder_sent", "credit_note.created"]
    {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    assert!(!types.contains(&"invoice.cancelled"), "the preview left no event");
    let sent_only = mcp.tool("list_events", json!({"type": "invoice.sent"})).await;
    assert_eq!(sent_only["structuredContent"]["events"].as_array().unwrap().len(), 1);
    let unknown = mcp.tool("list_events", json!({"type": "invoice.exploded"})).await;
    assert_eq!(unknown["structuredContent"]["field"], "type");
    let filtered = mcp.tool("list_invoices", json!({"status": "sent,viewed", "expand": "customer"})).await;
    assert_eq!(filtered["structuredContent"]["invoices"][0]["customer"]["code"], "ACME");
}
on_both_databases!(an_invoice_from_draft_to_credit_note);

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
        names,
        [
            "create_invoice",
            "list_invoices",
            "get_invoice",
            "update_invoice",
            "create_customer",
            "list_customers",
            "get_customer"
        ]
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
        ("create_invoice", "InvoiceCreate", &["dry_run"][..]),
        ("update_invoice", "InvoiceUpdate", &["dry_run", "number"][..]),
        ("create_customer", "CustomerCreate", &[][..]),
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
    let customer = mcp.tool("create_customer", json!({"company": "Globex"})).await;
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
    assert_eq!(reader.tool_names().await, ["list_invoices", "get_invoice", "list_customers", "get_customer"]);
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

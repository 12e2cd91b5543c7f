"""The MCP server driven by the official MCP Python SDK (PyPI `mcp`), as an agent's client
would: initialize, list the tools (the seed's seven first), create an invoice from the guide's
example, get and list it, a validation error as isError, a dry run that stores nothing; then
one invoice's life — send, payment, credit note — each previewed first (the preview shows the
mail it would send and changes nothing), a payment retried with its idempotency_key recorded
once; a read-only key that sees the read tools only and cannot write, no key → 401, a foreign
Origin → 403. The SDK checks every structured result against the tool's output schema.

usage: mcp_client.py BASE_URL FULL_KEY READ_ONLY_KEY
"""

import asyncio
import json
import sys

import httpx
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

BASE, FULL, READER = sys.argv[1], sys.argv[2], sys.argv[3]
URL = BASE + "/mcp"
GUIDE_EXAMPLE = {
    "recipient": {"company": "Python Agent Corp", "email": "ap@agent.test"},
    "due_date": "2031-01-31",
    "line_items": [{"description": "Design work", "quantity": 1, "unit_price_cents": 250000}],
}
failures = []
checked = []


def check(name, ok, detail=""):
    print(("ok - " if ok else "not ok - ") + name + ("" if ok else f": {detail}"))
    checked.append(name)
    if not ok:
        failures.append(name)


async def session_for(key, run):
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        async with streamable_http_client(URL, http_client=http) as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()
                await run(session)


async def as_full(session):
    tools = (await session.list_tools()).tools
    names = [t.name for t in tools]
    check("the seed's seven tools, then the life of an invoice", names == [
        "create_invoice", "list_invoices", "get_invoice", "update_invoice",
        "create_customer", "list_customers", "get_customer", "send_invoice", "cancel_invoice",
        "record_payment", "list_payments", "create_credit_note", "send_reminder",
        "validate_e_invoice", "list_events"], names)
    hints = {t.name: t.annotations for t in tools}
    check("cancel and credit notes are destructive, a send idempotent",
          hints["cancel_invoice"].destructiveHint and hints["create_credit_note"].destructiveHint
          and hints["send_invoice"].idempotentHint and not hints["record_payment"].idempotentHint, hints)
    create = next(t for t in tools if t.name == "create_invoice")
    check("create_invoice has an input and output schema",
          "line_items" in create.inputSchema["properties"] and create.outputSchema["type"] == "object")
    made = await session.call_tool("create_invoice", GUIDE_EXAMPLE)
    invoice = made.structuredContent or {}
    check("create from the guide's example", not made.isError and invoice.get("total_cents") == 250000, made)
    number = invoice.get("id", "")
    got = await session.call_tool("get_invoice", {"number": number})
    check("get it", (got.structuredContent or {}).get("id") == number, got)
    listed = await session.call_tool("list_invoices", {"q": number})
    ids = [i["id"] for i in (listed.structuredContent or {}).get("invoices", [])]
    check("list it", number in ids, ids)
    bad = await session.call_tool("create_invoice", {"due_date": "2031-01-31", "line_items": []})
    body = bad.structuredContent or json.loads(bad.content[0].text)
    check("a validation error is isError with the field", bad.isError and body.get("field") == "line_items", bad)
    before = len((await session.call_tool("list_invoices", {})).structuredContent["invoices"])
    preview = await session.call_tool("create_invoice", {**GUIDE_EXAMPLE, "dry_run": True})
    after = len((await session.call_tool("list_invoices", {})).structuredContent["invoices"])
    check("a dry run stores nothing", not preview.isError and before == after, (before, after))
    await life_of(session, number)


def status_of(result):
    return (result.structuredContent or {}).get("status")


async def life_of(session, number):
    """create → send → payment → credit note, each previewed first."""
    async def current():
        return status_of(await session.call_tool("get_invoice", {"number": number}))

    preview = await session.call_tool("send_invoice", {"number": number, "dry_run": True})
    mail = ((preview.structuredContent or {}).get("preview_mail") or [{}])[0]
    check("send, previewed: the mail that would go out",
          not preview.isError and mail.get("to") == ["ap@agent.test"] and number in mail.get("subject", ""), preview)
    check("and nothing sent", await current() == "draft")
    sent = await session.call_tool("send_invoice", {"number": number, "idempotency_key": f"send-{number}"})
    check("send", not sent.isError and status_of(sent) == "sent", sent)
    again = await session.call_tool("send_invoice", {"number": number, "idempotency_key": f"send-{number}"})
    check("a retried send replays its first answer",
          not again.isError and (again.meta or {}).get("idempotent_replayed") is True, again)

    pay = {"number": number, "amount_cents": 250000, "method": "bank_transfer"}
    preview = await session.call_tool("record_payment", {**pay, "dry_run": True})
    templates = [m["template"] for m in (preview.structuredContent or {}).get("preview_mail", [])]
    check("payment, previewed: the receipt it would mail", not preview.isError and templates == ["payment_receipt"], preview)
    check("and nothing recorded", await current() == "sent")
    key = {"idempotency_key": f"pay-{number}"}
    first = await session.call_tool("record_payment", {**pay, **key})
    retry = await session.call_tool("record_payment", {**pay, **key})
    payments = (await session.call_tool("list_payments", {"number": number})).structuredContent["payments"]
    check("a payment retried with its key is recorded once",
          not first.isError and not retry.isError and len(payments) == 1 and await current() == "paid", payments)
    other = await session.call_tool("record_payment", {**pay, "amount_cents": 1, **key})
    check("the key with other arguments is refused",
          other.isError and (other.structuredContent or {}).get("field") == "idempotency_key", other)

    credit = {"number": number, "reason": "Goodwill", "lines": [{"line": 0, "quantity": 0.1}]}
    preview = await session.call_tool("create_credit_note", {**credit, "dry_run": True})
    note = preview.structuredContent or {}
    check("credit note, previewed: its number, amount and mail",
          not preview.isError and note.get("total_cents") == 25000
          and [m["template"] for m in note.get("preview_mail", [])] == ["credit_note_issued"], preview)
    made = await session.call_tool("create_credit_note", credit)
    check("credit note issued with the number the preview gave",
          not made.isError and (made.structuredContent or {}).get("id") == note.get("id"), made)
    events = (await session.call_tool("list_events", {"limit": 50})).structuredContent["events"]
    types = {e["type"] for e in events if e.get("invoice") == number}
    check("the events tell the story",
          {"invoice.created", "invoice.sent", "invoice.paid", "credit_note.created"} <= types, types)


async def as_reader(session):
    names = sorted(t.name for t in (await session.list_tools()).tools)
    check("a read-only key sees the read tools only", names == [
        "get_customer", "get_invoice", "list_customers", "list_events", "list_invoices", "list_payments",
        "validate_e_invoice"], names)
    refused = await session.call_tool("create_customer", {"company": "Nope"})
    check("and cannot write", refused.isError and (refused.structuredContent or {}).get("status") == 403, refused)


async def main():
    await session_for(FULL, as_full)
    await session_for(READER, as_reader)
    ping = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"Accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient(timeout=30) as http:
        no_key = await http.post(URL, json=ping, headers=accept)
        check("no key → 401", no_key.status_code == 401 and no_key.headers.get("www-authenticate") == "Bearer")
        foreign = await http.post(URL, json=ping, headers={**accept, "Authorization": f"Bearer {FULL}",
                                                           "Origin": "https://evil.test"})
        check("a foreign Origin → 403", foreign.status_code == 403, foreign.status_code)
    print(f"mcp python sdk: {len(checked) - len(failures)} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


asyncio.run(main())

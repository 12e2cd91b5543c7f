"""The MCP server driven by the official MCP Python SDK (PyPI `mcp`), as an agent's client
would: initialize, list the seven tools, create an invoice from the guide's example, get and
list it, a validation error as isError, a dry run that stores nothing, a read-only key that
sees the four read tools and cannot write, no key → 401, a foreign Origin → 403.

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
    check("seven tools", sorted(names) == sorted([
        "create_invoice", "list_invoices", "get_invoice", "update_invoice",
        "create_customer", "list_customers", "get_customer"]), names)
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


async def as_reader(session):
    names = sorted(t.name for t in (await session.list_tools()).tools)
    check("a read-only key sees the four read tools",
          names == ["get_customer", "get_invoice", "list_customers", "list_invoices"], names)
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

"""Rules of the API that a JSON Schema cannot state, for schemathesis (spec/schemathesis.toml).

Each rule is also written in the operation's description in the OpenAPI document. Cases
generated to match the schema that break one of them are not "valid requests the server should
accept", so they are dropped (or, for webhook URLs, pointed at a reachable receiver) before
sending. Cases generated to break the schema are left alone, and every check stays on.

- createInvoice: a recipient naming a company or an e-mail address, or a customer_id (kept
  out of the schema as an anyOf, which client generators cannot turn into models); due_date
  is not before issue_date; quantities have at most 6 decimals and
  percentages at most 3 (multipleOf over binary floats cannot say this reliably); a flat
  discount is at most what it discounts; every amount, line by line and in total, stays
  within 10^12 cents (a product of two bounded numbers is not bounded by the schema).
- listInvoices: an overdue list is ordered by due date (sort due_date or -due_date), and a
  search (q) lists newest first: other sorts with them are refused (400 on sort), as a query
  string's parameters cannot depend on each other in the schema.
- createWebhook / updateWebhook: the URL must resolve to a public address, and this test
  machine resolves no made-up names: generated URLs are pointed at the loopback receiver the
  test server is allowed to use (WEBHOOK_ALLOW_PRIVATE_TARGETS=true), SCHEMATHESIS_HOOK_URL.
"""

import os
from decimal import ROUND_HALF_UP, Decimal

import schemathesis

LIMIT = 10**12


def _decimals(number) -> int:
    exponent = Decimal(repr(number)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 99


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _discount(discount, base: int):
    """The discount in cents, or None when the server would refuse it."""
    if not isinstance(discount, dict):
        return 0
    if discount.get("type") == "percent":
        value = discount.get("value")
        if not isinstance(value, (int, float)) or _decimals(value) > 3:
            return None
        return _cents(Decimal(base) * Decimal(repr(value)) / 100)
    cents = discount.get("value_cents")
    if not isinstance(cents, int) or cents > base:
        return None
    return cents


def _named(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _invoice_is_possible(body: dict) -> bool:
    recipient = body.get("recipient")
    if isinstance(recipient, dict):
        if not (_named(recipient.get("company")) or _named(recipient.get("email"))):
            return False
    elif not isinstance(body.get("customer_id"), int):
        return False
    issue, due = body.get("issue_date"), body.get("due_date")
    if isinstance(issue, str) and isinstance(due, str) and due < issue:
        return False
    subtotal = 0
    for line in body.get("line_items") or []:
        if not isinstance(line, dict):
            return True
        quantity = line.get("quantity")
        quantity = 1 if quantity is None else quantity
        price = line.get("unit_price_cents")
        if not isinstance(quantity, (int, float)) or not isinstance(price, int) or _decimals(quantity) > 6:
            return False
        gross = _cents(Decimal(repr(quantity)) * price)
        if gross > LIMIT:
            return False
        discount = _discount(line.get("discount"), gross)
        if discount is None:
            return False
        subtotal += gross - discount
    if subtotal > LIMIT:
        return False
    discount = _discount(body.get("discount"), subtotal)
    if discount is None:
        return False
    taxable = subtotal - discount
    tax = body.get("tax")
    if isinstance(tax, dict) and isinstance(tax.get("rate"), (int, float)):
        if _decimals(tax["rate"]) > 3:
            return False
        taxable += _cents(Decimal(taxable) * Decimal(repr(tax["rate"])) / 100)
    return taxable <= LIMIT


def _operation_id(case) -> str:
    raw = getattr(getattr(case.operation, "definition", None), "raw", None) or {}
    return raw.get("operationId", "") if isinstance(raw, dict) else ""


def _positive(case) -> bool:
    """A case generated to match the schema (negative ones are meant to be refused)."""
    meta = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return mode is None or str(getattr(mode, "value", mode)).lower() == "positive"


def _list_is_possible(query: dict) -> bool:
    sort = query.get("sort")
    if sort in (None, "-created"):
        return True
    if str(query.get("overdue", "")).lower() == "true" and sort not in ("due_date", "-due_date"):
        return False
    return not (isinstance(query.get("q"), str) and query["q"].strip())


@schemathesis.hook
def filter_case(context, case) -> bool:
    if _operation_id(case) == "createInvoice" and _positive(case) and isinstance(case.body, dict):
        return _invoice_is_possible(case.body)
    if _operation_id(case) == "listInvoices" and _positive(case) and isinstance(case.query, dict):
        return _list_is_possible(case.query)
    return True


@schemathesis.hook
def map_case(context, case):
    if _operation_id(case) in ("createWebhook", "updateWebhook") and _positive(case) and isinstance(case.body, dict):
        if isinstance(case.body.get("url"), str):
            case.body = dict(case.body, url=os.environ.get("SCHEMATHESIS_HOOK_URL", "http://127.0.0.1:9/hooks"))
    return case

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
- createInvoice, VAT (issue 24): a standard line's rate is above 0 and every other category's
  is 0; only lines without VAT give an exemption reason or VATEX code, an exempt line gives one
  of them, and the lines of one exempting category give the same; reverse charge and
  intra-community lines need the buyer's VAT id. The tax of every line's own rate counts
  toward the 10^12-cent limit.
- createInvoice, createCustomer, updateCustomer: a VAT id of an EU country must have that country's format and
  check digits (a checksum no schema states): generated ids are replaced by a valid one.
- createPayment: paid_on is not in the future (the schema cannot name today).
- createRecurringInvoice / updateRecurringInvoice: exactly one of from_invoice and template
  (on create), a template that is a possible invoice (as createInvoice above), a schedule whose
  end_date is not before its start_date and whose day is 1-7 for weeks.
- updateReminderSettings: one step per day (an array's items cannot be unique by one field).
- Idempotency-Key (every POST and PATCH): a new value per request; a value the generator uses
  again for another request is rightly refused (422), so each generated request gets a fresh one.
- listInvoices: an overdue list is ordered by due date (sort due_date or -due_date), and a
  search (q) lists newest first: other sorts with them are refused (400 on sort); a date
  range whose end (issued_to, due_to) is before its start is refused (400 on its _from), as a
  query string's parameters cannot depend on each other in the schema.
- createWebhook / updateWebhook: the URL must resolve to a public address, and this test
  machine resolves no made-up names: generated URLs are pointed at the loopback receiver the
  test server is allowed to use (WEBHOOK_ALLOW_PRIVATE_TARGETS=true), SCHEMATHESIS_HOOK_URL.
"""

import datetime
import os
import uuid
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


ZERO_RATE = ("zero_rated", "exempt", "reverse_charge", "intra_community", "export", "outside_scope")
EXEMPTING = ("exempt", "reverse_charge", "intra_community", "export", "outside_scope")
VALID_VAT_ID = "FR40303265045"


def _line_taxes_are_possible(body: dict) -> bool:
    """The VAT rules between a line's tax fields and the buyer (see the module's docstring)."""
    recipient = body.get("recipient") if isinstance(body.get("recipient"), dict) else {}
    buyer_id = _named(recipient.get("vat_id"))
    reasons = {}
    for line in body.get("line_items") or []:
        tax = line.get("tax") if isinstance(line, dict) else None
        if not isinstance(tax, dict):
            continue
        category = tax.get("category", "standard")
        rate = tax.get("rate", 0)
        rate = 0 if rate is None else rate
        if not isinstance(rate, (int, float)) or _decimals(rate) > 3:
            return False
        if (category == "standard") == (rate == 0):
            return False
        reason = tax.get("exemption_reason")
        reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
        vatex = tax.get("vatex")
        vatex = vatex.strip().upper() if isinstance(vatex, str) else None
        if category not in EXEMPTING and (reason or vatex):
            return False
        if category == "exempt" and not (reason or vatex):
            return False
        if category in ("reverse_charge", "intra_community") and not buyer_id:
            return False
        if category in EXEMPTING and reasons.setdefault(category, (reason, vatex)) != (reason, vatex):
            return False
    return True


def _highest_rate(body: dict) -> Decimal:
    rates = [Decimal(0)]
    tax = body.get("tax")
    if isinstance(tax, dict) and isinstance(tax.get("rate"), (int, float)):
        rates.append(Decimal(repr(tax["rate"])))
    for line in body.get("line_items") or []:
        own = line.get("tax") if isinstance(line, dict) else None
        if isinstance(own, dict) and isinstance(own.get("rate"), (int, float)):
            rates.append(Decimal(repr(own["rate"])))
    return max(rates)


def _invoice_is_possible(body: dict) -> bool:
    if not _line_taxes_are_possible(body):
        return False
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
    if isinstance(tax, dict) and isinstance(tax.get("rate"), (int, float)) and _decimals(tax["rate"]) > 3:
        return False
    # Each line's own rate may be higher than the invoice's: the highest bounds the total.
    return taxable + _cents(Decimal(taxable) * _highest_rate(body) / 100) + len(body.get("line_items") or []) <= LIMIT


def _payment_is_possible(body: dict) -> bool:
    paid_on = body.get("paid_on")
    return not isinstance(paid_on, str) or paid_on <= datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def _operation_id(case) -> str:
    raw = getattr(getattr(case.operation, "definition", None), "raw", None) or {}
    return raw.get("operationId", "") if isinstance(raw, dict) else ""


def _positive(case) -> bool:
    """A case generated to match the schema (negative ones are meant to be refused)."""
    meta = getattr(case, "meta", None)
    mode = getattr(getattr(meta, "generation", None), "mode", None)
    return mode is None or str(getattr(mode, "value", mode)).lower() == "positive"


def _list_is_possible(query: dict) -> bool:
    for start, end in (("issued_from", "issued_to"), ("due_from", "due_to")):
        if isinstance(query.get(start), str) and isinstance(query.get(end), str) and query[start] > query[end]:
            return False
    sort = query.get("sort")
    if sort in (None, "-created"):
        return True
    if str(query.get("overdue", "")).lower() == "true" and sort not in ("due_date", "-due_date"):
        return False
    return not (isinstance(query.get("q"), str) and query["q"].strip())


def _schedule_is_possible(schedule) -> bool:
    if not isinstance(schedule, dict):
        return True
    start, end = schedule.get("start_date"), schedule.get("end_date")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        return False
    day = schedule.get("day")
    return not (schedule.get("unit") == "week" and isinstance(day, (int, float)) and day > 7)


def _recurring_is_possible(body: dict, create: bool) -> bool:
    template, source = body.get("template"), body.get("from_invoice")
    if create and (template is None) == (source is None):
        return False
    if isinstance(template, dict) and not _invoice_is_possible(template):
        return False
    return _schedule_is_possible(body.get("schedule"))


def _steps_are_possible(body: dict) -> bool:
    days = [s.get("days") for s in body.get("steps") or [] if isinstance(s, dict)]
    return len(days) == len(set(days))


@schemathesis.hook
def filter_case(context, case) -> bool:
    if _operation_id(case) in ("createRecurringInvoice", "updateRecurringInvoice") and _positive(case) and isinstance(case.body, dict):
        return _recurring_is_possible(case.body, _operation_id(case) == "createRecurringInvoice")
    if _operation_id(case) == "updateReminderSettings" and _positive(case) and isinstance(case.body, dict):
        return _steps_are_possible(case.body)
    if _operation_id(case) == "createInvoice" and _positive(case) and isinstance(case.body, dict):
        return _invoice_is_possible(case.body)
    if _operation_id(case) == "listInvoices" and _positive(case) and isinstance(case.query, dict):
        return _list_is_possible(case.query)
    if _operation_id(case) == "createPayment" and _positive(case) and isinstance(case.body, dict):
        return _payment_is_possible(case.body)
    return True


def _with_valid_vat_id(party):
    if isinstance(party, dict) and _named(party.get("vat_id")):
        return dict(party, vat_id=VALID_VAT_ID)
    return party


@schemathesis.hook
def map_case(context, case):
    headers = case.headers or {}
    key = next((k for k in headers if k.lower() == "idempotency-key"), None)
    if key is not None and _positive(case):
        case.headers = dict(headers, **{key: str(uuid.uuid4())})
    if _operation_id(case) in ("createWebhook", "updateWebhook") and _positive(case) and isinstance(case.body, dict):
        if isinstance(case.body.get("url"), str):
            case.body = dict(case.body, url=os.environ.get("SCHEMATHESIS_HOOK_URL", "http://127.0.0.1:9/hooks"))
    if _operation_id(case) in ("createCustomer", "updateCustomer") and _positive(case) and isinstance(case.body, dict):
        case.body = _with_valid_vat_id(case.body)
    if _operation_id(case) in ("createRecurringInvoice", "updateRecurringInvoice") and _positive(case) and isinstance(case.body, dict):
        template = case.body.get("template")
        if isinstance(template, dict) and "recipient" in template:
            case.body = dict(case.body, template=dict(template, recipient=_with_valid_vat_id(template["recipient"])))
    if _operation_id(case) in ("createInvoice", "updateInvoice") and _positive(case) and isinstance(case.body, dict):
        if "recipient" in case.body:
            case.body = dict(case.body, recipient=_with_valid_vat_id(case.body["recipient"]))
    return case

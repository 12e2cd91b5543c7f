"""A client generated from our OpenAPI document by openapi-python-client (PyPI), used as an
integrator would: create, list, get and patch an invoice and a customer passing only the
required fields, and download the invoice's PDF; then the agent API: a create retried with
its Idempotency-Key, send, the list's filters with the customer expanded, a payment, a
reminder, a credit note previewed then issued, a draft cancelled and one deleted, the event
feed, a customer changed and deleted. Run by scripts/test.sh against the test server:
python_client.py BASE_URL API_KEY (the generated package `jupiter_client` on PYTHONPATH)."""

import sys
from datetime import date

from uuid import uuid4

from jupiter_client import AuthenticatedClient
from jupiter_client.api.credit_notes import create_credit_note
from jupiter_client.api.customers import create_customer, delete_customer, get_customer, list_customers, update_customer
from jupiter_client.api.events import list_events
from jupiter_client.api.invoices import (
    cancel_invoice,
    create_invoice,
    delete_invoice,
    get_invoice,
    get_invoice_pdf,
    list_invoices,
    send_invoice,
    update_invoice,
)
from jupiter_client.api.payments import create_payment, list_payments
from jupiter_client.api.reminders import send_invoice_reminder
from jupiter_client.models import (
    CreditNote,
    CreditNoteCreate,
    CreditNoteLineInput,
    Currency,
    Customer,
    CustomerCreate,
    CustomerUpdate,
    Invoice,
    InvoiceCreate,
    InvoiceUpdate,
    LineItemInput,
    ListEventsType,
    ListInvoicesExpand,
    ListInvoicesSort,
    PaymentCreate,
    PaymentCreateMethod,
    RecipientInput,
    Status,
)

base, key = sys.argv[1], sys.argv[2]
client = AuthenticatedClient(base_url=f"{base}/api/v1", token=key)
passed = 0


def step(name, ok):
    global passed
    if not ok:
        print(f"python client: {name} failed")
        sys.exit(1)
    passed += 1
    print(f"ok - {name}")


invoice = create_invoice.sync(
    client=client,
    body=InvoiceCreate(
        due_date=date(2026, 12, 31),
        line_items=[LineItemInput(description="Brand identity system", unit_price_cents=250000)],
        recipient=RecipientInput(company="Python Client Corp"),
    ),
)
step("create an invoice with only the required fields", isinstance(invoice, Invoice) and invoice.total_cents == 250000)
number = invoice.id

euro = create_invoice.sync(
    client=client,
    body=InvoiceCreate(
        due_date=date(2026, 12, 31),
        currency=Currency.EUR,
        line_items=[LineItemInput(description="Workshop", unit_price_cents=90000)],
        recipient=RecipientInput(company="Python Client Corp"),
    ),
)
step("create an invoice in euros (the Currency enum)", isinstance(euro, Invoice) and euro.currency == Currency.EUR)

page = list_invoices.sync(client=client, limit=100)
step("list invoices", any(i.id == number for i in page.data))

got = get_invoice.sync(invoice_number=number, client=client)
step("get the invoice", isinstance(got, Invoice) and got.share_url == invoice.share_url)

patched = update_invoice.sync(invoice_number=number, client=client, body=InvoiceUpdate(po_number="PO-77"))
step("patch the invoice", isinstance(patched, Invoice) and patched.po_number == "PO-77")

pdf = get_invoice_pdf.sync_detailed(invoice_number=number, client=client)
step("download the PDF", pdf.status_code == 200 and pdf.content.startswith(b"%PDF"))

customer = create_customer.sync(client=client, body=CustomerCreate(company="Snake Oil Ltd"))
step("create a customer with only the required fields", isinstance(customer, Customer) and customer.code)

customers = list_customers.sync(client=client, limit=100)
step("list customers", any(c.id == customer.id for c in customers.data))

one = get_customer.sync(customer_id=customer.id, client=client)
step("get the customer", isinstance(one, Customer) and one.company == "Snake Oil Ltd")

# ---- the agent API ---------------------------------------------------------------------
key = str(uuid4())
body = InvoiceCreate(
    due_date=date(2030, 12, 31),
    line_items=[LineItemInput(description="Retainer", unit_price_cents=100000)],
    recipient=RecipientInput(company="Agent Client Corp", email="ap@agent-client.test"),
)
first = create_invoice.sync_detailed(client=client, body=body, idempotency_key=key)
again = create_invoice.sync_detailed(client=client, body=body, idempotency_key=key)
step(
    "a create retried with its Idempotency-Key makes one invoice",
    first.status_code == 201 and again.headers.get("idempotent-replayed") == "true" and again.parsed.id == first.parsed.id,
)
agent = first.parsed.id

sent = send_invoice.sync(invoice_number=agent, client=client, idempotency_key=str(uuid4()))
step("send it", isinstance(sent, Invoice) and sent.status == Status.SENT)

mine = list_invoices.sync(
    client=client,
    customer_id=sent.customer_id,
    status=[Status.SENT, Status.DRAFT],
    sort=ListInvoicesSort.NUMBER,
    expand=ListInvoicesExpand.CUSTOMER,
    limit=100,
)
numbers = [i.id for i in mine.data]
step(
    "list a customer's sent and draft invoices by number, each with its customer",
    agent in numbers and numbers == sorted(numbers) and all(i.customer.id == sent.customer_id for i in mine.data),
)

paid = create_payment.sync(
    invoice_number=agent,
    client=client,
    body=PaymentCreate(amount_cents=40000, method=PaymentCreateMethod.BANK_TRANSFER),
    idempotency_key=str(uuid4()),
)
payments = list_payments.sync(invoice_number=agent, client=client)
step("record a part payment", paid.amount_cents == 40000 and [p.amount_cents for p in payments.data] == [40000])

reminded = send_invoice_reminder.sync(invoice_number=agent, client=client)
step("send a reminder for the balance", isinstance(reminded, Invoice) and reminded.balance_due_cents == 60000)

credit = CreditNoteCreate(reason="Goodwill", lines=[CreditNoteLineInput(line=0, quantity=0.1)])
preview = create_credit_note.sync_detailed(invoice_number=agent, client=client, body=credit, dry_run=True)
note = create_credit_note.sync(invoice_number=agent, client=client, body=credit)
step(
    "a credit note previewed, then issued with the number the preview gave",
    preview.status_code == 200 and isinstance(note, CreditNote) and note.id == preview.parsed.id and note.total_cents == 10000,
)

cancelled = cancel_invoice.sync(invoice_number=euro.id, client=client)
step("cancel a draft", isinstance(cancelled, Invoice) and cancelled.status == Status.CANCELLED)
draft = create_invoice.sync(client=client, body=body)
gone = delete_invoice.sync_detailed(invoice_number=draft.id, client=client)
step("delete a draft", gone.status_code == 204 and get_invoice.sync_detailed(invoice_number=draft.id, client=client).status_code == 404)

feed = list_events.sync(client=client, type_=ListEventsType.INVOICE_SENT)
step("the event feed, by type", any(e.invoice == agent for e in feed.data) and all(e.type_ == "invoice.sent" for e in feed.data))

renamed = update_customer.sync(customer_id=customer.id, client=client, body=CustomerUpdate(company="Snake Oil Limited"))
step("change a customer", isinstance(renamed, Customer) and renamed.company == "Snake Oil Limited")
kept = delete_customer.sync_detailed(customer_id=sent.customer_id, client=client)
deleted = delete_customer.sync_detailed(customer_id=customer.id, client=client)
step("a customer with invoices stays (409); one without is deleted", kept.status_code == 409 and deleted.status_code == 204)

print(f"python client: {passed} passed, 0 failed")

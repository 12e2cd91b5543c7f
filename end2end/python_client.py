"""A client generated from our OpenAPI document by openapi-python-client (PyPI), used as an
integrator would: create, list, get and patch an invoice and a customer passing only the
required fields, and download the invoice's PDF. Run by scripts/test.sh against the test
server: python_client.py BASE_URL API_KEY (the generated package `jupiter_client` on PYTHONPATH)."""

import sys
from datetime import date

from jupiter_client import AuthenticatedClient
from jupiter_client.api.customers import create_customer, get_customer, list_customers
from jupiter_client.api.invoices import create_invoice, get_invoice, get_invoice_pdf, list_invoices, update_invoice
from jupiter_client.models import (
    Currency,
    Customer,
    CustomerCreate,
    Invoice,
    InvoiceCreate,
    InvoiceUpdate,
    LineItemInput,
    RecipientInput,
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

print(f"python client: {passed} passed, 0 failed")

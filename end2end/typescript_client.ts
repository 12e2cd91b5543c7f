// Types generated from our OpenAPI document by openapi-typescript with its default settings
// (scripts/test.sh writes them to api.ts beside this file), used as an integrator would: the
// request bodies and the answer type-check, and the currency is one of the listed codes.
import type { components, paths } from "./api.js";

type InvoiceCreate = components["schemas"]["InvoiceCreate"];
type Invoice = components["schemas"]["Invoice"];
type CreateAnswer = paths["/invoices"]["post"]["responses"]["201"]["content"]["application/json"];

const body: InvoiceCreate = {
  due_date: "2026-12-31",
  currency: "EUR",
  recipient: { company: "TypeScript Client Corp" },
  line_items: [{ description: "Workshop", unit_price_cents: 90000 }],
};

export function total(answer: CreateAnswer): number {
  const invoice: Invoice = answer;
  return invoice.total_cents;
}

export const request = body;

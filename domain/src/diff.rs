//! What changed between two versions of an invoice, as its recipient should see it: lines
//! added, removed or changed, other fields that changed, and the total before → after.

use crate::dto::{Invoice, LineItem};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineChange {
    pub before: LineItem,
    pub after: LineItem,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDiff {
    pub added: Vec<LineItem>,
    pub removed: Vec<LineItem>,
    pub changed: Vec<LineChange>,
    /// Names of other fields that changed, in words ("due date", "tax").
    pub fields: Vec<String>,
    pub total_before: i64,
    pub total_after: i64,
}

impl InvoiceDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && self.fields.is_empty()
    }
}

fn same_line(a: &LineItem, b: &LineItem) -> bool {
    a.quantity == b.quantity && a.unit_price_cents == b.unit_price_cents && a.discount == b.discount && a.tax == b.tax
}

/// Lines are matched by description: an edited description reads as one line removed and
/// one added, which is what a reader of the invoice sees too.
pub fn diff(before: &Invoice, after: &Invoice) -> InvoiceDiff {
    let mut remaining: Vec<&LineItem> = before.line_items.iter().collect();
    let mut d = InvoiceDiff { total_before: before.total_cents, total_after: after.total_cents, ..Default::default() };
    for line in &after.line_items {
        match remaining.iter().position(|b| b.description == line.description) {
            Some(i) => {
                let old = remaining.remove(i);
                if !same_line(old, line) {
                    d.changed.push(LineChange { before: old.clone(), after: line.clone() });
                }
            }
            None => d.added.push(line.clone()),
        }
    }
    d.removed = remaining.into_iter().cloned().collect();
    let mut field = |changed: bool, name: &str| {
        if changed {
            d.fields.push(name.to_string());
        }
    };
    field(before.recipient != after.recipient, "recipient");
    field(before.currency != after.currency, "currency");
    field(before.language != after.language, "language");
    field(before.issue_date != after.issue_date, "issue date");
    field(before.due_date != after.due_date, "due date");
    field(before.po_number != after.po_number, "PO number");
    field(before.discount != after.discount, "discount");
    field(before.tax != after.tax || before.prices_include_tax != after.prices_include_tax, "tax");
    field(before.terms_text != after.terms_text, "terms");
    field(before.footer_note != after.footer_note, "footer note");
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Status;
    use chrono::{NaiveDate, Utc};
    use rust_decimal::Decimal;

    fn line(description: &str, quantity: i64, price: i64) -> LineItem {
        LineItem {
            description: description.into(),
            quantity: Decimal::from(quantity),
            unit_price_cents: price,
            discount: None,
            tax: None,
            discount_cents: 0,
            line_total_cents: quantity * price,
        }
    }

    fn invoice(lines: Vec<LineItem>) -> Invoice {
        let total = lines.iter().map(|l| l.line_total_cents).sum();
        Invoice {
            id: "ACME-0001".into(),
            customer_id: Some(1),
            status: Status::Sent,
            currency: "USD".into(),
            language: Default::default(),
            issue_date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            recipient: Default::default(),
            line_items: lines,
            discount: None,
            discount_cents: 0,
            tax: None,
            prices_include_tax: false,
            subtotal_cents: total,
            tax_cents: 0,
            tax_breakdown: Vec::new(),
            rounding_cents: 0,
            total_cents: total,
            amount_paid_cents: 0,
            balance_due_cents: total,
            credited_cents: 0,
            refund_due_cents: 0,
            po_number: None,
            terms_text: None,
            footer_note: None,
            subscription_context: None,
            share_token: String::new(),
            share_url: String::new(),
            sent_at: None,
            paid_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            reminders_enabled: false,
            recurring_invoice_id: None,
            e_invoice: None,
            customer: None,
        }
    }

    #[test]
    fn a_split_line_shows_as_removed_and_two_added() {
        let before = invoice(vec![line("Design", 1, 300_000), line("Hosting", 1, 1_000)]);
        let mut after = invoice(vec![
            line("Design, phase 1", 1, 150_000),
            line("Design, phase 2", 1, 150_000),
            line("Hosting", 2, 1_000),
        ]);
        after.due_date = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
        let d = diff(&before, &after);
        assert_eq!(d.removed.iter().map(|l| l.description.as_str()).collect::<Vec<_>>(), ["Design"]);
        assert_eq!(d.added.len(), 2);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].after.quantity, Decimal::from(2));
        assert_eq!(d.fields, ["due date"]);
        assert_eq!((d.total_before, d.total_after), (301_000, 302_000));
        assert!(!d.is_empty());
        assert!(diff(&before, &before).is_empty());
    }
}

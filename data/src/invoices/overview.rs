//! What the sender is owed and was paid, per currency. Every query reads one index range
//! of the sender's rows: open invoices by (sender, status), payments by (sender, paid_on).

use crate::entities::{invoice, payment};
use crate::{Error, Store};
use chrono::{Duration, NaiveDate};
use domain::Status;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// Issued, not settled, not voided: what can be outstanding.
const OPEN: [Status; 5] = Status::OUTSTANDING;

pub use domain::sort::Sort;

/// One currency's standing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurrencyTotals {
    pub currency: String,
    /// Balance due on open invoices, and how many.
    pub outstanding_cents: i64,
    pub outstanding_count: i64,
    /// Of that, past its due date.
    pub overdue_cents: i64,
    pub overdue_count: i64,
    /// Payments less refunds dated in the last 30 days.
    pub paid_30_days_cents: i64,
}

/// The sender's totals per currency on `today` (the store's clock), currencies in order.
/// The rows are summed here rather than grouped in SQL: a GROUP BY sorts, while these reads
/// are index ranges of the sender's open invoices and recent payments only.
pub async fn totals(store: &Store, sender_id: i64) -> Result<Vec<CurrencyTotals>, Error> {
    let db = store.reader();
    let today = store.now().date_naive();
    let open: Vec<(String, i64, NaiveDate)> = invoice::Entity::find()
        .select_only()
        .column(invoice::Column::Currency)
        .column(invoice::Column::BalanceDueCents)
        .column(invoice::Column::DueDate)
        .filter(invoice::Column::SenderId.eq(sender_id))
        .filter(invoice::Column::Status.is_in(OPEN.map(Status::as_str)))
        .filter(invoice::Column::BalanceDueCents.gt(0))
        .into_tuple()
        .all(db)
        .await?;
    let paid: Vec<(String, i64)> = payment::Entity::find()
        .select_only()
        .column(payment::Column::Currency)
        .column(payment::Column::AmountCents)
        .filter(payment::Column::SenderId.eq(sender_id))
        .filter(payment::Column::PaidOn.gt(today - Duration::days(30)))
        .into_tuple()
        .all(db)
        .await?;
    let mut all: BTreeMap<String, CurrencyTotals> = BTreeMap::new();
    fn entry(all: &mut BTreeMap<String, CurrencyTotals>, currency: String) -> &mut CurrencyTotals {
        all.entry(currency.clone()).or_insert_with(|| CurrencyTotals { currency, ..Default::default() })
    }
    for (currency, cents, due) in open {
        let t = entry(&mut all, currency);
        t.outstanding_cents += cents;
        t.outstanding_count += 1;
        if due < today {
            t.overdue_cents += cents;
            t.overdue_count += 1;
        }
    }
    for (currency, cents) in paid {
        entry(&mut all, currency).paid_30_days_cents += cents;
    }
    Ok(all.into_values().collect())
}

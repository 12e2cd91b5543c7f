//! What the sender is owed and was paid, per currency, and the list orders the overview
//! offers (due date, amount) as keyset pages. Every query reads one index range of the
//! sender's rows: open invoices by (sender, status), payments by (sender, paid_on), orders
//! by (sender, due_date, id) and (sender, total_cents, id).

use super::ListFilter;
use crate::cursor::PageRequest;
use crate::entities::{invoice, payment};
use crate::{Error, Store};
use chrono::{Duration, NaiveDate};
use domain::Status;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value,
};
use std::collections::BTreeMap;

/// Issued, not settled, not voided: what can be outstanding.
const OPEN: [Status; 5] = Status::OUTSTANDING;

pub use domain::sort::Sort;

/// The column a sort orders by (then by id), and whether ascending.
fn key(sort: Sort) -> Option<(invoice::Column, bool)> {
    match sort {
        Sort::Newest => None,
        Sort::DueDate => Some((invoice::Column::DueDate, true)),
        Sort::DueDateDesc => Some((invoice::Column::DueDate, false)),
        Sort::Amount => Some((invoice::Column::TotalCents, true)),
        Sort::AmountDesc => Some((invoice::Column::TotalCents, false)),
    }
}
/// The order a list is read in. An overdue list reads the due-date index's range of passed
/// dates, so it is ordered by due date: most overdue first unless asked for the latest.
fn order_of(filter: &ListFilter) -> Result<Sort, Error> {
    match (filter.overdue, filter.sort) {
        (false, sort) => Ok(sort),
        (true, Sort::Newest | Sort::DueDate) => Ok(Sort::DueDate),
        (true, Sort::DueDateDesc) => Ok(Sort::DueDateDesc),
        (true, Sort::Amount | Sort::AmountDesc) => {
            Err(Error::invalid("sort", "overdue invoices are listed by due date: sort due_date or -due_date"))
        }
    }
}

/// Only what is overdue on `today`: open, balance left, due date passed.
pub(super) fn overdue(query: Select<invoice::Entity>, today: NaiveDate) -> Select<invoice::Entity> {
    query
        .filter(invoice::Column::Status.is_in(OPEN.map(Status::as_str)))
        .filter(invoice::Column::BalanceDueCents.gt(0))
        .filter(invoice::Column::DueDate.lt(today))
}

/// One keyset page in `filter.sort`'s order. The cursor stays the last row's id: the row's
/// sort value is read back from it (one primary-key read), so cursors keep their one form.
pub(super) async fn sorted_page(
    db: &impl ConnectionTrait,
    sender_id: i64,
    filter: &ListFilter,
    query: Select<invoice::Entity>,
    page: PageRequest,
) -> Result<Vec<invoice::Model>, Error> {
    let Some((column, ascending)) = key(order_of(filter)?) else {
        return Ok(page.select(query, invoice::Column::Id).all(db).await?);
    };
    let mut query = query;
    if let Some(before) = page.before_id {
        // Any 11 characters are a cursor (the API's schema says so): one that names no row
        // of the sender's is past the end of the list.
        let Some(anchor) =
            invoice::Entity::find_by_id(before).filter(invoice::Column::SenderId.eq(sender_id)).one(db).await?
        else {
            return Ok(Vec::new());
        };
        let value: Value = match column {
            invoice::Column::DueDate => anchor.due_date.into(),
            _ => anchor.total_cents.into(),
        };
        let after = if ascending {
            Condition::any()
                .add(column.gt(value.clone()))
                .add(Condition::all().add(column.eq(value)).add(invoice::Column::Id.gt(before)))
        } else {
            Condition::any()
                .add(column.lt(value.clone()))
                .add(Condition::all().add(column.eq(value)).add(invoice::Column::Id.lt(before)))
        };
        query = query.filter(after);
    }
    let query = if ascending {
        query.order_by_asc(column).order_by_asc(invoice::Column::Id)
    } else {
        query.order_by_desc(column).order_by_desc(invoice::Column::Id)
    };
    Ok(query.limit(page.limit + 1).all(db).await?)
}

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

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
use sea_orm::sea_query::{Alias, Expr, Func, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    Select, Value,
};

/// Issued, not settled, not voided: what can be outstanding.
pub const OPEN: [Status; 5] =
    [Status::Sent, Status::Viewed, Status::ChangeRequested, Status::Updated, Status::Approved];

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
    let Some((column, ascending)) = key(filter.sort) else {
        return Ok(page.select(query, invoice::Column::Id).all(db).await?);
    };
    let mut query = query;
    if let Some(before) = page.before_id {
        let anchor = invoice::Entity::find_by_id(before)
            .filter(invoice::Column::SenderId.eq(sender_id))
            .one(db)
            .await?
            .ok_or_else(|| Error::invalid("cursor", "not a cursor from a previous response"))?;
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

#[derive(Debug, FromQueryResult)]
struct Sum {
    currency: String,
    cents: i64,
    count: i64,
}

fn sum_of(column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
    // PostgreSQL sums bigints as numeric: cast back so both databases answer an integer.
    Func::cast_as(Func::sum(Expr::col(column)), Alias::new("BIGINT")).into()
}

async fn sums<E: EntityTrait>(
    db: &impl ConnectionTrait,
    query: Select<E>,
    currency: impl sea_orm::sea_query::IntoColumnRef,
    cents: impl sea_orm::sea_query::IntoColumnRef,
) -> Result<Vec<Sum>, Error> {
    let currency = currency.into_column_ref();
    Ok(query
        .select_only()
        .column_as(Expr::col(currency.clone()), "currency")
        .column_as(sum_of(cents), "cents")
        .column_as(SimpleExpr::from(Func::cast_as(Expr::col(currency.clone()).count(), Alias::new("BIGINT"))), "count")
        .group_by(Expr::col(currency))
        .into_model::<Sum>()
        .all(db)
        .await?)
}

/// The sender's totals per currency on `today` (the store's clock), currencies in order.
pub async fn totals(store: &Store, sender_id: i64) -> Result<Vec<CurrencyTotals>, Error> {
    let db = store.reader();
    let today = store.now().date_naive();
    let open = invoice::Entity::find()
        .filter(invoice::Column::SenderId.eq(sender_id))
        .filter(invoice::Column::Status.is_in(OPEN.map(Status::as_str)))
        .filter(invoice::Column::BalanceDueCents.gt(0));
    let outstanding = sums(db, open.clone(), invoice::Column::Currency, invoice::Column::BalanceDueCents).await?;
    let overdue = sums(
        db,
        open.filter(invoice::Column::DueDate.lt(today)),
        invoice::Column::Currency,
        invoice::Column::BalanceDueCents,
    )
    .await?;
    let recent = payment::Entity::find()
        .filter(payment::Column::SenderId.eq(sender_id))
        .filter(payment::Column::PaidOn.gt(today - Duration::days(30)));
    let paid = sums(db, recent, payment::Column::Currency, payment::Column::AmountCents).await?;

    let mut all: Vec<CurrencyTotals> = Vec::new();
    let mut entry = |currency: &str| -> usize {
        match all.iter().position(|t| t.currency == currency) {
            Some(i) => i,
            None => {
                all.push(CurrencyTotals { currency: currency.to_string(), ..Default::default() });
                all.len() - 1
            }
        }
    };
    let mut rows = Vec::new();
    for s in outstanding {
        rows.push((entry(&s.currency), 0, s));
    }
    for s in overdue {
        rows.push((entry(&s.currency), 1, s));
    }
    for s in paid {
        rows.push((entry(&s.currency), 2, s));
    }
    for (i, which, s) in rows {
        let t = &mut all[i];
        match which {
            0 => (t.outstanding_cents, t.outstanding_count) = (s.cents, s.count),
            1 => (t.overdue_cents, t.overdue_count) = (s.cents, s.count),
            _ => t.paid_30_days_cents = s.cents,
        }
    }
    all.sort_by(|a, b| a.currency.cmp(&b.currency));
    Ok(all)
}

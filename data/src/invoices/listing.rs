//! Which invoices a list shows and one keyset page of them in any offered order.
//!
//! A page is read from the index whose leading columns are the sender, a *partition* and the
//! order's column: one range per asked status (`(sender, status, key, id)`), or the
//! customer's range (`(sender, customer, key, id)`), or the sender's (`(sender, key, id)`).
//! Several ranges are read `limit + 1` rows each and merged here, so a page costs the same
//! however many invoices the sender has. Currency and date ranges narrow the range being
//! read; a due-date range sorted by due date bounds it.

use super::search;
use crate::cursor::PageRequest;
use crate::entities::invoice;
use crate::{Error, Store};
use chrono::NaiveDate;
use domain::Status;
use domain::sort::Sort;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, IdenStatic, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Value,
};
use std::cmp::Ordering;

/// Issued, not settled, not voided: what can be outstanding.
const OPEN: [Status; 5] = Status::OUTSTANDING;

/// Which of the sender's invoices a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Any of these statuses (none: every status).
    pub statuses: Vec<Status>,
    pub customer_id: Option<i64>,
    /// ISO 4217, e.g. "EUR".
    pub currency: Option<String>,
    /// Issue dates from … to (inclusive).
    pub issued: DateRange,
    /// Due dates from … to (inclusive).
    pub due: DateRange,
    /// The beginning of a number or customer code, or part of a company name; any case.
    pub search: Option<String>,
    /// Only open invoices with a balance whose due date has passed.
    pub overdue: bool,
    pub sort: Sort,
    /// How many invoices a range may read past per page (default [`SCAN`]; tests use few).
    pub scan_limit: Option<u64>,
}

/// Inclusive date bounds; either may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DateRange {
    /// Refuses a range that ends before it starts, naming `field` (its `_from` parameter).
    pub fn checked(self, field: &str) -> Result<DateRange, Error> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => {
                Err(Error::invalid(field, format!("{field} is after the end of the range")))
            }
            _ => Ok(self),
        }
    }

    /// Keeps the rows of `column` in the range; `bounds_the_read` says the range is the read's
    /// own (its order's column), else it only narrows another index's range.
    fn narrow(
        self,
        query: Select<invoice::Entity>,
        column: invoice::Column,
        bounds_the_read: bool,
        backend: DatabaseBackend,
    ) -> Select<invoice::Entity> {
        // SQLite, without statistics, would read a range of the date's index and sort it
        // rather than read the order's index: `+column` (a no-op there) keeps it to the order.
        let side = match (bounds_the_read, backend) {
            (false, DatabaseBackend::Sqlite) => {
                Expr::expr(Expr::cust(format!("+\"invoices\".\"{}\"", column.as_str())))
            }
            _ => Expr::col((invoice::Entity, column)),
        };
        let query = match self.from {
            Some(from) => query.filter(side.clone().gte(from)),
            None => query,
        };
        match self.to {
            Some(to) => query.filter(side.lte(to)),
            None => query,
        }
    }
}

/// The column an order reads (then the id, unless the column is unique) and its direction.
#[derive(Debug, Clone, Copy)]
struct Order {
    column: invoice::Column,
    ascending: bool,
}

impl Order {
    fn of(filter: &ListFilter) -> Result<Order, Error> {
        let sort = match (filter.overdue, filter.sort) {
            (false, sort) => sort,
            // The overdue list reads the due-date ranges of passed dates: by due date, most
            // overdue first unless asked for the latest.
            (true, Sort::Newest | Sort::DueDate) => Sort::DueDate,
            (true, Sort::DueDateDesc) => Sort::DueDateDesc,
            (true, _) => {
                return Err(Error::invalid(
                    "sort",
                    "overdue invoices are listed by due date: sort due_date or -due_date",
                ));
            }
        };
        let (column, ascending) = match sort {
            Sort::Newest => (invoice::Column::Id, false),
            Sort::Oldest => (invoice::Column::Id, true),
            Sort::DueDate => (invoice::Column::DueDate, true),
            Sort::DueDateDesc => (invoice::Column::DueDate, false),
            Sort::Amount => (invoice::Column::TotalCents, true),
            Sort::AmountDesc => (invoice::Column::TotalCents, false),
            Sort::Number => (invoice::Column::Number, true),
            Sort::NumberDesc => (invoice::Column::Number, false),
        };
        Ok(Order { column, ascending })
    }

    /// Numbers are unique per sender: no id needed to break ties.
    fn by_id_too(self) -> bool {
        !matches!(self.column, invoice::Column::Id | invoice::Column::Number)
    }

    /// Rows after the cursor's row, whose order value is `value`.
    fn after(self, value: Value, id: i64) -> Condition {
        let (past, id_past) = match self.ascending {
            true => (self.column.gt(value.clone()), invoice::Column::Id.gt(id)),
            false => (self.column.lt(value.clone()), invoice::Column::Id.lt(id)),
        };
        if !self.by_id_too() {
            return Condition::all().add(past);
        }
        Condition::any().add(past).add(Condition::all().add(self.column.eq(value)).add(id_past))
    }

    fn sorted(self, query: Select<invoice::Entity>) -> Select<invoice::Entity> {
        let direction = if self.ascending { sea_orm::Order::Asc } else { sea_orm::Order::Desc };
        let query = query.order_by(self.column, direction.clone());
        match self.by_id_too() {
            true => query.order_by(invoice::Column::Id, direction),
            false => query,
        }
    }

    /// The merge's comparison: the order the database reads each range in.
    fn compare(self, a: &Scanned, b: &Scanned) -> Ordering {
        let by_key = match self.column {
            invoice::Column::DueDate => a.due_date.cmp(&b.due_date),
            invoice::Column::TotalCents => a.total_cents.cmp(&b.total_cents),
            invoice::Column::Number => a.number.cmp(&b.number),
            _ => Ordering::Equal,
        };
        let both = by_key.then(a.id.cmp(&b.id));
        if self.ascending { both } else { both.reverse() }
    }
}

/// The statuses a list reads, one range each: those asked, only the open ones when overdue
/// (None: nothing can match, e.g. overdue and paid).
fn statuses_of(filter: &ListFilter) -> Option<Vec<Status>> {
    let mut statuses = filter.statuses.clone();
    if filter.overdue {
        statuses = match statuses.is_empty() {
            true => OPEN.to_vec(),
            false => statuses.into_iter().filter(|s| OPEN.contains(s)).collect(),
        };
        if statuses.is_empty() {
            return None;
        }
    }
    statuses.sort_by_key(|s| s.as_str());
    statuses.dedup();
    Some(statuses)
}

/// The sender's invoices the filter's fields other than status, customer and search keep, in
/// SQL (a search reads a few customers' ranges, which bound it).
fn narrowed(store: &Store, sender_id: i64, filter: &ListFilter, order: Order) -> Select<invoice::Entity> {
    let (backend, today) = (store.backend(), store.now().date_naive());
    let mut query = invoice::Entity::find().filter(invoice::Column::SenderId.eq(sender_id));
    if let Some(currency) = &filter.currency {
        query = query.filter(invoice::Column::Currency.eq(currency.as_str()));
    }
    query = filter.issued.narrow(query, invoice::Column::IssueDate, false, backend);
    let by_due = matches!(order.column, invoice::Column::DueDate);
    query = filter.due.narrow(query, invoice::Column::DueDate, by_due, backend);
    if filter.overdue {
        query = query.filter(invoice::Column::BalanceDueCents.gt(0)).filter(invoice::Column::DueDate.lt(today));
    }
    query
}

/// How many invoices one range of a page may read past, looking for those the filters no
/// index picks keep (currency, a date the list is not ordered by, an overdue balance): a page
/// costs at most this per range whatever the sender has; one that stops short of `limit`
/// matches says where to go on.
pub const SCAN: u64 = 250;

/// What a range read gives of each invoice: its order keys and what the other filters test.
#[derive(Debug, Clone, FromQueryResult)]
struct Scanned {
    id: i64,
    number: String,
    currency: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    total_cents: i64,
    balance_due_cents: i64,
}

impl ListFilter {
    /// Whether the filters no index picks keep `row` (`by_due`: the due range bounds the read).
    fn keeps(&self, row: &Scanned, by_due: bool) -> bool {
        let within = |d: NaiveDate, r: DateRange| r.from.is_none_or(|f| d >= f) && r.to.is_none_or(|t| d <= t);
        self.currency.as_deref().is_none_or(|c| row.currency == c)
            && within(row.issue_date, self.issued)
            && (by_due || within(row.due_date, self.due))
            && (!self.overdue || row.balance_due_cents > 0)
    }

    /// Whether any filter must be tested row by row.
    fn tests_rows(&self, by_due: bool) -> bool {
        self.currency.is_some()
            || self.overdue
            || self.issued != DateRange::default()
            || (!by_due && self.due != DateRange::default())
    }
}

/// One page's rows: `limit + 1` when there are more (for `PageRequest::finish`), or, when the
/// scan stopped before finding that many, the rows found and the last invoice read.
pub(super) struct Read {
    pub rows: Vec<invoice::Model>,
    pub resume_after: Option<i64>,
}

/// One keyset page of what `filter` shows.
pub(super) async fn rows(store: &Store, sender_id: i64, filter: &ListFilter, page: PageRequest) -> Result<Read, Error> {
    let db = store.reader();
    let order = Order::of(filter)?;
    let Some(statuses) = statuses_of(filter) else { return Ok(Read { rows: Vec::new(), resume_after: None }) };
    if let Some(q) = filter.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if filter.sort != Sort::Newest {
            return Err(Error::invalid("sort", "a search lists newest first: leave sort out when giving q"));
        }
        let mut query = narrowed(store, sender_id, filter, order);
        if !statuses.is_empty() {
            query = query.filter(invoice::Column::Status.is_in(statuses.iter().map(|s| s.as_str())));
        }
        let rows = search::rows(db, sender_id, filter, query, q, page).await?;
        return Ok(Read { rows, resume_after: None });
    }
    let by_due = matches!(order.column, invoice::Column::DueDate);
    let mut query = invoice::Entity::find().filter(invoice::Column::SenderId.eq(sender_id));
    if by_due {
        query = filter.due.narrow(query, invoice::Column::DueDate, true, store.backend());
    }
    if filter.overdue {
        query = query.filter(invoice::Column::DueDate.lt(store.now().date_naive()));
    }
    if let Some(before) = page.before_id {
        match after_cursor(db, sender_id, order, before).await? {
            Some(after) => query = query.filter(after),
            // Any 11 characters are a cursor (the API's schema says so): one that names no
            // row of the sender's is past the end of the list.
            None => return Ok(Read { rows: Vec::new(), resume_after: None }),
        }
    }
    let scan = match filter.tests_rows(by_due) {
        true => filter.scan_limit.unwrap_or(SCAN).max(page.limit + 1),
        false => page.limit + 1,
    };
    let ranges = ranges_of(filter, &statuses, order);
    let (mut kept, frontier) = scanned(db, query, ranges, order, scan, |r| filter.keeps(r, by_due)).await?;
    kept.truncate(page.limit as usize + 1);
    let resume_after = match (kept.len() as u64 > page.limit, frontier) {
        (false, Some(f)) => Some(f.id),
        _ => None,
    };
    Ok(Read { rows: loaded(db, &kept).await?, resume_after })
}

/// The ranges to read: the customer's (statuses narrowing it), or one per status. Numbers are
/// ordered by the database's collation, which a merge here cannot know: one range.
fn ranges_of(filter: &ListFilter, statuses: &[Status], order: Order) -> Vec<Condition> {
    let any_of = |many: &[Status]| invoice::Column::Status.is_in(many.iter().map(|s| s.as_str()));
    match (filter.customer_id, statuses) {
        (Some(customer), []) => vec![Condition::all().add(invoice::Column::CustomerId.eq(customer))],
        (Some(customer), many) => {
            vec![Condition::all().add(invoice::Column::CustomerId.eq(customer)).add(any_of(many))]
        }
        (None, []) => vec![Condition::all()],
        (None, many) if many.len() > 1 && matches!(order.column, invoice::Column::Number) => {
            vec![Condition::all().add(any_of(many))]
        }
        (None, many) => many.iter().map(|s| Condition::all().add(invoice::Column::Status.eq(s.as_str()))).collect(),
    }
}

/// Up to `scan` rows of each range in `order`, those `keeps` accepts merged in order, and the
/// frontier: the earliest last row of a range that stopped at `scan` (past it, that range has
/// rows not read yet, so nothing past it is shown).
async fn scanned(
    db: &impl ConnectionTrait,
    query: Select<invoice::Entity>,
    ranges: Vec<Condition>,
    order: Order,
    scan: u64,
    keeps: impl Fn(&Scanned) -> bool,
) -> Result<(Vec<Scanned>, Option<Scanned>), Error> {
    let (mut kept, mut frontier) = (Vec::new(), None::<Scanned>);
    let several = ranges.len() > 1;
    for range in ranges {
        let read = order.sorted(query.clone().filter(range)).select_only().columns(SCANNED).limit(scan);
        let rows: Vec<Scanned> = read.into_model().all(db).await?;
        if rows.len() as u64 == scan
            && let Some(last) = rows.last()
            && frontier.as_ref().is_none_or(|f| order.compare(last, f) == Ordering::Less)
        {
            frontier = Some(last.clone());
        }
        kept.extend(rows.into_iter().filter(|r| keeps(r)));
    }
    if several {
        kept.sort_by(|a, b| order.compare(a, b));
        if let Some(f) = &frontier {
            kept.retain(|r| order.compare(r, f) != Ordering::Greater);
        }
    }
    Ok((kept, frontier))
}

/// The whole rows of `kept`, in its order.
async fn loaded(db: &impl ConnectionTrait, kept: &[Scanned]) -> Result<Vec<invoice::Model>, Error> {
    let ids: Vec<i64> = kept.iter().map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = invoice::Entity::find().filter(invoice::Column::Id.is_in(ids.clone())).all(db).await?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

/// The columns a range read takes (see `Scanned`).
const SCANNED: [invoice::Column; 7] = [
    invoice::Column::Id,
    invoice::Column::Number,
    invoice::Column::Currency,
    invoice::Column::IssueDate,
    invoice::Column::DueDate,
    invoice::Column::TotalCents,
    invoice::Column::BalanceDueCents,
];

/// The condition for rows after the cursor's row (None: the row is not the sender's).
async fn after_cursor(
    db: &impl ConnectionTrait,
    sender_id: i64,
    order: Order,
    before: i64,
) -> Result<Option<Condition>, Error> {
    if matches!(order.column, invoice::Column::Id) {
        return Ok(Some(order.after(before.into(), before)));
    }
    let anchor = invoice::Entity::find_by_id(before).filter(invoice::Column::SenderId.eq(sender_id)).one(db).await?;
    Ok(anchor.map(|row| order.after(row.get(order.column), before)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_reads_the_open_statuses_asked() {
        let overdue =
            |statuses: Vec<Status>| statuses_of(&ListFilter { statuses, overdue: true, ..Default::default() });
        assert_eq!(overdue(vec![]).map(|s| s.len()), Some(5));
        assert_eq!(overdue(vec![Status::Sent, Status::Paid, Status::Sent]), Some(vec![Status::Sent]));
        assert_eq!(overdue(vec![Status::Paid]), None, "nothing paid is overdue");
        let plain = statuses_of(&ListFilter { statuses: vec![Status::Viewed, Status::Sent], ..Default::default() });
        assert_eq!(plain, Some(vec![Status::Sent, Status::Viewed]));
    }

    #[test]
    fn a_range_ending_before_it_starts_is_refused() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2027, 1, d);
        assert!(DateRange { from: day(2), to: day(1) }.checked("issued_from").is_err());
        assert!(DateRange { from: day(1), to: day(1) }.checked("issued_from").is_ok());
        assert!(DateRange { from: None, to: day(1) }.checked("issued_from").is_ok());
    }
}

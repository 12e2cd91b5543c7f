//! Search in a sender's invoices by number or customer without reading all their invoices.
//!
//! A search names customers first: a company name containing the text, a customer code
//! starting with it, or, for a number ("ACME-00…"), the customer whose code is the part
//! before the dash. A sender has far fewer customers than invoices, and every invoice
//! number starts with its customer's code, so this finds every invoice a number or company
//! search can mean. The invoices then come newest first from the (sender, customer, id)
//! index, one short range per customer, merged here; a broad search (many customers) reads
//! the sender's (sender, id) range instead, where its matches are dense.
//!
//! A number's digits name ranges of the customer's sequence (`domain::code::seqs_starting_with`),
//! read highest first from the (customer, seq) index: every row read is a match, however old
//! the prefix and however many invoices the customer has. Within a customer the sequence
//! grows with the id (the counter row is locked from the bump to the commit), so "newest
//! first" and a cursor by id become "highest sequence first" below the cursor's sequence.

use super::ListFilter;
use crate::Error;
use crate::cursor::PageRequest;
use crate::entities::{customer, invoice};
use sea_orm::sea_query::{Expr, LikeExpr, Order, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};

/// Up to this many matching customers are read one index range each.
const SEEKS: usize = 16;

/// What a search text can mean.
struct Terms {
    /// Lower case, for company names.
    company: String,
    /// Upper case: a customer code or its beginning.
    code: String,
    /// "ACME-00": the code before the dash and the digits after it.
    number: Option<(String, String)>,
}

fn terms(q: &str) -> Terms {
    let upper = q.to_ascii_uppercase();
    let number = upper
        .split_once('-')
        .filter(|(code, digits)| is_alnum(code) && digits.bytes().all(|b| b.is_ascii_digit()))
        .map(|(code, digits)| (code.to_string(), digits.to_string()));
    Terms { company: q.to_lowercase(), code: upper, number }
}

fn is_alnum(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A LIKE pattern matching `text` literally, with `%` where `before`/`after` say.
fn like(text: &str, before: bool, after: bool) -> LikeExpr {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("{}{escaped}{}", if before { "%" } else { "" }, if after { "%" } else { "" });
    LikeExpr::new(pattern).escape('\\')
}

/// The sender's customers whose company or code the text names.
async fn customers(db: &impl ConnectionTrait, sender_id: i64, terms: &Terms) -> Result<Vec<i64>, Error> {
    let names = Condition::any()
        .add(Expr::col(customer::Column::CompanyKey).like(like(&terms.company, true, true)))
        .add(Expr::col(customer::Column::Code).like(like(&terms.code, false, true)));
    Ok(customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .filter(customer::Column::SenderId.eq(sender_id))
        .filter(names)
        .into_tuple()
        .all(db)
        .await?)
}

/// One keyset page of the sender's invoices (as `base` filters them) that `q` finds.
pub(super) async fn rows(
    db: &impl ConnectionTrait,
    sender_id: i64,
    filter: &ListFilter,
    base: Select<invoice::Entity>,
    q: &str,
    page: PageRequest,
) -> Result<Vec<invoice::Model>, Error> {
    let terms = terms(q);
    if let Some((code, digits)) = &terms.number {
        return numbered(db, sender_id, filter, base, code, digits, page).await;
    }
    let mut ids = customers(db, sender_id, &terms).await?;
    if let Some(only) = filter.customer_id {
        ids.retain(|id| *id == only);
    }
    if ids.len() > SEEKS {
        let query = base.filter(invoice::Column::CustomerId.is_in(ids));
        return Ok(page.select(query, invoice::Column::Id).all(db).await?);
    }
    let mut rows = Vec::new();
    for id in ids {
        let query = base.clone().filter(invoice::Column::CustomerId.eq(id));
        rows.extend(page.select(query, invoice::Column::Id).all(db).await?);
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    rows.truncate(page.limit as usize + 1);
    Ok(rows)
}

/// The page of invoices numbered `code`-`digits`…: the customer's sequence ranges, highest first.
async fn numbered(
    db: &impl ConnectionTrait,
    sender_id: i64,
    filter: &ListFilter,
    base: Select<invoice::Entity>,
    code: &str,
    digits: &str,
    page: PageRequest,
) -> Result<Vec<invoice::Model>, Error> {
    let Some((customer_id, Some(top))) = customer_and_top(db, sender_id, code, page.before_id).await? else {
        return Ok(Vec::new());
    };
    if filter.customer_id.is_some_and(|only| only != customer_id) {
        return Ok(Vec::new());
    }
    let wanted = page.limit + 1;
    let mut rows = Vec::new();
    for (low, high) in domain::code::seqs_starting_with(digits, top) {
        let range = base
            .clone()
            .filter(invoice::Column::CustomerId.eq(customer_id))
            .filter(invoice::Column::Seq.between(low, high))
            .order_by_desc(invoice::Column::Seq)
            .limit(wanted - rows.len() as u64);
        rows.extend(range.all(db).await?);
        if rows.len() as u64 == wanted {
            break;
        }
    }
    Ok(rows)
}

/// The customer with this code, and the highest sequence a page may show: its newest
/// invoice's, or the newest's before the cursor (None: nothing left to show).
async fn customer_and_top(
    db: &impl ConnectionTrait,
    sender_id: i64,
    code: &str,
    before_id: Option<i64>,
) -> Result<Option<(i64, Option<i64>)>, Error> {
    let mut newest = Query::select()
        .column(invoice::Column::Seq)
        .from(invoice::Entity)
        .and_where(invoice::Column::SenderId.eq(sender_id))
        .and_where(
            Expr::col((invoice::Entity, invoice::Column::CustomerId)).equals((customer::Entity, customer::Column::Id)),
        )
        .order_by(invoice::Column::Id, Order::Desc)
        .limit(1)
        .to_owned();
    if let Some(before) = before_id {
        newest.and_where(invoice::Column::Id.lt(before));
    }
    Ok(customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .expr(SimpleExpr::SubQuery(None, Box::new(newest.into_sub_query_statement())))
        .filter(customer::Column::SenderId.eq(sender_id))
        .filter(customer::Column::Code.eq(code))
        .into_tuple()
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_names_its_customer_code() {
        let t = terms("acme-00");
        assert_eq!(t.number, Some(("ACME".into(), "00".into())));
        assert_eq!(terms("Acme Corp").number, None);
        assert_eq!(terms("acme-x1").number, None, "not a number: a company name with a dash");
        assert_eq!(terms("ACME").code, "ACME");
    }

    #[test]
    fn like_patterns_match_wildcards_literally() {
        let sql = |e: LikeExpr| {
            use sea_orm::sea_query::{Query, SqliteQueryBuilder};
            Query::select().expr(Expr::val("x").like(e)).to_string(SqliteQueryBuilder)
        };
        assert!(
            sql(like("50%_off", true, true)).contains(r"'%50\%\_off%' ESCAPE '\'"),
            "{}",
            sql(like("50%_off", true, true))
        );
    }
}

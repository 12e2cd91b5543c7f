//! Search in a sender's invoices by number or customer without reading all their invoices.
//!
//! A search names customers first: a company name containing the text, a customer code
//! starting with it, or, for a number ("ACME-00…"), the customer whose code is the part
//! before the dash. A sender has far fewer customers than invoices, and every invoice
//! number starts with its customer's code, so this finds every invoice a number or company
//! search can mean. The invoices then come newest first from the (sender, customer, id)
//! index, one short range per customer, merged here; a broad search (many customers) reads
//! the sender's (sender, id) range instead, where its matches are dense.

use super::ListFilter;
use crate::Error;
use crate::cursor::PageRequest;
use crate::entities::{customer, invoice};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select};

/// Up to this many matching customers are read one index range each.
const SEEKS: usize = 16;

/// What a search text can mean.
struct Terms {
    /// Lower case, for company names.
    company: String,
    /// Upper case: a customer code or its beginning.
    code: String,
    /// "ACME-00": the code before the dash and the number's beginning.
    number: Option<(String, String)>,
}

fn terms(q: &str) -> Terms {
    let upper = q.to_ascii_uppercase();
    let number = upper
        .split_once('-')
        .filter(|(code, rest)| is_alnum(code) && rest.bytes().all(|b| b.is_ascii_digit()))
        .map(|(code, _)| (code.to_string(), upper.clone()));
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

/// The sender's customers the text names, and the number prefix to hold their invoices to.
async fn customers(
    db: &impl ConnectionTrait,
    sender_id: i64,
    terms: &Terms,
) -> Result<(Vec<i64>, Option<String>), Error> {
    let owned = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .filter(customer::Column::SenderId.eq(sender_id));
    if let Some((code, prefix)) = &terms.number {
        let ids = owned.filter(customer::Column::Code.eq(code.as_str())).into_tuple().all(db).await?;
        return Ok((ids, Some(prefix.clone())));
    }
    let names = Condition::any()
        .add(Expr::col(customer::Column::CompanyKey).like(like(&terms.company, true, true)))
        .add(Expr::col(customer::Column::Code).like(like(&terms.code, false, true)));
    Ok((owned.filter(names).into_tuple().all(db).await?, None))
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
    let (mut ids, number) = customers(db, sender_id, &terms(q)).await?;
    if let Some(only) = filter.customer_id {
        ids.retain(|id| *id == only);
    }
    let base = match number {
        Some(prefix) => base.filter(Expr::col(invoice::Column::Number).like(like(&prefix, false, true))),
        None => base,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_names_its_customer_code() {
        let t = terms("acme-00");
        assert_eq!(t.number, Some(("ACME".into(), "ACME-00".into())));
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

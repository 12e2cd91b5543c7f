//! Reading one invoice with its lines in one query, by number or by share link.

use crate::Error;
use crate::entities::{invoice, line_item};
use crate::prepared::Prepared;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, QueryFilter, QueryTrait, SelectA, SelectB,
    Value,
};

/// Which invoice a read is for.
pub(crate) enum Lookup {
    /// The sender's invoice with this number (already upper-cased).
    Number { sender_id: i64, number: String },
    /// The invoice whose share token hashes to this.
    ShareToken { hash: String },
}

static BY_NUMBER: Prepared = Prepared::new();
static BY_SHARE_TOKEN: Prepared = Prepared::new();

impl Lookup {
    fn select(&self) -> sea_orm::Select<invoice::Entity> {
        match self {
            Lookup::Number { sender_id, number } => invoice::Entity::find()
                .filter(invoice::Column::SenderId.eq(*sender_id))
                .filter(invoice::Column::Number.eq(number.as_str())),
            Lookup::ShareToken { hash } => {
                invoice::Entity::find().filter(invoice::Column::ShareTokenHash.eq(hash.as_str()))
            }
        }
    }

    fn shape(&self) -> (&'static Prepared, Vec<Value>) {
        match self {
            Lookup::Number { sender_id, number } => (&BY_NUMBER, vec![(*sender_id).into(), number.as_str().into()]),
            Lookup::ShareToken { hash } => (&BY_SHARE_TOKEN, vec![hash.as_str().into()]),
        }
    }
}

/// The invoice `lookup` names and its lines, in one query (a read is one round trip).
pub(crate) async fn with_lines(
    db: &impl ConnectionTrait,
    lookup: Lookup,
) -> Result<Option<(invoice::Model, Vec<line_item::Model>)>, Error> {
    let backend = db.get_database_backend();
    let (shape, values) = lookup.shape();
    let statement =
        shape.statement(backend, values, || lookup.select().find_with_related(line_item::Entity).build(backend));
    let mut found: Option<(invoice::Model, Vec<line_item::Model>)> = None;
    // One row per line (or one without a line): the invoice's columns are read once.
    for row in db.query_all(statement).await? {
        let (_, lines) = match &mut found {
            Some(found) => found,
            None => found.insert((invoice::Model::from_query_result(&row, SelectA.as_str())?, Vec::new())),
        };
        lines.extend(line_item::Model::from_query_result_optional(&row, SelectB.as_str())?);
    }
    // Lines are put in order here: an ORDER BY on the joined rows would make PostgreSQL sort.
    if let Some((_, lines)) = &mut found {
        lines.sort_by_key(|l| l.position);
    }
    Ok(found)
}

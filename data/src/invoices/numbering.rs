//! Gapless per-customer sequences: the counter row is bumped inside the transaction that
//! creates the invoice, so a rolled-back create gives its number back and two concurrent
//! creates queue on the row lock (the unique index on numbers is the last guard).

use crate::Error;
use crate::entities::invoice_counter;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub(crate) async fn next_seq(db: &impl ConnectionTrait, customer_id: i64) -> Result<i64, Error> {
    // One round trip: the bumped value comes back with the update (RETURNING, both databases).
    let bumped = invoice_counter::Entity::update_many()
        .col_expr(invoice_counter::Column::LastSeq, Expr::col(invoice_counter::Column::LastSeq).add(1))
        .filter(invoice_counter::Column::CustomerId.eq(customer_id))
        .exec_with_returning(db)
        .await?;
    if let Some(counter) = bumped.first() {
        return Ok(counter.last_seq);
    }
    invoice_counter::ActiveModel { customer_id: Set(customer_id), last_seq: Set(1) }.insert(db).await?;
    Ok(1)
}

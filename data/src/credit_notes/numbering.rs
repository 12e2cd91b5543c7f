//! The sender's credit note series, CN-0001, CN-0002 …: gapless, as invoices are
//! (`invoices::numbering`): the counter row is bumped in the issuing transaction, so a note
//! that does not commit gives its number back, and concurrent notes queue on the row.

use crate::Error;
use crate::entities::credit_note_counter::{self, Column};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

pub(super) fn number(seq: i64) -> String {
    format!("CN-{seq:04}")
}

/// One statement on both databases: the first note creates the counter, later ones bump it
/// (an upsert, so two first notes at once cannot both insert).
pub(super) async fn next_seq(db: &impl ConnectionTrait, sender_id: i64) -> Result<i64, Error> {
    let first = credit_note_counter::ActiveModel { sender_id: Set(sender_id), last_seq: Set(1) };
    let bump = OnConflict::column(Column::SenderId)
        .value(Column::LastSeq, Expr::col((credit_note_counter::Entity, Column::LastSeq)).add(1))
        .to_owned();
    let counter = credit_note_counter::Entity::insert(first).on_conflict(bump).exec_with_returning(db).await?;
    Ok(counter.last_seq)
}

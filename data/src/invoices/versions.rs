//! Snapshots of an invoice as its recipient was shown it, one per version sent or updated.

use crate::Error;
use crate::entities::invoice_version;

use domain::dto::Invoice;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub(crate) async fn keep(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    invoice_id: i64,
    version: i32,
    invoice: &Invoice,
) -> Result<(), Error> {
    let exists = invoice_version::Entity::find()
        .filter(invoice_version::Column::InvoiceId.eq(invoice_id))
        .filter(invoice_version::Column::Version.eq(version))
        .one(db)
        .await?
        .is_some();
    if !exists {
        // What the recipient saw, without the link itself: a snapshot holds no secret.
        let content = Invoice { share_token: String::new(), share_url: String::new(), ..invoice.clone() };
        invoice_version::ActiveModel {
            invoice_id: Set(invoice_id),
            version: Set(version),
            snapshot: Set(serde_json::to_string(&content).map_err(|e| crate::error::corrupt("invoice snapshot", e))?),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub(crate) async fn load(db: &impl ConnectionTrait, invoice_id: i64, version: i32) -> Result<Option<Invoice>, Error> {
    let Some(row) = invoice_version::Entity::find()
        .filter(invoice_version::Column::InvoiceId.eq(invoice_id))
        .filter(invoice_version::Column::Version.eq(version))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    serde_json::from_str(&row.snapshot).map(Some).map_err(|e| crate::error::corrupt("invoice snapshot", e))
}

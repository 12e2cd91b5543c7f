//! Senders: the people and firms who issue invoices.

use crate::Error;
use crate::entities::sender;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub type Sender = sender::Model;

pub fn normalize_email(email: &str) -> Result<String, Error> {
    let e = email.trim().to_ascii_lowercase();
    if !domain::validate::is_email(&e) {
        return Err(Error::invalid("email", "not a valid e-mail address"));
    }
    Ok(e)
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<Sender>, Error> {
    let email = normalize_email(email)?;
    Ok(sender::Entity::find().filter(sender::Column::Email.eq(email)).one(db).await?)
}

/// The sender with this e-mail, created when missing; a given company fills the profile.
pub async fn ensure(db: &impl ConnectionTrait, email: &str, company: Option<&str>) -> Result<Sender, Error> {
    let company = company.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    let now = Utc::now();
    if let Some(existing) = find_by_email(db, email).await? {
        let Some(company) = company else { return Ok(existing) };
        let mut active: sender::ActiveModel = existing.into();
        active.company = Set(Some(company));
        active.updated_at = Set(now);
        return Ok(active.update(db).await?);
    }
    let row = sender::ActiveModel {
        email: Set(normalize_email(email)?),
        company: Set(company),
        default_currency: Set("USD".into()),
        payment_terms_days: Set(30),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Sender, Error> {
    sender::Entity::find_by_id(id).one(db).await?.ok_or(Error::not_found("sender"))
}

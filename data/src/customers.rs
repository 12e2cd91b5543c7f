//! Customers: who a sender invoices. Each has a stable code (ACME) that prefixes its
//! invoice numbers, and its own numbering counter.

use crate::cursor::PageRequest;
use crate::entities::{customer, invoice_counter, sender};
use crate::error::corrupt;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use domain::dto::{Address, Contact, Customer, CustomerInput, Page, Recipient};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, TransactionTrait,
};

pub(crate) fn to_dto(m: customer::Model) -> Result<Customer, Error> {
    let contact = |name: Option<String>, email: Option<String>| {
        (name.is_some() || email.is_some()).then_some(Contact { name, email })
    };
    Ok(Customer {
        id: m.id,
        code: m.code,
        company: m.company,
        contact: contact(m.contact_name, m.contact_email),
        ap_contact: contact(m.ap_name, m.ap_email),
        cc_emails: serde_json::from_str(&m.cc_emails).map_err(|e| corrupt("cc_emails", e))?,
        billing_entity: m.billing_entity,
        address: m
            .address
            .map(|a| serde_json::from_str::<Address>(&a))
            .transpose()
            .map_err(|e| corrupt("address", e))?,
        tax_id: m.tax_id,
        vat_id: m.vat_id,
        language: m.language.as_deref().and_then(domain::Language::parse),
        po_required: m.po_required,
        notes: m.notes,
        e_invoice_format: domain::einvoice::EInvoiceFormat::parse(&m.e_invoice_format).unwrap_or_default(),
        buyer_reference: m.buyer_reference,
        peppol_id: m.peppol_id,
        created_at: m.created_at,
    })
}

fn company_key(company: &str) -> String {
    company.trim().to_lowercase()
}

/// Serialises customer creation per sender on PostgreSQL (SQLite has one writer anyway), so
/// concurrent find-or-creates cannot make two customers or two equal codes.
pub(crate) async fn lock_sender(db: &impl ConnectionTrait, sender_id: i64) -> Result<(), Error> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        crate::locking::for_update(sender::Entity::find_by_id(sender_id), db).one(db).await?;
    }
    Ok(())
}

pub(crate) async fn free_code(db: &impl ConnectionTrait, sender_id: i64, base: &str) -> Result<String, Error> {
    let taken: Vec<String> = customer::Entity::find()
        .select_only()
        .column(customer::Column::Code)
        .filter(customer::Column::SenderId.eq(sender_id))
        .filter(customer::Column::Code.starts_with(base))
        .into_tuple()
        .all(db)
        .await?;
    let mut n = 1;
    loop {
        let candidate = domain::code::candidate(base, n);
        if !taken.contains(&candidate) {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// Inserts a validated customer and its numbering counter. Call inside a transaction that
/// holds `lock_sender`.
/// Writes a validated customer's fields (all but the code and ids) onto a row.
fn set_fields(row: &mut customer::ActiveModel, c: CustomerInput, now: DateTime<Utc>) -> Result<(), Error> {
    let company = c.company.unwrap_or_default();
    let contact = c.contact.unwrap_or_default();
    let ap = c.ap_contact.unwrap_or_default();
    row.company_key = Set(company_key(&company));
    row.company = Set(company);
    row.contact_name = Set(contact.name);
    row.contact_email = Set(contact.email);
    row.ap_name = Set(ap.name);
    row.ap_email = Set(ap.email);
    row.cc_emails = Set(serde_json::to_string(&c.cc_emails).map_err(|e| corrupt("cc_emails", e))?);
    row.billing_entity = Set(c.billing_entity);
    row.address = Set(c.address.map(|a| serde_json::to_string(&a)).transpose().map_err(|e| corrupt("address", e))?);
    row.tax_id = Set(c.tax_id);
    row.vat_id = Set(c.vat_id);
    row.language = Set(c.language.map(|l| l.code().to_string()));
    row.po_required = Set(c.po_required);
    row.notes = Set(c.notes);
    row.e_invoice_format = Set(c.e_invoice_format.unwrap_or_default().as_str().to_string());
    row.buyer_reference = Set(c.buyer_reference);
    row.peppol_id = Set(c.peppol_id);
    row.updated_at = Set(now);
    Ok(())
}

/// Inserts a validated customer and its numbering counter. Call inside a transaction that
/// holds `lock_sender`.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    sender_id: i64,
    c: CustomerInput,
) -> Result<customer::Model, Error> {
    let company = c.company.clone().unwrap_or_default();
    let email = c
        .contact
        .as_ref()
        .and_then(|x| x.email.clone())
        .or_else(|| c.ap_contact.as_ref().and_then(|x| x.email.clone()));
    // A customer known only by e-mail has that address as its company name; its code then
    // comes from the domain (billing@globex.io → GLOBEX), not from the address.
    let company_for_code = Some(company.as_str()).filter(|c| !domain::validate::is_email(c));
    let email_for_code = email.as_deref().or(Some(company.as_str()));
    let base = domain::code::base_code(company_for_code, email_for_code);
    let mut row = customer::ActiveModel {
        sender_id: Set(sender_id),
        code: Set(free_code(db, sender_id, &base).await?),
        created_at: Set(now),
        ..Default::default()
    };
    set_fields(&mut row, c, now)?;
    let customer = row.insert(db).await?;
    invoice_counter::ActiveModel { customer_id: Set(customer.id), last_seq: Set(0) }.insert(db).await?;
    Ok(customer)
}

pub async fn create(store: &Store, sender_id: i64, input: CustomerInput) -> Result<Customer, Error> {
    let txn = store.db.begin().await?;
    let model = create_in(store, &txn, sender_id, input).await?;
    txn.commit().await?;
    to_dto(model)
}

/// What `create` would make (its code included), nothing stored (rolled back).
pub async fn preview_create(store: &Store, sender_id: i64, input: CustomerInput) -> Result<Customer, Error> {
    let txn = store.db.begin().await?;
    let would = create_in(store, &txn, sender_id, input).await;
    txn.rollback().await?;
    to_dto(would?)
}

async fn create_in(
    store: &Store,
    txn: &sea_orm::DatabaseTransaction,
    sender_id: i64,
    input: CustomerInput,
) -> Result<customer::Model, Error> {
    let input = domain::validate::customer(input)?;
    lock_sender(txn, sender_id).await?;
    insert(txn, store.now(), sender_id, input).await
}

/// Changes a customer's details; its code (and so its invoice numbers) never changes.
pub async fn update(store: &Store, sender_id: i64, id: i64, input: CustomerInput) -> Result<Customer, Error> {
    let input = domain::validate::customer(input)?;
    let mut row: customer::ActiveModel = find_owned(&store.db, sender_id, id).await?.into();
    set_fields(&mut row, input, store.now())?;
    to_dto(row.update(&store.db).await?)
}

/// The customer an invoice recipient stands for: matched by company (case-insensitive),
/// else by contact e-mail; created from the recipient when there is none.
pub(crate) async fn find_or_create_for(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    sender_id: i64,
    r: &Recipient,
) -> Result<customer::Model, Error> {
    lock_sender(db, sender_id).await?;
    let mut query = customer::Entity::find().filter(customer::Column::SenderId.eq(sender_id));
    query = match (&r.company, &r.email) {
        (Some(company), _) => query.filter(customer::Column::CompanyKey.eq(company_key(company))),
        (None, Some(email)) => query.filter(customer::Column::ContactEmail.eq(email.clone())),
        (None, None) => return Err(Error::invalid("recipient", "a recipient needs a company or an e-mail address")),
    };
    if let Some(found) = query.order_by_asc(customer::Column::Id).one(db).await? {
        return Ok(found);
    }
    let mut input = CustomerInput::default();
    input.company = r.company.clone().or_else(|| r.email.clone());
    input.contact = Some(Contact { name: r.name.clone(), email: r.email.clone() });
    input.ap_contact = r.ap.clone();
    input.cc_emails = r.cc_emails.clone();
    input.address = r.address.clone();
    input.tax_id = r.tax_id.clone();
    input.vat_id = r.vat_id.clone();
    insert(db, now, sender_id, domain::validate::customer(input)?).await
}

/// One of the sender's customers; another sender's is "not found".
pub(crate) async fn find_owned(db: &impl ConnectionTrait, sender_id: i64, id: i64) -> Result<customer::Model, Error> {
    customer::Entity::find_by_id(id)
        .filter(customer::Column::SenderId.eq(sender_id))
        .one(db)
        .await?
        .ok_or(Error::not_found("customer"))
}

pub async fn get(store: &Store, sender_id: i64, id: i64) -> Result<Customer, Error> {
    to_dto(find_owned(store.reader(), sender_id, id).await?)
}

/// The customers of `invoices` set on each (`expand=customer`): one query for all of them.
pub async fn expand_on(store: &Store, sender_id: i64, invoices: &mut [domain::dto::Invoice]) -> Result<(), Error> {
    let mut ids: Vec<i64> = invoices.iter().filter_map(|i| i.customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let rows = customer::Entity::find()
        .filter(customer::Column::SenderId.eq(sender_id))
        .filter(customer::Column::Id.is_in(ids))
        .all(store.reader())
        .await?;
    let found: std::collections::HashMap<i64, Customer> =
        rows.into_iter().map(|m| Ok((m.id, to_dto(m)?))).collect::<Result<_, Error>>()?;
    for invoice in invoices {
        invoice.customer = invoice.customer_id.and_then(|id| found.get(&id)).cloned().map(Box::new);
    }
    Ok(())
}

/// The sender's customers, newest first.
pub async fn list(store: &Store, sender_id: i64, page: PageRequest) -> Result<Page<Customer>, Error> {
    let query = customer::Entity::find().filter(customer::Column::SenderId.eq(sender_id));
    let rows = page.select(query, customer::Column::Id).all(store.reader()).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    Ok(Page { data: rows.into_iter().map(to_dto).collect::<Result<_, _>>()?, next_cursor })
}

/// Changes the fields `patch` names (a JSON object of CustomerCreate fields): the customer as
/// it is, with those replaced, checked as a whole.
pub async fn patch(store: &Store, sender_id: i64, id: i64, patch: serde_json::Value) -> Result<Customer, Error> {
    let current = to_dto(find_owned(&store.db, sender_id, id).await?)?;
    let mut merged = serde_json::to_value(&current).map_err(|e| crate::error::corrupt("customer", e))?;
    for (field, value) in patch.as_object().into_iter().flatten() {
        merged[field] = value.clone();
    }
    let input: CustomerInput =
        serde_json::from_value(merged).map_err(|e| Error::invalid("customer", format!("not a customer: {e}")))?;
    update(store, sender_id, id, input).await
}

/// Deletes a customer who has no invoices and no recurring invoice (409 otherwise: their
/// invoices keep their numbers and records; archive them in your books instead).
pub async fn delete(store: &Store, sender_id: i64, id: i64) -> Result<(), Error> {
    use crate::entities::{invoice, recurring_invoice, voided_number};
    use sea_orm::PaginatorTrait;
    let txn = store.db.begin().await?;
    find_owned(&txn, sender_id, id).await?;
    let invoices = invoice::Entity::find().filter(invoice::Column::CustomerId.eq(id)).count(&txn).await?;
    let recurring =
        recurring_invoice::Entity::find().filter(recurring_invoice::Column::CustomerId.eq(id)).count(&txn).await?;
    // A deleted draft's number stays void: its customer (and code) stays to keep it so.
    let voided = voided_number::Entity::find().filter(voided_number::Column::CustomerId.eq(id)).count(&txn).await?;
    if invoices + recurring + voided > 0 {
        return Err(Error::conflict(
            "customer_id",
            format!(
                "this customer has {invoices} invoices and {recurring} recurring invoices: a customer with invoices stays on record"
            ),
        ));
    }
    customer::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

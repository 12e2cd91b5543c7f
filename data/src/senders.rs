//! Senders: the people and firms who issue invoices.

use crate::entities::sender;
use crate::prepared::Prepared;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use domain::dto::SenderCard;
use domain::profile::ProfileForm;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryTrait, Set};

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
    let accounts = sender::Entity::find().filter(sender::Column::Anonymous.eq(false));
    Ok(accounts.filter(sender::Column::Email.eq(email)).one(db).await?)
}

/// The sender with this e-mail, created when missing; a given company fills the profile.
pub async fn ensure(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    email: &str,
    company: Option<&str>,
) -> Result<Sender, Error> {
    let company = company.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
    if let Some(existing) = find_by_email(db, email).await? {
        let Some(company) = company else { return Ok(existing) };
        let mut active: sender::ActiveModel = existing.into();
        active.company = Set(Some(company));
        active.updated_at = Set(now);
        return Ok(active.update(db).await?);
    }
    let row = sender::ActiveModel {
        email: Set(Some(normalize_email(email)?)),
        company: Set(company),
        default_currency: Set("USD".into()),
        payment_terms_days: Set(30),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(db).await?)
}

/// The sender as invoices print them.
pub fn card(s: &Sender) -> SenderCard {
    let mut lines: Vec<String> = [&s.address_line1, &s.address_line2].into_iter().flatten().cloned().collect();
    let city = [&s.postal_code, &s.city, &s.state].into_iter().flatten().cloned().collect::<Vec<_>>().join(" ");
    if !city.is_empty() {
        lines.push(city);
    }
    lines.extend(s.country.clone());
    let payment = [
        ("pay-bank", &s.bank_name),
        ("pay-account-name", &s.account_name),
        ("pay-account-number", &s.account_number),
        ("pay-routing-number", &s.routing_number),
        ("pay-iban", &s.iban),
        ("pay-swift", &s.swift_code),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v)))
    .collect();
    SenderCard {
        company: s.company.clone().unwrap_or_default(),
        lines,
        tax_id: s.tax_id.clone(),
        vat_id: s.vat_id.clone(),
        email: s.email.clone(),
        payment,
        country: s.country.clone(),
        transfer: s.iban.clone().map(|iban| domain::epc::BankTransfer {
            name: s.account_name.clone().or(s.company.clone()).unwrap_or_default(),
            iban,
            bic: s.swift_code.clone(),
        }),
    }
}

/// The exemption every line of a VAT-exempt small business carries (its legal text and VATEX
/// code, by the sender's country), or None when the sender charges VAT.
pub fn small_business_exemption(s: &Sender) -> Option<(&'static str, Option<&'static str>)> {
    s.small_business.then(|| domain::vat::small_business_exemption(vat_country(s).as_deref()))
}

/// The sender's country for VAT (ISO code): their VAT id's prefix (EL is Greece), else the
/// profile's country.
pub fn vat_country(s: &Sender) -> Option<String> {
    let from_id = s.vat_id.as_deref().and_then(|v| v.get(..2)).map(|p| if p == "EL" { "GR" } else { p });
    from_id.map(str::to_string).or_else(|| s.country.as_deref().and_then(domain::vat::country_code))
}

/// The stored profile as the e-invoice reads it (stored values were validated when saved).
pub fn profile(s: &Sender) -> domain::profile::Profile {
    domain::profile::Profile {
        company: s.company.clone(),
        address_line1: s.address_line1.clone(),
        address_line2: s.address_line2.clone(),
        city: s.city.clone(),
        postal_code: s.postal_code.clone(),
        state: s.state.clone(),
        country: s.country.clone(),
        tax_id: s.tax_id.clone(),
        vat_id: s.vat_id.clone(),
        phone: s.phone.clone(),
        peppol_id: s.peppol_id.clone(),
        small_business: s.small_business,
        bank_name: s.bank_name.clone(),
        account_name: s.account_name.clone(),
        account_number: s.account_number.clone(),
        routing_number: s.routing_number.clone(),
        iban: s.iban.clone(),
        swift_code: s.swift_code.clone(),
        default_currency: s.default_currency.clone(),
        payment_terms_days: s.payment_terms_days,
        terms_text: s.terms_text.clone(),
        footer_note: s.footer_note.clone(),
    }
}

/// The profile form filled from the stored profile.
pub fn profile_form(s: &Sender) -> ProfileForm {
    let t = |v: &Option<String>| v.clone().unwrap_or_default();
    ProfileForm {
        company: t(&s.company),
        address_line1: t(&s.address_line1),
        address_line2: t(&s.address_line2),
        city: t(&s.city),
        postal_code: t(&s.postal_code),
        state: t(&s.state),
        country: t(&s.country),
        tax_id: t(&s.tax_id),
        vat_id: t(&s.vat_id),
        phone: t(&s.phone),
        peppol_id: t(&s.peppol_id),
        small_business: s.small_business,
        bank_name: t(&s.bank_name),
        account_name: t(&s.account_name),
        account_number: t(&s.account_number),
        routing_number: t(&s.routing_number),
        iban: t(&s.iban),
        swift_code: t(&s.swift_code),
        default_currency: s.default_currency.clone(),
        payment_terms_days: s.payment_terms_days.to_string(),
        terms_text: t(&s.terms_text),
        footer_note: t(&s.footer_note),
    }
}

pub async fn update_profile(store: &Store, sender_id: i64, form: &ProfileForm) -> Result<Sender, Error> {
    let p = domain::profile::validate(form)?;
    let db = &store.db;
    let mut a: sender::ActiveModel = get(db, sender_id).await?.into();
    set_profile(&mut a, p, store.now());
    let saved = a.update(db).await?;
    // API requests see the new profile at once, not after the key cache's bound.
    store.key_cache().forget_sender(sender_id);
    Ok(saved)
}

/// The profile's columns, the ones a claim may fill when the account left them empty.
pub(crate) const PROFILE_TEXT: [sender::Column; 19] = [
    sender::Column::Company,
    sender::Column::AddressLine1,
    sender::Column::AddressLine2,
    sender::Column::City,
    sender::Column::PostalCode,
    sender::Column::State,
    sender::Column::Country,
    sender::Column::TaxId,
    sender::Column::VatId,
    sender::Column::Phone,
    sender::Column::PeppolId,
    sender::Column::BankName,
    sender::Column::AccountName,
    sender::Column::AccountNumber,
    sender::Column::RoutingNumber,
    sender::Column::Iban,
    sender::Column::SwiftCode,
    sender::Column::TermsText,
    sender::Column::FooterNote,
];

pub(crate) fn set_profile(a: &mut sender::ActiveModel, p: domain::profile::Profile, now: DateTime<Utc>) {
    a.company = Set(p.company);
    a.address_line1 = Set(p.address_line1);
    a.address_line2 = Set(p.address_line2);
    a.city = Set(p.city);
    a.postal_code = Set(p.postal_code);
    a.state = Set(p.state);
    a.country = Set(p.country);
    a.tax_id = Set(p.tax_id);
    a.vat_id = Set(p.vat_id);
    a.phone = Set(p.phone);
    a.peppol_id = Set(p.peppol_id);
    a.small_business = Set(p.small_business);
    a.bank_name = Set(p.bank_name);
    a.account_name = Set(p.account_name);
    a.account_number = Set(p.account_number);
    a.routing_number = Set(p.routing_number);
    a.iban = Set(p.iban);
    a.swift_code = Set(p.swift_code);
    a.default_currency = Set(p.default_currency);
    a.payment_terms_days = Set(p.payment_terms_days);
    a.terms_text = Set(p.terms_text);
    a.footer_note = Set(p.footer_note);
    a.updated_at = Set(now);
}

static BY_ID: Prepared = Prepared::new();

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Sender, Error> {
    let backend = db.get_database_backend();
    let statement = BY_ID.statement(backend, vec![id.into()], || sender::Entity::find_by_id(id).build(backend));
    sender::Entity::find().from_raw_sql(statement).one(db).await?.ok_or(Error::not_found("sender"))
}

//! The sender's profile: who issues the invoices and where they are paid.

use crate::Error;
use crate::validate::{currency_code, text};
use serde::{Deserialize, Serialize};

/// The profile as the form edits it: every value is text, as a browser sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub country: String,
    /// The tax number (e.g. a German Steuernummer).
    #[serde(default)]
    pub tax_id: String,
    #[serde(default)]
    pub vat_id: String,
    /// The telephone number of the contact point (XRechnung requires one, BR-DE-6).
    #[serde(default)]
    pub phone: String,
    /// The Peppol participant id invoices come from, `scheme:identifier` (BT-34).
    #[serde(default)]
    pub peppol_id: String,
    /// A checkbox: present ("on") when the business is a VAT-exempt small business.
    #[serde(default, with = "checkbox")]
    pub small_business: bool,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub account_number: String,
    #[serde(default)]
    pub routing_number: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub swift_code: String,
    #[serde(default)]
    pub default_currency: String,
    #[serde(default)]
    pub payment_terms_days: String,
    #[serde(default)]
    pub terms_text: String,
    #[serde(default)]
    pub footer_note: String,
}

/// A validated profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub company: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub tax_id: Option<String>,
    pub vat_id: Option<String>,
    pub phone: Option<String>,
    pub peppol_id: Option<String>,
    pub small_business: bool,
    pub bank_name: Option<String>,
    pub account_name: Option<String>,
    pub account_number: Option<String>,
    pub routing_number: Option<String>,
    pub iban: Option<String>,
    pub swift_code: Option<String>,
    pub default_currency: String,
    pub payment_terms_days: i32,
    pub terms_text: Option<String>,
    pub footer_note: Option<String>,
}

/// A form checkbox as a bool: a browser sends "on" when ticked and nothing otherwise; JSON
/// clients may send true/false.
mod checkbox {
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Flag(bool),
        Text(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        Ok(match Sent::deserialize(d)? {
            Sent::Flag(b) => b,
            Sent::Text(t) => matches!(t.as_str(), "on" | "true" | "1"),
        })
    }

    pub fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*value)
    }
}

fn some(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// IBAN: 15–34 letters and digits, ISO 13616 check digits (mod 97 = 1). Spaces are allowed.
pub fn iban(value: Option<String>) -> Result<Option<String>, Error> {
    let Some(v) = value else { return Ok(None) };
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let shape_ok = (15..=34).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact[..2].chars().all(|c| c.is_ascii_alphabetic())
        && compact[2..4].chars().all(|c| c.is_ascii_digit());
    if !shape_ok {
        return Err(Error::invalid("iban", "not an IBAN (two letters, two check digits, then the account)"));
    }
    let rearranged = format!("{}{}", &compact[4..], &compact[..4]);
    if crate::check_digits::iso7064_mod97(&rearranged) != 1 {
        return Err(Error::invalid("iban", "the IBAN's check digits do not match: check for a typo"));
    }
    Ok(Some(compact))
}

/// SWIFT/BIC: 8 or 11 letters and digits.
pub fn swift(value: Option<String>) -> Result<Option<String>, Error> {
    let Some(v) = value else { return Ok(None) };
    let v = v.trim().to_ascii_uppercase();
    if !(v.len() == 8 || v.len() == 11) || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid("swift_code", "a SWIFT/BIC code has 8 or 11 letters and digits"));
    }
    Ok(Some(v))
}

pub fn validate(f: &ProfileForm) -> Result<Profile, Error> {
    const SHORT: usize = 200;
    let terms = f.payment_terms_days.trim();
    let payment_terms_days = if terms.is_empty() {
        30
    } else {
        terms
            .parse::<i32>()
            .ok()
            .filter(|d| (0..=365).contains(d))
            .ok_or_else(|| Error::invalid("payment_terms_days", "a number of days from 0 to 365"))?
    };
    let currency = if f.default_currency.trim().is_empty() { "USD" } else { f.default_currency.as_str() };
    Ok(Profile {
        company: text(some(&f.company), "company", SHORT)?,
        address_line1: text(some(&f.address_line1), "address_line1", SHORT)?,
        address_line2: text(some(&f.address_line2), "address_line2", SHORT)?,
        city: text(some(&f.city), "city", SHORT)?,
        postal_code: text(some(&f.postal_code), "postal_code", 40)?,
        state: text(some(&f.state), "state", SHORT)?,
        country: text(some(&f.country), "country", SHORT)?,
        tax_id: text(some(&f.tax_id), "tax_id", 64)?,
        vat_id: crate::validate::vat_id(some(&f.vat_id), "vat_id")?,
        phone: text(some(&f.phone), "phone", 64)?,
        peppol_id: crate::validate::peppol_id(some(&f.peppol_id), "peppol_id")?,
        small_business: f.small_business,
        bank_name: text(some(&f.bank_name), "bank_name", SHORT)?,
        account_name: text(some(&f.account_name), "account_name", SHORT)?,
        account_number: text(some(&f.account_number), "account_number", 64)?,
        routing_number: text(some(&f.routing_number), "routing_number", 64)?,
        iban: iban(text(some(&f.iban), "iban", 64)?)?,
        swift_code: swift(text(some(&f.swift_code), "swift_code", 20)?)?,
        default_currency: currency_code(currency)
            .map_err(|_| Error::invalid("default_currency", "not a supported ISO 4217 currency code"))?,
        payment_terms_days,
        terms_text: text(some(&f.terms_text), "terms_text", 5_000)?,
        footer_note: text(some(&f.footer_note), "footer_note", 5_000)?,
    })
}

/// The "From" of an invoice made without an account (/new and the API's `sender`): the
/// fields of the contract, checked by the profile's rules, errors under `sender.`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderDetails {
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub tax_id: String,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub account_name: String,
    #[serde(default)]
    pub account_number: String,
    #[serde(default)]
    pub routing_number: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub swift_code: String,
}

impl SenderDetails {
    /// The profile these details make, and the e-mail printed on the invoice.
    pub fn validate(&self) -> Result<(Profile, Option<String>), Error> {
        let under_sender = |e: Error| match e {
            Error::Invalid { message, field } => {
                Error::Invalid { message, field: Some(format!("sender.{}", field.unwrap_or_default())) }
            }
            other => other,
        };
        if self.company.trim().is_empty() {
            return Err(Error::invalid("sender.company", "your company or name is required: it heads the invoice"));
        }
        let form = ProfileForm {
            company: self.company.clone(),
            address_line1: self.address_line1.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            tax_id: self.tax_id.clone(),
            bank_name: self.bank_name.clone(),
            account_name: self.account_name.clone(),
            account_number: self.account_number.clone(),
            routing_number: self.routing_number.clone(),
            iban: self.iban.clone(),
            swift_code: self.swift_code.clone(),
            ..Default::default()
        };
        let profile = validate(&form).map_err(under_sender)?;
        let email = crate::validate::email(Some(self.email.clone()).filter(|e| !e.trim().is_empty()), "email")
            .map_err(under_sender)?
            .map(|e| e.to_ascii_lowercase());
        Ok((profile, email))
    }

    /// The details a stored profile gives (to fill the form again).
    pub fn from_profile(p: &ProfileForm, email: Option<String>) -> SenderDetails {
        SenderDetails {
            company: p.company.clone(),
            email: email.unwrap_or_default(),
            address_line1: p.address_line1.clone(),
            city: p.city.clone(),
            country: p.country.clone(),
            tax_id: p.tax_id.clone(),
            bank_name: p.bank_name.clone(),
            account_name: p.account_name.clone(),
            account_number: p.account_number.clone(),
            routing_number: p.routing_number.clone(),
            iban: p.iban.clone(),
            swift_code: p.swift_code.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_their_check_digits() {
        assert_eq!(
            iban(Some("de89 3704 0044 0532 0130 00".into())).unwrap().as_deref(),
            Some("DE89370400440532013000")
        );
        assert_eq!(iban(Some("GB82WEST12345698765432".into())).unwrap().as_deref(), Some("GB82WEST12345698765432"));
        assert_eq!(iban(Some("DE89370400440532013001".into())).unwrap_err().field(), Some("iban"));
        assert!(iban(Some("12345".into())).is_err());
        assert_eq!(swift(Some("deutdeff".into())).unwrap().as_deref(), Some("DEUTDEFF"));
        assert!(swift(Some("DEUT".into())).is_err());
    }

    #[test]
    fn a_profile_form_validates_with_defaults() {
        let p = validate(&ProfileForm {
            company: " My Studio ".into(),
            default_currency: "eur".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (p.company.as_deref(), p.default_currency.as_str(), p.payment_terms_days),
            (Some("My Studio"), "EUR", 30)
        );
        let bad = ProfileForm { payment_terms_days: "soon".into(), ..Default::default() };
        assert_eq!(validate(&bad).unwrap_err().field(), Some("payment_terms_days"));
        let bad = ProfileForm { default_currency: "XX".into(), ..Default::default() };
        assert_eq!(validate(&bad).unwrap_err().field(), Some("default_currency"));
    }

    #[test]
    fn sender_details_need_a_company_and_say_which_field_is_wrong() {
        let blank = SenderDetails::default();
        assert_eq!(blank.validate().unwrap_err().field(), Some("sender.company"));
        let bad_iban = SenderDetails { company: "Studio".into(), iban: "DE00 1234".into(), ..Default::default() };
        assert_eq!(bad_iban.validate().unwrap_err().field(), Some("sender.iban"));
        let bad_mail = SenderDetails { company: "Studio".into(), email: "not-mail".into(), ..Default::default() };
        assert_eq!(bad_mail.validate().unwrap_err().field(), Some("sender.email"));
        let good = SenderDetails { company: " Studio ".into(), email: "Me@Studio.test".into(), ..Default::default() };
        let (profile, email) = good.validate().unwrap();
        assert_eq!((profile.company.as_deref(), email.as_deref()), (Some("Studio"), Some("me@studio.test")));
    }
}

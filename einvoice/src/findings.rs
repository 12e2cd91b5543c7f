//! A rule's finding as a violation a sender can act on: the field it is about (in the
//! invoice, or `profile.…` in the sender's profile) and what to do, in plain words. The
//! rule's id stays as its authority numbers it, so a receiver's rejection can be matched.

use domain::einvoice::{EInvoiceFormat, EInvoiceViolation};
use en16931::{Finding, Group};

/// The field a business term lives in, in the invoice's JSON or the sender's profile.
fn term_field(term: u16) -> Option<&'static str> {
    Some(match term {
        2 => "issue_date",
        5 => "currency",
        9 => "due_date",
        10 => "recipient.buyer_reference",
        13 => "po_number",
        20 => "terms_text",
        27 | 28 | 41 => "profile.company",
        31 => "profile.vat_id",
        32 => "profile.tax_id",
        34 => "profile.peppol_id",
        35 => "profile.address_line1",
        36 => "profile.address_line2",
        37 => "profile.city",
        38 => "profile.postal_code",
        39 => "profile.state",
        40 => "profile.country",
        42 => "profile.phone",
        43 => "profile.email",
        44 | 45 => "recipient.company",
        48 => "recipient.vat_id",
        49 => "recipient.peppol_id",
        50 => "recipient.address.line1",
        51 => "recipient.address.line2",
        52 => "recipient.address.city",
        53 => "recipient.address.postal_code",
        54 => "recipient.address.state",
        55 | 80 => "recipient.address.country",
        75 | 76 => "recipient.address.line1",
        77 => "recipient.address.city",
        78 => "recipient.address.postal_code",
        56 => "recipient.name",
        58 => "recipient.email",
        163 => "recipient.address.line3",
        81..=91 => "profile.iban",
        _ => return None,
    })
}

/// The field a finding is about: its term, else its group.
pub fn field(finding: &Finding) -> Option<String> {
    let path = &finding.path;
    let term = path.term.map(|t| t.0);
    if path.group == Group::Line {
        let line = format!("line_items[{}]", path.index.unwrap_or(0));
        let part = match term {
            Some(129) => ".quantity",
            Some(146 | 148) => ".unit_price_cents",
            Some(151 | 152) => ".tax",
            Some(153 | 154) => ".description",
            _ => "",
        };
        return Some(format!("{line}{part}"));
    }
    if let Some(field) = term.and_then(term_field) {
        return Some(field.to_string());
    }
    let group = match path.group {
        Group::Seller => "profile",
        Group::Buyer => "recipient",
        Group::Payment => "profile.iban",
        Group::DocumentAllowance => "discount",
        Group::VatBreakdown => "line_items",
        _ => return None,
    };
    Some(group.to_string())
}

/// What to do, in plain words, for the requirements a sender meets most; the authority's
/// own wording for the rest.
fn plain(rule: &str, field: Option<&str>, format: EInvoiceFormat) -> Option<String> {
    let format = format.label();
    let words = match (rule, field?) {
        (_, "recipient.buyer_reference") => {
            format!("the customer needs a buyer reference (Leitweg-ID) for {format}: add it to the customer")
        }
        (_, "recipient.peppol_id") => {
            format!("the customer needs an electronic address for {format}: their Peppol id (or an e-mail address)")
        }
        (_, "profile.peppol_id") => format!("add your Peppol id (scheme:identifier) to your profile for {format}"),
        (_, "profile.iban") => {
            format!("add your bank details (IBAN) to your profile: {format} requires payment instructions")
        }
        (_, "profile.phone") => format!("add a contact telephone number to your profile: {format} requires one"),
        (_, "profile.email") => format!("{format} requires your contact e-mail address"),
        (_, "profile.city") => format!("add your city to your profile: {format} requires it"),
        (_, "profile.postal_code") => format!("add your postal code to your profile: {format} requires it"),
        (_, "profile.address_line1") => "add your street address to your profile".to_string(),
        ("BR-CL-14", "profile.country") => "write your country in your profile as a two-letter code (DE, FR, …)".into(),
        (_, "profile.country") => "add your country to your profile".to_string(),
        (_, "profile.vat_id") => "add your VAT id to your profile: these VAT categories require it".to_string(),
        ("BR-08", _) => "add your address (street, city, postal code, country) to your profile".into(),
        ("BR-10", _) => "the customer needs an address with a country".into(),
        ("BR-CO-26", _) => "add your VAT id or tax number to your profile: the buyer identifies you by it".into(),
        (_, "profile.company") => "add your company name to your profile".to_string(),
        (_, "recipient.address.city") => format!("the customer's address needs a city for {format}"),
        (_, "recipient.address.postal_code") => format!("the customer's address needs a postal code for {format}"),
        ("BR-CL-14", "recipient.address.country") => {
            "write the customer's country as a two-letter code (DE, FR, …)".to_string()
        }
        (_, "recipient.address.country") => "the customer's address needs a country".to_string(),
        (_, "recipient.vat_id") => {
            "the customer's VAT id is required for reverse charge and intra-community lines".into()
        }
        (_, "recipient.company") => "the customer needs a name".to_string(),
        _ => return None,
    };
    Some(words)
}

pub fn violation(finding: &Finding, format: EInvoiceFormat) -> EInvoiceViolation {
    let field = field(finding);
    let message = plain(&finding.rule, field.as_deref(), format).unwrap_or_else(|| finding.message.clone());
    EInvoiceViolation { rule: finding.rule.clone(), message, field }
}

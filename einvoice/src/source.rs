//! What an e-invoice is made of: the invoice as every surface returns it (with the totals the
//! one totals function computed) and the seller's profile.

use domain::credit_note::CreditReference;
use domain::dto::Invoice;
use domain::profile::Profile;

/// Who issues the invoice: the sender's profile and the address their mail comes from.
#[derive(Debug, Clone, Copy)]
pub struct Seller<'a> {
    pub profile: &'a Profile,
    pub email: Option<&'a str>,
}

/// One document and its seller: an invoice, or a credit note (`credit` says which invoice it
/// corrects) in an invoice's shape.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub invoice: &'a Invoice,
    pub seller: Seller<'a>,
    pub credit: Option<&'a CreditReference>,
}

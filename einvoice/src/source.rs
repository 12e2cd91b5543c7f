//! What an e-invoice is made of: the invoice as every surface returns it (with the totals the
//! one totals function computed) and the seller's profile.

use domain::dto::Invoice;
use domain::profile::Profile;

/// Who issues the invoice: the sender's profile and the address their mail comes from.
#[derive(Debug, Clone, Copy)]
pub struct Seller<'a> {
    pub profile: &'a Profile,
    pub email: Option<&'a str>,
}

/// One invoice and its seller.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub invoice: &'a Invoice,
    pub seller: Seller<'a>,
}

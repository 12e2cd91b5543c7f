//! Integer cents (the smallest unit of the invoice's currency) as EN 16931 amounts, which
//! have at most two decimals (BR-DEC-*). Nothing is rounded here: an amount that needs a
//! third decimal (a fils of the Kuwaiti dinar) cannot be an e-invoice amount and says so.

use en16931::InvoiceAmount;
use rust_decimal::Decimal;

/// The decimals of `currency` (2 where unknown: the totals refuse unknown currencies first).
pub fn decimals(currency: &str) -> u32 {
    domain::currency::minor_units(currency).unwrap_or(2)
}

/// `cents` of `currency` as a decimal amount: 12345 EUR → 123.45, 500 JPY → 500.
pub fn value(cents: i64, currency: &str) -> Decimal {
    Decimal::new(cents, decimals(currency))
}

/// `cents` as an EN 16931 amount; `None` when it needs more than two decimals.
pub fn amount(cents: i64, currency: &str) -> Option<InvoiceAmount> {
    InvoiceAmount::from_decimal_exact(value(cents, currency)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_become_amounts_in_the_currency_s_unit() {
        assert_eq!(amount(12345, "EUR").map(|a| a.to_string()).as_deref(), Some("123.45"));
        assert_eq!(amount(500, "JPY").map(|a| a.to_string()).as_deref(), Some("500.00"));
        assert_eq!(amount(5120, "KWD").map(|a| a.to_string()).as_deref(), Some("5.12"));
        assert_eq!(amount(5125, "KWD"), None);
    }
}

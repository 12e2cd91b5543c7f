//! Stripe's minor units, which are not always ISO 4217's: the one table that converts an
//! amount of ours (ISO minor units, `currency::minor_units`) to what Stripe's API takes and
//! back. From Stripe's "Supported currencies" page: zero-decimal currencies; three-decimal
//! currencies whose amounts must end in 0; ISK, zero-decimal by ISO but two-decimal in the
//! API (whole krónur only); HUF and TWD, two-decimal for charges (their zero-decimal rule
//! is for payouts); UGX, zero-decimal; every other currency two-decimal.

use crate::currency::minor_units;

/// Stripe's zero-decimal currencies.
const ZERO_DECIMAL: &[&str] =
    &["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];
/// Stripe's three-decimal currencies: the last digit of an amount must be 0.
const THREE_DECIMAL: &[&str] = &["BHD", "JOD", "KWD", "OMR", "TND"];
/// Two-decimal in Stripe's API but charged in whole units only: amounts divisible by 100.
const WHOLE_UNITS_ONLY: &[&str] = &["ISK"];

/// How Stripe writes amounts of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StripeUnits {
    /// Digits after the decimal point in Stripe's integer amounts.
    exponent: u32,
    /// Stripe's amounts must be multiples of this.
    step: i64,
}

fn stripe_units(currency: &str) -> StripeUnits {
    let code = currency.to_ascii_uppercase();
    if ZERO_DECIMAL.contains(&code.as_str()) {
        StripeUnits { exponent: 0, step: 1 }
    } else if THREE_DECIMAL.contains(&code.as_str()) {
        StripeUnits { exponent: 3, step: 10 }
    } else if WHOLE_UNITS_ONLY.contains(&code.as_str()) {
        StripeUnits { exponent: 2, step: 100 }
    } else {
        StripeUnits { exponent: 2, step: 1 }
    }
}

/// Why an amount cannot be charged through Stripe exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotChargeable {
    pub reason: String,
}

/// `amount` (our minor units of `currency`) in Stripe's units, or why Stripe cannot charge
/// exactly that amount (then it is not offered online: rounding it would charge the wrong sum).
pub fn to_stripe(amount: i64, currency: &str) -> Result<i64, NotChargeable> {
    let code = currency.to_ascii_uppercase();
    let ours =
        minor_units(&code).ok_or_else(|| NotChargeable { reason: format!("{code} is not a currency we know") })?;
    let stripe = stripe_units(&code);
    match rescale(amount, ours, stripe.exponent) {
        Some(units) if units % stripe.step == 0 => Ok(units),
        _ => Err(NotChargeable { reason: uncharged_reason(amount, &code, stripe, ours) }),
    }
}

/// An amount Stripe reports (its units of `currency`) in our minor units; None when it is not
/// a whole number of ours (then it cannot be what we asked for).
pub fn from_stripe(units: i64, currency: &str) -> Option<i64> {
    let code = currency.to_ascii_uppercase();
    let ours = minor_units(&code)?;
    rescale(units, stripe_units(&code).exponent, ours)
}

/// `amount` with `from` decimal places written with `to`; None when it does not fit or is
/// not a whole number there.
fn rescale(amount: i64, from: u32, to: u32) -> Option<i64> {
    if to >= from {
        10_i64.checked_pow(to - from).and_then(|f| amount.checked_mul(f))
    } else {
        let divisor = 10_i64.pow(from - to);
        (amount % divisor == 0).then(|| amount / divisor)
    }
}

/// Why, in words for the payer and the sender: "Stripe cannot charge KWD 5.125 exactly: …".
fn uncharged_reason(amount: i64, code: &str, stripe: StripeUnits, ours: u32) -> String {
    let rule = match (stripe.exponent, stripe.step) {
        (3, 10) => format!("card amounts in {code} must end in 0"),
        (_, 100) => format!("card amounts in {code} are whole units"),
        (e, _) if e < ours => format!("card amounts in {code} have {e} decimal places"),
        _ => "the amount is too large for a card payment".to_string(),
    };
    format!("Stripe cannot charge {} exactly: {rule}.", crate::currency::format_amount(amount, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_currencies_are_the_same_in_both() {
        assert_eq!(to_stripe(250_000, "USD"), Ok(250_000));
        assert_eq!(to_stripe(1_999, "eur"), Ok(1_999));
        assert_eq!(to_stripe(1_000, "JPY"), Ok(1_000));
        assert_eq!(from_stripe(250_000, "usd"), Some(250_000));
    }

    #[test]
    fn isk_is_whole_kronur_written_with_two_decimals() {
        // 5,000 kr: ours 5000 (ISO: no decimals), Stripe's 500000.
        assert_eq!(to_stripe(5_000, "ISK"), Ok(500_000));
        assert_eq!(from_stripe(500_000, "isk"), Some(5_000));
        assert_eq!(from_stripe(5_000, "isk"), Some(50), "what today's bug charged: 50 kr");
        assert_eq!(from_stripe(500_050, "isk"), None, "half a króna is none of ours");
    }

    #[test]
    fn three_decimal_amounts_must_end_in_zero() {
        assert_eq!(to_stripe(5_120, "KWD"), Ok(5_120));
        let refused = to_stripe(5_125, "KWD").unwrap_err();
        assert!(refused.reason.contains("must end in 0"), "{refused:?}");
        assert_eq!(from_stripe(5_120, "kwd"), Some(5_120));
    }

    #[test]
    fn huf_twd_charge_with_two_decimals_and_ugx_with_none() {
        assert_eq!(to_stripe(12_345, "HUF"), Ok(12_345));
        assert_eq!(to_stripe(99, "TWD"), Ok(99));
        assert_eq!(to_stripe(50_000, "UGX"), Ok(50_000));
        assert_eq!(from_stripe(50_000, "ugx"), Some(50_000));
    }

    #[test]
    fn two_decimal_currencies_stripe_writes_without_decimals_need_whole_units() {
        // MGA: two decimals by ISO, zero-decimal at Stripe.
        assert_eq!(to_stripe(12_300, "MGA"), Ok(123));
        assert!(to_stripe(12_345, "MGA").is_err());
        assert_eq!(from_stripe(123, "mga"), Some(12_300));
        // IQD: three decimals by ISO, two at Stripe.
        assert_eq!(to_stripe(1_230, "IQD"), Ok(123));
        assert!(to_stripe(1_235, "IQD").is_err());
    }

    #[test]
    fn overflow_is_not_chargeable_and_unknown_codes_are_refused() {
        assert!(to_stripe(i64::MAX, "ISK").is_err());
        assert!(to_stripe(100, "XXX").is_err());
        assert_eq!(from_stripe(100, "XXX"), None);
    }
}

//! ISO 4217 currencies we accept, with their minor units (for display only: amounts are
//! always integers of the smallest unit).

const ZERO_DECIMALS: &[&str] =
    &["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];
const THREE_DECIMALS: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
const TWO_DECIMALS: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD", "BND",
    "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CNY", "COP", "CRC", "CUP", "CVE", "CZK",
    "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD",
    "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK",
    "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
    "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON",
    "RSD", "RUB", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
    "SZL", "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "VES", "WST", "XCD",
    "YER", "ZAR", "ZMW", "ZWL",
];

/// Every code we accept (the API's `currency` enum).
pub fn all_codes() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = TWO_DECIMALS.iter().chain(ZERO_DECIMALS).chain(THREE_DECIMALS).copied().collect();
    all.sort_unstable();
    all
}

/// Digits after the decimal point, or None for a code we do not know.
pub fn minor_units(code: &str) -> Option<u32> {
    if TWO_DECIMALS.contains(&code) {
        Some(2)
    } else if ZERO_DECIMALS.contains(&code) {
        Some(0)
    } else if THREE_DECIMALS.contains(&code) {
        Some(3)
    } else {
        None
    }
}

/// The sign printed for a currency where it has one everyone reads ($, €, £, ¥, ₹).
pub fn symbol(code: &str) -> Option<&'static str> {
    Some(match code {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        _ => return None,
    })
}

/// "$2,500.00", "€1,234.50", "CHF 99.00", "¥1,000".
pub fn format_amount(cents: i64, code: &str) -> String {
    let units = minor_units(code).unwrap_or(2);
    let scale = 10_i64.pow(units);
    let abs = cents.unsigned_abs();
    let whole = abs / scale as u64;
    let frac = abs % scale as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let number = if units == 0 { grouped } else { format!("{grouped}.{frac:0width$}", width = units as usize) };
    let sign = if cents < 0 { "-" } else { "" };
    match symbol(code) {
        Some(s) => format!("{sign}{s}{number}"),
        None => format!("{sign}{code} {number}"),
    }
}

/// "2500.00": an amount as a form field holds it (what `parse_amount` reads back).
pub fn format_plain(cents: i64, code: &str) -> String {
    let units = minor_units(code).unwrap_or(2);
    let scale = 10_i64.pow(units).unsigned_abs();
    let (abs, sign) = (cents.unsigned_abs(), if cents < 0 { "-" } else { "" });
    match units {
        0 => format!("{sign}{abs}"),
        _ => format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = units as usize),
    }
}

/// An amount typed in currency units ("2,500.00" is refused; "2500.5" is fine) as exact
/// smallest units, or None when it is not a number or has more decimals than the currency.
pub fn parse_amount(text: &str, code: &str) -> Option<i64> {
    let value = crate::decimal::parse(text)?;
    let units = minor_units(code).unwrap_or(2);
    if crate::decimal::decimals(value) > units {
        return None;
    }
    let scaled = value.checked_mul(rust_decimal::Decimal::from(10_i64.pow(units)))?;
    i64::try_from(scaled.trunc()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_read_back_as_they_were() {
        for (cents, code, text) in
            [(250_000, "USD", "2500.00"), (1_000, "JPY", "1000"), (5, "KWD", "0.005"), (-7, "EUR", "-0.07")]
        {
            assert_eq!(format_plain(cents, code), text);
            assert_eq!(parse_amount(text, code), Some(cents));
        }
    }

    #[test]
    fn typed_amounts_become_exact_cents() {
        assert_eq!(parse_amount("2500", "USD"), Some(250_000));
        assert_eq!(parse_amount(" 19.99 ", "EUR"), Some(1_999));
        assert_eq!(parse_amount("0.1", "USD"), Some(10));
        assert_eq!(parse_amount("1.005", "USD"), None);
        assert_eq!(parse_amount("1000", "JPY"), Some(1_000));
        assert_eq!(parse_amount("abc", "USD"), None);
        assert_eq!(parse_amount("79228162514264337593543950335", "USD"), None, "beyond range: refused, no panic");
        assert_eq!(parse_amount("99999999999999999999", "USD"), None, "beyond i64");
    }

    #[test]
    fn amounts_format_with_the_currency_minor_units() {
        assert_eq!(format_amount(250_000, "USD"), "$2,500.00");
        assert_eq!(format_amount(123_450, "EUR"), "€1,234.50");
        assert_eq!(format_amount(1000, "JPY"), "¥1,000");
        assert_eq!(format_amount(1_234, "KWD"), "KWD 1.234");
        assert_eq!(format_amount(-5, "CHF"), "-CHF 0.05");
        assert_eq!(minor_units("XXX"), None);
    }
}

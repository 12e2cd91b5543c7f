//! Check-digit schemes shared by identifiers (IBANs, VAT ids).

/// ISO 7064 MOD 97-10 remainder of letters and digits, letters counting 10 (A) to 35 (Z):
/// an IBAN (rearranged) or a Dutch VAT id with its "NL" is valid when it is 1.
pub fn iso7064_mod97(text: &str) -> u32 {
    text.chars().fold(0, |rest, c| {
        let n = c.to_digit(36).unwrap_or(0);
        if n >= 10 { (rest * 100 + n) % 97 } else { (rest * 10 + n) % 97 }
    })
}

/// The Luhn check over decimal digits (the last one checks the others).
pub fn luhn(digits: &[u32]) -> bool {
    let sum: u32 =
        digits.iter().rev().enumerate().map(|(i, &x)| if i % 2 == 1 { (x * 2) / 10 + (x * 2) % 10 } else { x }).sum();
    sum.is_multiple_of(10)
}

//! Customer codes: the prefix of every invoice number (DESIGN.md §5).

const MAX_LEN: usize = 8;

fn letters_and_digits(word: &str) -> String {
    word.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).take(MAX_LEN).collect()
}

/// "Acme Corp" → ACME; from the e-mail domain ("ap@globex.io" → GLOBEX) when the company
/// gives nothing usable; CUST as a last resort.
pub fn base_code(company: Option<&str>, email: Option<&str>) -> String {
    let from_company = company.and_then(|c| c.split_whitespace().map(letters_and_digits).find(|w| !w.is_empty()));
    let from_email = || {
        email
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, domain)| letters_and_digits(domain.split('.').next().unwrap_or("")))
            .filter(|w| !w.is_empty())
    };
    from_company.or_else(from_email).unwrap_or_else(|| "CUST".to_string())
}

/// The n-th candidate for a base code: ACME, ACME2, ACME3…
pub fn candidate(base: &str, n: u32) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}{n}") }
}

/// Invoice number from a customer code and its sequence: ACME-0001.
pub fn invoice_number(code: &str, seq: i64) -> String {
    format!("{code}-{seq:04}")
}

/// The sequences from 1 to `top` whose number part (after the dash) starts with `digits`,
/// as disjoint inclusive ranges, highest first: the inverse of [`invoice_number`], so a
/// search for "ACME-00" reads ranges of an index on the sequence instead of filtering every
/// one of ACME's invoices by number. `digits` holds ASCII digits only (else: no ranges).
pub fn seqs_starting_with(digits: &str, top: i64) -> Vec<(i64, i64)> {
    let width = digits.len() as u32;
    let value: i128 = match digits {
        "" => 0,
        _ if digits.bytes().all(|b| b.is_ascii_digit()) => match digits.parse() {
            Ok(v) => v,
            Err(_) => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    // Lengths of the number part: four (zero padded, 0001–9999), then the plain decimal of
    // five digits and more; each length holds one range of sequences starting with `digits`.
    let lengths = std::iter::once(4).chain((5..=19).filter(|_| !digits.starts_with('0')));
    let mut ranges: Vec<(i128, i128)> = Vec::new();
    for length in lengths.filter(|l| *l >= width) {
        let scale = 10i128.pow(length - width);
        let (floor, ceiling) = if length == 4 { (1, 9_999) } else { (10i128.pow(length - 1), 10i128.pow(length) - 1) };
        let low = (value * scale).max(floor);
        let high = ((value + 1) * scale - 1).min(ceiling).min(i128::from(top));
        if low > high {
            continue;
        }
        match ranges.last_mut() {
            Some(last) if last.1 + 1 == low => last.1 = high,
            _ => ranges.push((low, high)),
        }
    }
    // Every bound lies between 1 and `top`, an i64.
    ranges.into_iter().rev().map(|(low, high)| (low as i64, high as i64)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_the_first_word_of_the_company() {
        assert_eq!(base_code(Some("Acme Corp"), None), "ACME");
        assert_eq!(base_code(Some("  o'Reilly & Sons"), None), "OREILLY");
        assert_eq!(base_code(Some("Supercalifragilistic Ltd"), None), "SUPERCAL");
        assert_eq!(base_code(Some("東京 Tokyo Labs"), None), "TOKYO");
        assert_eq!(base_code(None, Some("ap@globex.io")), "GLOBEX");
        assert_eq!(base_code(Some("!!!"), None), "CUST");
    }

    #[test]
    fn numbers_are_code_and_four_digits() {
        assert_eq!(invoice_number("ACME", 1), "ACME-0001");
        assert_eq!(invoice_number("ACME", 12345), "ACME-12345");
        assert_eq!(candidate("ACME", 1), "ACME");
        assert_eq!(candidate("ACME", 3), "ACME3");
    }

    /// Brute force: a sequence is in the ranges exactly when its number starts with the digits.
    #[test]
    fn seq_ranges_hold_exactly_the_numbers_with_the_prefix() {
        let top = 123_456;
        for digits in [
            "", "0", "00", "000", "0000", "00000", "0012", "1", "12", "123", "1234", "12345", "123456", "9", "99",
            "10", "100", "1000", "10000", "5", "x1",
        ] {
            let ranges = seqs_starting_with(digits, top);
            assert!(ranges.windows(2).all(|w| w[0].0 > w[1].1 + 1), "{digits:?}: disjoint, highest first: {ranges:?}");
            for seq in 1..=top + 10 {
                let number = invoice_number("A", seq);
                let expected =
                    seq <= top && digits.bytes().all(|b| b.is_ascii_digit()) && number[2..].starts_with(digits);
                let found = ranges.iter().any(|(low, high)| (*low..=*high).contains(&seq));
                assert_eq!(found, expected, "{digits:?} and {number}");
            }
        }
        assert_eq!(seqs_starting_with("", 50), vec![(1, 50)], "no digits: every sequence, one range");
        assert_eq!(seqs_starting_with("1", 12_000), vec![(10_000, 12_000), (1_000, 1_999)]);
        assert_eq!(seqs_starting_with("1", 0), vec![]);
    }

    #[test]
    fn seq_ranges_reach_the_largest_sequences() {
        let ranges = seqs_starting_with("9", i64::MAX);
        assert_eq!(ranges[0], (9_000_000_000_000_000_000, i64::MAX));
        assert_eq!(ranges.last(), Some(&(9_000, 9_999)));
        assert_eq!(seqs_starting_with("12345678901234567890", i64::MAX), vec![], "longer than any sequence");
        assert_eq!(seqs_starting_with("99999999999999999999999", i64::MAX), vec![], "does not fit a number");
    }
}

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
}

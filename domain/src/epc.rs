//! The EPC QR code's text (EPC069-12 v2: "GiroCode", SEPA credit transfer by scanning): a
//! banking app reads the beneficiary, IBAN, amount and remittance from it. Only EUR, only an
//! amount due from 0.01 to 999,999,999.99 (the standard's limits); otherwise there is none.

/// Where a transfer goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BankTransfer {
    /// The beneficiary's name (at most 70 characters are used).
    pub name: String,
    pub iban: String,
    pub bic: Option<String>,
}

/// The largest amount an EPC QR code may ask for, in cents.
pub const MAX_CENTS: i64 = 99_999_999_999;

/// The QR code's text for paying `amount_cents` of `currency` to `to` with `remittance` (the
/// invoice number) as the unstructured remittance information; None where the standard does
/// not allow one.
pub fn payload(to: &BankTransfer, amount_cents: i64, currency: &str, remittance: &str) -> Option<String> {
    if currency != "EUR" || !(1..=MAX_CENTS).contains(&amount_cents) || to.iban.trim().is_empty() {
        return None;
    }
    let clip = |text: &str, max: usize| text.chars().filter(|c| !c.is_control()).take(max).collect::<String>();
    let iban: String = to.iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let lines = [
        "BCD".to_string(),
        "002".to_string(),
        "1".to_string(), // UTF-8
        "SCT".to_string(),
        to.bic.clone().unwrap_or_default(),
        clip(to.name.trim(), 70),
        iban,
        format!("EUR{}.{:02}", amount_cents / 100, amount_cents % 100),
        String::new(), // purpose
        String::new(), // structured remittance reference
        clip(remittance, 140),
    ];
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to() -> BankTransfer {
        BankTransfer {
            name: "Studio Nord GmbH".into(),
            iban: "DE89 3704 0044 0532 0130 00".into(),
            bic: Some("COBADEFFXXX".into()),
        }
    }

    #[test]
    fn the_text_is_the_standard_s_eleven_lines() {
        let text = payload(&to(), 119_569, "EUR", "STADT-0001").unwrap();
        assert_eq!(
            text,
            "BCD\n002\n1\nSCT\nCOBADEFFXXX\nStudio Nord GmbH\nDE89370400440532013000\nEUR1195.69\n\n\nSTADT-0001"
        );
        assert!(text.len() <= 331, "the standard's limit");
        assert_eq!(payload(&to(), 5, "EUR", "X").unwrap().lines().nth(7), Some("EUR0.05"));
    }

    #[test]
    fn none_for_other_currencies_nothing_due_or_too_much() {
        assert_eq!(payload(&to(), 100, "USD", "X"), None);
        assert_eq!(payload(&to(), 0, "EUR", "X"), None);
        assert_eq!(payload(&to(), MAX_CENTS + 1, "EUR", "X"), None);
        assert!(payload(&to(), MAX_CENTS, "EUR", "X").is_some());
        assert_eq!(payload(&BankTransfer { iban: " ".into(), ..to() }, 100, "EUR", "X"), None);
    }
}

//! Every language says everything English says (a key missing in one language fails here),
//! the files parse, and numbers, money and dates follow each language's CLDR conventions.

use chrono::NaiveDate;
use domain::Language;
use rust_decimal::Decimal;

#[test]
fn every_language_has_every_key_and_no_other() {
    let english = i18n::keys(i18n::SOURCES[0].1);
    assert!(english.len() > 50, "the English file is read: {english:?}");
    for (language, source) in i18n::SOURCES {
        if let Err((_, errors)) = fluent_bundle::FluentResource::try_new(source.to_string()) {
            panic!("{} does not parse: {errors:?}", language.code());
        }
        let keys = i18n::keys(source);
        let missing: Vec<_> = english.iter().filter(|k| !keys.contains(k)).collect();
        let extra: Vec<_> = keys.iter().filter(|k| !english.contains(k)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", language.code());
        assert!(extra.is_empty(), "{} has keys English lacks: {extra:?}", language.code());
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), keys.len(), "{} defines a key twice", language.code());
    }
    for language in Language::ALL {
        assert!(i18n::SOURCES.iter().any(|(l, _)| *l == language), "{} has a file", language.code());
    }
}

#[test]
fn money_numbers_and_dates_read_as_each_language_writes_them() {
    assert_eq!(i18n::money(Language::En, 123_456, "EUR"), "€1,234.56");
    assert_eq!(i18n::money(Language::De, 123_456, "EUR"), "1.234,56\u{a0}€");
    assert_eq!(i18n::money(Language::Fr, 123_456, "EUR"), "1\u{202f}234,56\u{a0}€");
    assert_eq!(i18n::money(Language::En, 250_000, "USD"), domain::currency::format_amount(250_000, "USD"));
    assert_eq!(i18n::money(Language::De, -5, "JPY"), "-5\u{a0}¥");
    assert_eq!(i18n::money(Language::De, 1_234_500, "KWD"), "1.234,500\u{a0}KWD");
    assert_eq!(i18n::money(Language::En, 9_900, "CHF"), domain::currency::format_amount(9_900, "CHF"));
    assert_eq!(i18n::number(Language::De, Decimal::new(15, 1)), "1,5");
    assert_eq!(i18n::percent(Language::De, Decimal::new(8875, 3)), "8,875\u{a0}%");
    assert_eq!(i18n::percent(Language::En, Decimal::from(19)), "19%");
    let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    assert_eq!(i18n::date(Language::En, day), "December 3, 2026");
    assert_eq!(i18n::date(Language::De, day), "3. Dezember 2026");
    assert_eq!(i18n::date(Language::Fr, day), "3 décembre 2026");
}

#[test]
fn words_come_from_the_file_of_the_language() {
    assert_eq!(i18n::text(Language::De, "doc-invoice"), "Rechnung");
    assert_eq!(i18n::text(Language::Fr, "doc-total"), "Total TTC");
    assert_eq!(
        i18n::text_with(Language::De, "mail-sent-heading", &[("number", "ACME-0001"), ("sender", "Studio")]),
        "Rechnung ACME-0001 von Studio"
    );
    assert_eq!(i18n::text(Language::En, "no-such-key"), "no-such-key");
    let reason = i18n::default_reason(Language::Fr, domain::vat::TaxCategory::ReverseCharge).unwrap();
    assert!(reason.starts_with("Autoliquidation"), "{reason}");
    assert_eq!(i18n::default_reason(Language::De, domain::vat::TaxCategory::Exempt), None);
}

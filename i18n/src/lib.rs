//! What the recipient reads, in their language (issue 24): the words come from Fluent
//! translation files (`locales/*.ftl`, one per language, the same keys in each), numbers and
//! dates from the Unicode CLDR data ICU4X compiles in. Server-side only: documents, pages and
//! mails are prepared here and arrive as text.

use chrono::{Datelike, NaiveDate};
use domain::Language;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{YM, YMD};
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use writeable::Writeable;

pub mod document;

/// The translation files, by language.
pub const SOURCES: [(Language, &str); 3] = [
    (Language::En, include_str!("../locales/en.ftl")),
    (Language::De, include_str!("../locales/de.ftl")),
    (Language::Fr, include_str!("../locales/fr.ftl")),
];

/// One language's words and formatters.
struct Speaker {
    bundle: FluentBundle<FluentResource>,
    decimals: Option<DecimalFormatter>,
    dates: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    months: Option<FixedCalendarDateTimeFormatter<Gregorian, YM>>,
}

fn speaker(language: Language, source: &str) -> Speaker {
    let id = language.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Bidi isolation marks would end up in PDFs and mail subjects; our languages need none.
    bundle.set_use_isolating(false);
    // A file that does not parse keeps what does (the catalogs test fails on any error).
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    let _ = bundle.add_resource(resource);
    let locale = Locale::try_from_str(language.code()).unwrap_or(icu_locale_core::locale!("en"));
    Speaker {
        bundle,
        decimals: DecimalFormatter::try_new((&locale).into(), Default::default()).ok(),
        dates: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long()).ok(),
        months: FixedCalendarDateTimeFormatter::try_new((&locale).into(), YM::long()).ok(),
    }
}

static SPEAKERS: LazyLock<Vec<(Language, Speaker)>> =
    LazyLock::new(|| SOURCES.iter().map(|(l, s)| (*l, speaker(*l, s))).collect());

fn speaker_of(language: Language) -> &'static Speaker {
    let all = &*SPEAKERS;
    all.iter().find(|(l, _)| *l == language).or(all.first()).map(|(_, s)| s).expect("the catalog has English")
}

/// The message `key` in `language` with `args` filled in (values already formatted); English
/// where the language lacks it, the key itself where no language has it.
pub fn text_with(language: Language, key: &str, args: &[(&str, &str)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.to_string());
    }
    for speaker in [speaker_of(language), speaker_of(Language::En)] {
        let Some(pattern) = speaker.bundle.get_message(key).and_then(|m| m.value()) else { continue };
        let mut errors = Vec::new();
        return speaker.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
    }
    key.to_string()
}

/// The message `key` in `language` (without arguments: formatted once, kept).
pub fn text(language: Language, key: &str) -> String {
    plain_words(language).get(key).cloned().unwrap_or_else(|| text_with(language, key, &[]))
}

/// The words of `keys` in `language`, by key (a page's fixed words, sent to it as text).
pub fn words(language: Language, keys: impl IntoIterator<Item = impl AsRef<str>>) -> BTreeMap<String, String> {
    keys.into_iter().map(|k| (k.as_ref().to_string(), text(language, k.as_ref()))).collect()
}

/// Every message formatted without arguments, once per language: pages, documents and mails
/// ask for the same words on every request (cheap either way; docs/PERFORMANCE.md measured it).
fn plain_words(language: Language) -> &'static BTreeMap<String, String> {
    static ALL: LazyLock<Vec<(Language, BTreeMap<String, String>)>> = LazyLock::new(|| {
        let english = keys(SOURCES[0].1);
        let say = |l: Language| english.iter().map(|k| (k.clone(), text_with(l, k, &[]))).collect();
        SOURCES.iter().map(|(l, _)| (*l, say(*l))).collect()
    });
    let all = &*ALL;
    all.iter().find(|(l, _)| *l == language).or(all.first()).map(|(_, w)| w).expect("the catalog has English")
}

/// Every key a translation file defines, in its order.
pub fn keys(source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// `value` with `language`'s digits, separators and grouping, keeping its decimals.
fn decimal(language: Language, value: icu_decimal::input::Decimal) -> String {
    match &speaker_of(language).decimals {
        Some(f) => f.format(&value).write_to_string().into_owned(),
        None => value.to_string(),
    }
}

/// An exact decimal (a quantity, a rate) as `language` writes it: 1.5 → "1,5" in German.
pub fn number(language: Language, value: Decimal) -> String {
    let text = value.normalize().to_string();
    match text.parse::<icu_decimal::input::Decimal>() {
        Ok(d) => decimal(language, d),
        Err(_) => text,
    }
}

/// A percentage: "19%" in English, "19 %" in German and French (CLDR's percent patterns).
pub fn percent(language: Language, value: Decimal) -> String {
    let n = number(language, value);
    match language {
        Language::En => format!("{n}%"),
        Language::De => format!("{n}\u{a0}%"),
        Language::Fr => format!("{n}\u{202f}%"),
    }
}

/// An amount in a currency's smallest units as `language` writes money: "€1,234.56",
/// "1.234,56 €", "1 234,56 €". Currencies without a common sign are written with their code.
pub fn money(language: Language, cents: i64, currency: &str) -> String {
    let places = domain::currency::minor_units(currency).unwrap_or(2);
    let mut value = icu_decimal::input::Decimal::from(cents.unsigned_abs());
    value.multiply_pow10(-(places as i16));
    let digits = decimal(language, value);
    let sign = if cents < 0 { "-" } else { "" };
    match (language, domain::currency::symbol(currency)) {
        (Language::En, Some(symbol)) => format!("{sign}{symbol}{digits}"),
        (Language::En, None) => format!("{sign}{currency} {digits}"),
        (_, symbol) => format!("{sign}{digits}\u{a0}{}", symbol.unwrap_or(currency)),
    }
}

/// A date as `language` writes it in full: "December 3, 2026", "3. Dezember 2026".
pub fn date(language: Language, day: NaiveDate) -> String {
    let formatted = Date::try_new_gregorian(day.year(), day.month() as u8, day.day() as u8)
        .ok()
        .and_then(|d| speaker_of(language).dates.as_ref().map(|f| f.format(&d).write_to_string().into_owned()));
    formatted.unwrap_or_else(|| day.to_string())
}

/// A month as `language` names it with its year: "March 2027", "März 2027", "mars 2027".
pub fn month_year(language: Language, day: NaiveDate) -> String {
    let formatted = Date::try_new_gregorian(day.year(), day.month() as u8, day.day() as u8)
        .ok()
        .and_then(|d| speaker_of(language).months.as_ref().map(|f| f.format(&d).write_to_string().into_owned()));
    formatted.unwrap_or_else(|| day.format("%Y-%m").to_string())
}

/// The default exemption text of a category in `language` (None where a line must give its
/// own: exempt, or where no VAT is waived: standard, zero-rated).
pub fn default_reason(language: Language, category: domain::vat::TaxCategory) -> Option<String> {
    category.default_reason()?;
    Some(text(language, &format!("vat-reason-{}", category.as_str())))
}

//! Exact decimals from JSON numbers, and rounding half away from zero.
//!
//! A JSON number reaches us as an f64; for the short decimals we accept (≤ 15 significant
//! digits) the shortest round-trip form of that f64 is exactly the text the client wrote, so
//! parsing that text gives the exact decimal without serde_json's arbitrary_precision.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serializer, de};
use std::str::FromStr;

/// Round to whole cents, half away from zero (the only rounding the model does).
pub fn round_cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

pub fn from_f64_exact(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{value}")).ok()
}

/// Parses the text form a user types ("1.5", "1,5" is refused); used by forms.
pub fn parse(text: &str) -> Option<Decimal> {
    let t = text.trim();
    if t.is_empty() || t.contains(['e', 'E']) {
        return None;
    }
    Decimal::from_str(t).ok()
}

pub fn decimals(value: Decimal) -> u32 {
    value.normalize().scale()
}

struct NumberVisitor;

impl de::Visitor<'_> for NumberVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        from_f64_exact(v).ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).ok_or_else(|| E::custom("expected a number"))
    }
}

/// serde `with` module: a JSON number (or numeric string) in, a JSON number out.
pub mod number {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let n = value.normalize();
        if n.scale() == 0
            && let Ok(i) = i64::try_from(n)
        {
            return s.serialize_i64(i);
        }
        let f: f64 = n.to_string().parse().map_err(serde::ser::Error::custom)?;
        s.serialize_f64(f)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(NumberVisitor)
    }
}

/// The same for an optional number (absent or null = None).
pub mod opt_number {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => number::serialize(v, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        #[derive(Deserialize)]
        struct Wrap(#[serde(with = "number")] Decimal);
        Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_become_the_exact_decimal_written() {
        for text in ["0.1", "1.5", "8.875", "2.675", "0.000001", "123456.123456"] {
            let f: f64 = text.parse().unwrap();
            assert_eq!(from_f64_exact(f).unwrap(), Decimal::from_str(text).unwrap());
        }
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_cents(Decimal::from_str("2.5").unwrap()), Decimal::from(3));
        assert_eq!(round_cents(Decimal::from_str("-2.5").unwrap()), Decimal::from(-3));
        assert_eq!(round_cents(Decimal::from_str("2.4999").unwrap()), Decimal::from(2));
    }

    #[test]
    fn integral_decimals_serialize_as_json_integers() {
        #[derive(serde::Serialize)]
        struct W(#[serde(with = "number")] Decimal);
        assert_eq!(serde_json::to_string(&W(Decimal::from_str("2.000").unwrap())).unwrap(), "2");
        assert_eq!(serde_json::to_string(&W(Decimal::from_str("1.50").unwrap())).unwrap(), "1.5");
    }
}

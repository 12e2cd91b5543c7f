//! Whole numbers however JSON writes them: 4 and 4.0 are both an integer to JSON Schema (and
//! to clients in languages whose numbers are floats), so serde must read both.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

struct Whole(i64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::payment::whole_number(d).map(Whole)
    }
}

/// A whole number into `T` (u32, i32 …), out of its range refused.
pub fn int<'de, D: Deserializer<'de>, T: TryFrom<i64>>(d: D) -> Result<T, D::Error> {
    let Whole(v) = Whole::deserialize(d)?;
    T::try_from(v).map_err(|_| D::Error::custom(format!("{v} is out of range")))
}

/// An optional whole number (null or absent: None; use with `#[serde(default)]`).
pub fn opt_int<'de, D: Deserializer<'de>, T: TryFrom<i64>>(d: D) -> Result<Option<T>, D::Error> {
    match Option::<Whole>::deserialize(d)? {
        None => Ok(None),
        Some(Whole(v)) => T::try_from(v).map(Some).map_err(|_| D::Error::custom(format!("{v} is out of range"))),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct S {
        #[serde(deserialize_with = "super::int")]
        a: u32,
        #[serde(default, deserialize_with = "super::opt_int")]
        b: Option<i32>,
    }

    #[test]
    fn four_point_zero_is_four() {
        let s: S = serde_json::from_str(r#"{"a": 4.0, "b": -3.0}"#).unwrap();
        assert_eq!((s.a, s.b), (4, Some(-3)));
        let s: S = serde_json::from_str(r#"{"a": 4}"#).unwrap();
        assert_eq!(s.b, None);
        assert!(serde_json::from_str::<S>(r#"{"a": 4.5}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"a": -1}"#).is_err());
    }
}

//! The one totals function (DESIGN.md §4). The API, the editor (wasm) and the PDF all read
//! its result; nothing else computes money.

use crate::decimal::round_cents;
use crate::dto::Discount;
use crate::{Error, MAX_AMOUNT_CENTS};
use rust_decimal::Decimal;

/// What a line contributes, already validated for shape (quantity > 0, price ≥ 0).
#[derive(Debug, Clone, Copy)]
pub struct LineCalc<'a> {
    pub quantity: Decimal,
    pub unit_price_cents: i64,
    pub discount: Option<&'a Discount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTotals {
    pub gross_cents: i64,
    pub discount_cents: i64,
    pub total_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotals>,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub taxable_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

/// Percent values (discounts and tax rates): 0–100 with at most 3 decimals.
pub fn check_percent(value: Decimal, field: &str) -> Result<(), Error> {
    if value.is_sign_negative() && !value.is_zero() || value > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(field, "must be a percentage between 0 and 100"));
    }
    if crate::decimal::decimals(value) > 3 {
        return Err(Error::invalid(field, "at most 3 decimals"));
    }
    Ok(())
}

fn too_large(field: &str) -> Error {
    Error::invalid(field, "amount is too large (limit 10^12 cents)")
}

/// `a × b`, or the field's "too large" error where the product leaves Decimal's range (it
/// would panic with `*`).
fn product(a: Decimal, b: Decimal, field: &str) -> Result<Decimal, Error> {
    a.checked_mul(b).ok_or_else(|| too_large(field))
}

/// `base × percent / 100` in whole cents.
fn percent_of(base: i64, percent: Decimal, field: &str) -> Result<i64, Error> {
    let scaled = product(Decimal::from(base), percent, field)?;
    cents(round_cents(scaled / Decimal::ONE_HUNDRED), field)
}

fn cents(value: Decimal, field: &str) -> Result<i64, Error> {
    if value.abs() > Decimal::from(MAX_AMOUNT_CENTS) {
        return Err(too_large(field));
    }
    i64::try_from(value).map_err(|_| too_large(field))
}

/// The discount on `base` cents; `path` names the discount object for errors.
fn discount_cents(discount: Option<&Discount>, base: i64, path: &str) -> Result<i64, Error> {
    match discount {
        None => Ok(0),
        Some(Discount::Percent { value }) => {
            check_percent(*value, &format!("{path}.value"))?;
            percent_of(base, *value, path)
        }
        Some(Discount::Flat { value_cents }) => {
            if *value_cents < 0 || *value_cents > base {
                return Err(Error::invalid(
                    format!("{path}.value_cents"),
                    format!("must be between 0 and the amount it discounts ({base})"),
                ));
            }
            Ok(*value_cents)
        }
    }
}

pub fn compute_totals(
    lines: &[LineCalc<'_>],
    discount: Option<&Discount>,
    tax_rate: Option<Decimal>,
) -> Result<Totals, Error> {
    let mut line_totals = Vec::with_capacity(lines.len());
    let mut subtotal: i64 = 0;
    for (i, line) in lines.iter().enumerate() {
        let path = format!("line_items[{i}]");
        let gross = cents(round_cents(product(line.quantity, Decimal::from(line.unit_price_cents), &path)?), &path)?;
        let disc = discount_cents(line.discount, gross, &format!("{path}.discount"))?;
        let total = gross - disc;
        subtotal = subtotal
            .checked_add(total)
            .filter(|s| *s <= MAX_AMOUNT_CENTS)
            .ok_or_else(|| Error::invalid("line_items", "subtotal is too large (limit 10^12 cents)"))?;
        line_totals.push(LineTotals { gross_cents: gross, discount_cents: disc, total_cents: total });
    }
    let discount_cents = discount_cents(discount, subtotal, "discount")?;
    let taxable = subtotal - discount_cents;
    let tax_cents = match tax_rate {
        None => 0,
        Some(rate) => {
            check_percent(rate, "tax.rate")?;
            percent_of(taxable, rate, "tax.rate")?
        }
    };
    let total = taxable.saturating_add(tax_cents);
    if total > MAX_AMOUNT_CENTS {
        return Err(Error::invalid("line_items", "total is too large (limit 10^12 cents)"));
    }
    Ok(Totals {
        lines: line_totals,
        subtotal_cents: subtotal,
        discount_cents,
        taxable_cents: taxable,
        tax_cents,
        total_cents: total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_worked_example() {
        let ten = Discount::Percent { value: d("10") };
        let lines = [
            LineCalc { quantity: d("1.5"), unit_price_cents: 12_000, discount: None },
            LineCalc { quantity: d("3"), unit_price_cents: 3_333, discount: Some(&ten) },
        ];
        let flat = Discount::Flat { value_cents: 1_000 };
        let t = compute_totals(&lines, Some(&flat), Some(d("8.875"))).unwrap();
        // 1.5 × 120.00 = 180.00; 3 × 33.33 = 99.99 less 10% (9.999 → 10.00) = 89.99
        assert_eq!(t.lines[0].total_cents, 18_000);
        assert_eq!(t.lines[1], LineTotals { gross_cents: 9_999, discount_cents: 1_000, total_cents: 8_999 });
        assert_eq!(t.subtotal_cents, 26_999);
        assert_eq!(t.taxable_cents, 25_999);
        // 259.99 × 8.875% = 23.0741… → 23.07
        assert_eq!(t.tax_cents, 2_307);
        assert_eq!(t.total_cents, 28_306);
    }

    #[test]
    fn half_a_cent_rounds_away_from_zero() {
        let lines = [LineCalc { quantity: d("0.5"), unit_price_cents: 1, discount: None }];
        assert_eq!(compute_totals(&lines, None, None).unwrap().total_cents, 1);
    }

    #[test]
    fn flat_discounts_cannot_exceed_what_they_discount() {
        let big = Discount::Flat { value_cents: 101 };
        let lines = [LineCalc { quantity: d("1"), unit_price_cents: 100, discount: Some(&big) }];
        let err = compute_totals(&lines, None, None).unwrap_err();
        assert_eq!(err.field(), Some("line_items[0].discount.value_cents"));
        let lines = [LineCalc { quantity: d("1"), unit_price_cents: 100, discount: None }];
        let err = compute_totals(&lines, Some(&big), None).unwrap_err();
        assert_eq!(err.field(), Some("discount.value_cents"));
    }

    #[test]
    fn amounts_beyond_the_limit_are_refused() {
        let lines = [LineCalc { quantity: d("1000001"), unit_price_cents: 1_000_000, discount: None }];
        assert_eq!(compute_totals(&lines, None, None).unwrap_err().field(), Some("line_items[0]"));
        assert_eq!(compute_totals(&[], None, Some(d("100.0001"))).unwrap_err().field(), Some("tax.rate"));
    }

    #[test]
    fn products_beyond_the_decimal_range_are_refused_not_panicked() {
        let lines = [LineCalc { quantity: Decimal::MAX, unit_price_cents: i64::MAX, discount: None }];
        assert_eq!(compute_totals(&lines, None, None).unwrap_err().field(), Some("line_items[0]"));
        let lines = [LineCalc { quantity: Decimal::MIN, unit_price_cents: i64::MIN, discount: None }];
        assert_eq!(compute_totals(&lines, None, None).unwrap_err().field(), Some("line_items[0]"));
    }
}

//! The one totals function (DESIGN.md §4). The API, the editor (wasm) and the PDF all read
//! its result; nothing else computes money.

use crate::decimal::round_cents;
use crate::dto::Discount;
use crate::vat::TaxCategory;
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

/// The seed's totals: one tax rate for every line (none: no tax). One group of the VAT
/// totals below — standard at `tax_rate`, zero-rated at 0 — so both read the same numbers.
pub fn compute_totals(
    lines: &[LineCalc<'_>],
    discount: Option<&Discount>,
    tax_rate: Option<Decimal>,
) -> Result<Totals, Error> {
    let rate = tax_rate.unwrap_or_default();
    check_percent(rate, "tax.rate")?;
    let category = if rate.is_zero() { TaxCategory::ZeroRated } else { TaxCategory::Standard };
    let taxed: Vec<TaxedLine<'_>> = lines.iter().map(|&line| TaxedLine { line, category, rate }).collect();
    compute_vat_totals(&taxed, discount, false)
}

/// A line with its VAT: category and rate (percent; 0 for every category but standard).
#[derive(Debug, Clone, Copy)]
pub struct TaxedLine<'a> {
    pub line: LineCalc<'a>,
    pub category: TaxCategory,
    pub rate: Decimal,
}

/// One VAT breakdown group (EN 16931 BG-23): the lines of one category and rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTotals {
    pub category: TaxCategory,
    pub rate: Decimal,
    /// Σ of its lines' net amounts (BT-131).
    pub lines_cents: i64,
    /// Its share of the invoice discount, net of VAT (part of BT-107).
    pub discount_cents: i64,
    /// BT-116 = lines − discount.
    pub taxable_cents: i64,
    /// BT-117 = round(taxable × rate / 100) (BR-CO-17).
    pub tax_cents: i64,
    /// Prices including tax only: what taxable + tax falls short of the lines' gross (±1).
    pub rounding_cents: i64,
}

/// Totals with a VAT breakdown. `lines[i].total_cents` is the line's net amount (BT-131),
/// also when prices include tax (then derived so the group's lines add up exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub lines: Vec<LineTotals>,
    pub groups: Vec<GroupTotals>,
    /// BT-106: Σ line net amounts.
    pub subtotal_cents: i64,
    /// BT-107: the invoice discount, net of VAT.
    pub discount_cents: i64,
    /// BT-109.
    pub taxable_cents: i64,
    /// BT-110.
    pub tax_cents: i64,
    /// BT-114.
    pub rounding_cents: i64,
    /// What is payable before any payment: BT-112 + BT-114.
    pub total_cents: i64,
}

/// The line amounts as entered (net, or gross when prices include tax), after line discounts.
fn entered_line(line: &LineCalc<'_>, i: usize) -> Result<LineTotals, Error> {
    let path = format!("line_items[{i}]");
    let gross = cents(round_cents(product(line.quantity, Decimal::from(line.unit_price_cents), &path)?), &path)?;
    let disc = discount_cents(line.discount, gross, &format!("{path}.discount"))?;
    Ok(LineTotals { gross_cents: gross, discount_cents: disc, total_cents: gross - disc })
}

/// What makes a VAT group: its category and (normalized) rate.
pub(crate) type GroupKey = (TaxCategory, Decimal);

/// The groups' keys in the order their first line comes, and which group each line is in.
fn group_keys(lines: &[TaxedLine<'_>]) -> Result<(Vec<GroupKey>, Vec<usize>), Error> {
    let mut keys: Vec<GroupKey> = Vec::new();
    let mut of_line = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        check_percent(l.rate, &format!("line_items[{i}].tax.rate"))?;
        if l.category.is_zero_rate() && !l.rate.is_zero() {
            let why = format!("a {} line has rate 0", l.category.as_str());
            return Err(Error::invalid(format!("line_items[{i}].tax.rate"), why));
        }
        let key = (l.category, l.rate.normalize());
        let at = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
            keys.push(key);
            keys.len() - 1
        });
        of_line.push(at);
    }
    Ok((keys, of_line))
}

/// The invoice discount's share of each group whose entered amounts are `amounts`: a percent
/// of each, or a flat amount split by the groups' amounts (largest remainder).
pub(crate) fn discount_shares(discount: Option<&Discount>, amounts: &[i64]) -> Result<Vec<i64>, Error> {
    let whole: i64 = amounts.iter().sum();
    match discount {
        Some(Discount::Percent { .. }) => amounts.iter().map(|a| discount_cents(discount, *a, "discount")).collect(),
        Some(Discount::Flat { .. }) => Ok(crate::vat::apportion(discount_cents(discount, whole, "discount")?, amounts)),
        None => Ok(vec![0; amounts.len()]),
    }
}

/// The one totals function (DESIGN.md §4): lines grouped by VAT category and rate, the
/// invoice discount split over the groups, tax per group; with `prices_include_tax` the
/// entered amounts are gross and each group is split by `vat::split_inclusive`.
pub fn compute_vat_totals(
    lines: &[TaxedLine<'_>],
    discount: Option<&Discount>,
    prices_include_tax: bool,
) -> Result<Totals, Error> {
    compute_with_shares(lines, prices_include_tax, |amounts| discount_shares(discount, amounts))
}

/// The lines as entered, the groups' keys, each line's group and each group's entered amount.
pub(crate) struct Entered {
    pub lines: Vec<LineTotals>,
    pub keys: Vec<GroupKey>,
    pub of_line: Vec<usize>,
    pub amounts: Vec<i64>,
}

pub(crate) fn entered(lines: &[TaxedLine<'_>]) -> Result<Entered, Error> {
    let mut entered = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        entered.push(entered_line(&l.line, i)?);
    }
    let (keys, of_line) = group_keys(lines)?;
    let mut amounts = vec![0i64; keys.len()];
    for (line, group) in entered.iter().zip(&of_line) {
        amounts[*group] = amounts[*group]
            .checked_add(line.total_cents)
            .filter(|a| *a <= MAX_AMOUNT_CENTS)
            .ok_or_else(|| Error::invalid("line_items", "subtotal is too large (limit 10^12 cents)"))?;
    }
    if amounts.iter().try_fold(0i64, |s, a| s.checked_add(*a).filter(|s| *s <= MAX_AMOUNT_CENTS)).is_none() {
        return Err(Error::invalid("line_items", "subtotal is too large (limit 10^12 cents)"));
    }
    Ok(Entered { lines: entered, keys, of_line, amounts })
}

/// [`compute_vat_totals`] with the invoice discount's share of each group given by
/// `shares_of(group amounts)` (a credit note scales the invoice's shares: `credit`).
pub(crate) fn compute_with_shares(
    lines: &[TaxedLine<'_>],
    prices_include_tax: bool,
    shares_of: impl FnOnce(&[i64]) -> Result<Vec<i64>, Error>,
) -> Result<Totals, Error> {
    let Entered { lines: entered, keys, of_line, amounts } = entered(lines)?;
    let shares = shares_of(&amounts)?;
    let mut groups = Vec::with_capacity(keys.len());
    let mut lines_out = entered.clone();
    for (g, (category, rate)) in keys.iter().enumerate() {
        let after = amounts[g] - shares[g];
        let group = if prices_include_tax {
            let split = crate::vat::split_inclusive(after, *rate);
            // The discount net of VAT, and the lines' net amounts adding up to taxable + it.
            let discount_net = shares[g] - crate::vat::split_inclusive(shares[g], *rate).tax_cents;
            let lines_net = split.taxable_cents + discount_net;
            let members: Vec<usize> = (0..entered.len()).filter(|i| of_line[*i] == g).collect();
            let weights: Vec<i64> = members.iter().map(|i| entered[*i].total_cents).collect();
            for (i, net) in members.iter().zip(crate::vat::apportion(lines_net, &weights)) {
                lines_out[*i].total_cents = net;
            }
            GroupTotals {
                category: *category,
                rate: *rate,
                lines_cents: lines_net,
                discount_cents: discount_net,
                taxable_cents: split.taxable_cents,
                tax_cents: split.tax_cents,
                rounding_cents: split.rounding_cents,
            }
        } else {
            GroupTotals {
                category: *category,
                rate: *rate,
                lines_cents: amounts[g],
                discount_cents: shares[g],
                taxable_cents: after,
                tax_cents: crate::vat::tax_of(after, *rate),
                rounding_cents: 0,
            }
        };
        groups.push(group);
    }
    let sum = |f: fn(&GroupTotals) -> i64| groups.iter().map(f).sum::<i64>();
    let (taxable, tax, rounding) = (sum(|g| g.taxable_cents), sum(|g| g.tax_cents), sum(|g| g.rounding_cents));
    let total = taxable.saturating_add(tax).saturating_add(rounding);
    if total > MAX_AMOUNT_CENTS {
        return Err(Error::invalid("line_items", "total is too large (limit 10^12 cents)"));
    }
    Ok(Totals {
        subtotal_cents: sum(|g| g.lines_cents),
        discount_cents: sum(|g| g.discount_cents),
        lines: lines_out,
        groups,
        taxable_cents: taxable,
        tax_cents: tax,
        rounding_cents: rounding,
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

#![cfg(not(target_arch = "wasm32"))]
//! EN 16931's totals rules (BR-CO-10 … BR-CO-17, and each group's taxable amount) hold for
//! 10,000 random invoices with several VAT rates and categories, line and invoice discounts
//! of both kinds, decimal quantities, and prices with or without tax; and the seed's one-rate
//! totals are the one-group case of the same function.

use domain::dto::Discount;
use domain::totals::{LineCalc, TaxedLine, compute_totals, compute_vat_totals};
use domain::vat::{TaxCategory, tax_of};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use std::cell::Cell;

fn rate() -> impl Strategy<Value = (TaxCategory, Decimal)> {
    prop_oneof![
        prop::sample::select(vec!["19", "7", "20", "5.5", "21", "8.875", "10", "0"])
            .prop_map(|r| (TaxCategory::Standard, r.parse::<Decimal>().unwrap())),
        prop::sample::select(TaxCategory::ALL.to_vec()).prop_map(|c| (c, Decimal::ZERO)),
    ]
    .prop_map(|(c, r)| if r.is_zero() && c == TaxCategory::Standard { (TaxCategory::ZeroRated, r) } else { (c, r) })
}

fn percent() -> impl Strategy<Value = Decimal> {
    (0i64..=100_000).prop_map(|m| Decimal::new(m, 3))
}

/// A line: quantity (up to 3 decimals), unit price, a discount within its amount, its VAT.
type Line = (Decimal, i64, Option<Discount>, (TaxCategory, Decimal));

fn line() -> impl Strategy<Value = Line> {
    (1i64..=100_000, 0i64..=500_000, rate()).prop_flat_map(|(q, price, tax)| {
        let q = Decimal::new(q, 3);
        let gross: i64 = (q * Decimal::from(price)).floor().try_into().unwrap_or(0);
        let discount = prop_oneof![
            Just(None),
            percent().prop_map(|value| Some(Discount::Percent { value })),
            (0..=gross).prop_map(|value_cents| Some(Discount::Flat { value_cents })),
        ];
        (Just(q), Just(price), discount, Just(tax))
    })
}

#[derive(Debug, Clone)]
struct Generated {
    lines: Vec<Line>,
    /// (flat, percent, per mille of the lines' amount for a flat one)
    discount: Option<(bool, Decimal, i64)>,
    inclusive: bool,
}

fn invoice() -> impl Strategy<Value = Generated> {
    (prop::collection::vec(line(), 1..=12), prop::option::of((any::<bool>(), percent(), 0i64..=1_000)), any::<bool>())
        .prop_map(|(lines, discount, inclusive)| Generated { lines, discount, inclusive })
}

#[test]
fn en_16931_totals_rules_hold_for_random_invoices() {
    let mut runner = TestRunner::new(Config { cases: 10_000, ..Config::default() });
    let (tried, checked) = (Cell::new(0u32), Cell::new(0u32));
    let outcome = runner.run(&invoice(), |g| {
        tried.set(tried.get() + 1);
        let taxed: Vec<TaxedLine<'_>> = g
            .lines
            .iter()
            .map(|(q, p, d, (category, rate))| TaxedLine {
                line: LineCalc { quantity: *q, unit_price_cents: *p, discount: d.as_ref() },
                category: *category,
                rate: *rate,
            })
            .collect();
        let plain = compute_vat_totals(&taxed, None, g.inclusive);
        prop_assert!(plain.is_ok(), "inside the limits: {plain:?}");
        // What the lines add up to as entered (net, or gross with tax included).
        let entered = compute_vat_totals(&taxed, None, false).map(|t| t.subtotal_cents).unwrap_or_default();
        let discount = g.discount.map(|(flat, value, per_mille)| match flat {
            true => Discount::Flat { value_cents: entered * per_mille / 1_000 },
            false => Discount::Percent { value },
        });
        let result = compute_vat_totals(&taxed, discount.as_ref(), g.inclusive);
        prop_assert!(result.is_ok(), "inside the limits: {result:?}");
        let Ok(t) = result else { return Ok(()) };
        checked.set(checked.get() + 1);
        // BR-CO-10: Σ line net amounts = BT-106.
        prop_assert_eq!(t.lines.iter().map(|l| l.total_cents).sum::<i64>(), t.subtotal_cents);
        // BR-CO-11 and BR-CO-13: BT-109 = BT-106 − BT-107 (allowances, split over groups).
        prop_assert_eq!(t.groups.iter().map(|gr| gr.discount_cents).sum::<i64>(), t.discount_cents);
        prop_assert_eq!(t.taxable_cents, t.subtotal_cents - t.discount_cents);
        // BR-CO-14: BT-110 = Σ BT-117. BR-CO-15 / 16: payable = BT-109 + BT-110 + BT-114.
        prop_assert_eq!(t.groups.iter().map(|gr| gr.tax_cents).sum::<i64>(), t.tax_cents);
        prop_assert_eq!(t.total_cents, t.taxable_cents + t.tax_cents + t.rounding_cents);
        for (n, gr) in t.groups.iter().enumerate() {
            // Each group: BT-116 = Σ its lines − its allowances; BR-CO-17: tax = round(BT-116 × rate).
            let members: i64 = t
                .lines
                .iter()
                .zip(&taxed)
                .filter(|(_, l)| (l.category, l.rate.normalize()) == (gr.category, gr.rate))
                .map(|(line, _)| line.total_cents)
                .sum();
            prop_assert_eq!(members, gr.lines_cents, "group {}", n);
            prop_assert_eq!(gr.taxable_cents, gr.lines_cents - gr.discount_cents, "group {}", n);
            prop_assert_eq!(gr.tax_cents, tax_of(gr.taxable_cents, gr.rate), "BR-CO-17, group {}", n);
            prop_assert!(gr.rounding_cents.abs() <= 1, "group {} rounds by a cent at most", n);
            prop_assert!(g.inclusive || gr.rounding_cents == 0);
            prop_assert!(gr.category == TaxCategory::Standard || gr.tax_cents == 0, "no VAT outside S");
        }
        // Gross prices: the total is what the entered amounts add up to, less the discount.
        if g.inclusive {
            // The discount's shares are taken of the entered amounts either way.
            let shares = compute_vat_totals(&taxed, discount.as_ref(), false).map(|e| e.discount_cents);
            prop_assert_eq!(t.total_cents, entered - shares.unwrap_or_default());
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(tried.get() >= 10_000);
    assert_eq!(checked.get(), tried.get(), "every generated invoice was accepted and checked");
}

/// Half away from zero to whole cents, written out here apart from the domain's helpers.
fn round(value: Decimal) -> i64 {
    value.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero).try_into().unwrap_or(i64::MAX)
}

#[test]
fn one_rate_totals_keep_the_seeds_formulas() {
    let mut runner = TestRunner::new(Config { cases: 2_000, ..Config::default() });
    let strategy = (prop::collection::vec(line(), 1..=8), prop::option::of(percent()), percent());
    let outcome = runner.run(&strategy, |(lines, rate, pct)| {
        let calcs: Vec<LineCalc<'_>> = lines
            .iter()
            .map(|(q, p, d, _)| LineCalc { quantity: *q, unit_price_cents: *p, discount: d.as_ref() })
            .collect();
        let t = compute_totals(&calcs, Some(&Discount::Percent { value: pct }), rate).unwrap();
        // The seed's rules, by hand: line net = round(q × p) − its discount; the invoice
        // discount is round(subtotal × pct); tax = round(taxable × rate), all on one total.
        let hundred = Decimal::ONE_HUNDRED;
        let subtotal: i64 = lines
            .iter()
            .map(|(q, p, d, _)| {
                let gross = round(*q * Decimal::from(*p));
                gross
                    - match d {
                        Some(Discount::Percent { value }) => round(Decimal::from(gross) * value / hundred),
                        Some(Discount::Flat { value_cents }) => *value_cents,
                        None => 0,
                    }
            })
            .sum();
        let discount = round(Decimal::from(subtotal) * pct / hundred);
        let tax = round(Decimal::from(subtotal - discount) * rate.unwrap_or_default() / hundred);
        prop_assert_eq!((t.subtotal_cents, t.discount_cents), (subtotal, discount));
        prop_assert_eq!((t.tax_cents, t.total_cents), (tax, subtotal - discount + tax));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

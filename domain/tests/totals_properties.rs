#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the one totals function (DESIGN.md §4), over invoices generated inside
//! the limits (at most 50 lines, every amount within ±10^12 cents, discounts within what they
//! discount): every one of them must be accepted, and its totals must hold together. Refusals
//! are tested apart, at the limits themselves (extreme_inputs.rs).

use domain::dto::Discount;
use domain::totals::{LineCalc, compute_totals};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use std::cell::Cell;

/// Up to 10,000 with up to 6 decimals.
fn quantity() -> impl Strategy<Value = Decimal> {
    (1i64..=10_000, 0u32..=6).prop_flat_map(|(whole, scale)| {
        let max = whole * 10i64.pow(scale);
        (1i64..=max).prop_map(move |m| Decimal::new(m, scale))
    })
}

fn percent() -> impl Strategy<Value = Decimal> {
    (0i64..=100_000).prop_map(|m| Decimal::new(m, 3))
}

/// A discount within `base`: a percent, or a flat amount of at most `base`.
fn discount_within(base: i64) -> impl Strategy<Value = Option<Discount>> {
    prop_oneof![
        Just(None),
        percent().prop_map(|value| Some(Discount::Percent { value })),
        (0..=base.max(0)).prop_map(|value_cents| Some(Discount::Flat { value_cents })),
    ]
}

/// A line of at most 10,000 × $10,000 (so 50 of them stay far inside 10^12 cents), with a
/// discount within its gross.
fn line() -> impl Strategy<Value = (Decimal, i64, Option<Discount>)> {
    (quantity(), 0i64..=1_000_000).prop_flat_map(|(q, price)| {
        let gross = (q * Decimal::from(price)).floor().try_into().unwrap_or(0i64);
        (Just(q), Just(price), discount_within(gross))
    })
}

/// An invoice: its lines, an invoice discount (flat ones as a share, in per mille, of the
/// discounted subtotal, since that is their bound), and a tax rate.
#[derive(Debug, Clone)]
struct Generated {
    lines: Vec<(Decimal, i64, Option<Discount>)>,
    invoice_discount: Option<(bool, Decimal, i64)>,
    rate: Option<Decimal>,
}

fn invoice() -> impl Strategy<Value = Generated> {
    let invoice_discount = prop::option::of((any::<bool>(), percent(), 0i64..=1_000));
    (prop::collection::vec(line(), 1..=domain::MAX_LINE_ITEMS), invoice_discount, prop::option::of(percent()))
        .prop_map(|(lines, invoice_discount, rate)| Generated { lines, invoice_discount, rate })
}

fn calcs(lines: &[(Decimal, i64, Option<Discount>)]) -> Vec<LineCalc<'_>> {
    lines.iter().map(|(q, p, d)| LineCalc { quantity: *q, unit_price_cents: *p, discount: d.as_ref() }).collect()
}

#[test]
fn every_invoice_inside_the_limits_is_accepted_and_its_totals_hold() {
    let mut runner = TestRunner::new(Config { cases: 1_024, ..Config::default() });
    let (tried, accepted) = (Cell::new(0u32), Cell::new(0u32));
    let outcome = runner.run(&invoice(), |g| {
        tried.set(tried.get() + 1);
        let lines = calcs(&g.lines);
        let before = compute_totals(&lines, None, g.rate);
        prop_assert!(before.is_ok(), "lines inside the limits refused: {before:?}");
        let subtotal = before.map(|t| t.subtotal_cents).unwrap_or_default();
        let discount = g.invoice_discount.map(|(flat, value, per_mille)| match flat {
            true => Discount::Flat { value_cents: subtotal * per_mille / 1_000 },
            false => Discount::Percent { value },
        });
        let totals = compute_totals(&lines, discount.as_ref(), g.rate);
        prop_assert!(totals.is_ok(), "an invoice inside the limits refused: {totals:?}");
        let Ok(t) = totals else { return Ok(()) };
        accepted.set(accepted.get() + 1);
        prop_assert!(t.total_cents >= 0 && t.tax_cents >= 0 && t.discount_cents >= 0);
        prop_assert!(t.discount_cents <= t.subtotal_cents);
        prop_assert!(t.lines.iter().all(|l| l.total_cents >= 0 && l.total_cents == l.gross_cents - l.discount_cents));
        prop_assert_eq!(t.lines.iter().map(|l| l.total_cents).sum::<i64>(), t.subtotal_cents);
        prop_assert_eq!(t.taxable_cents, t.subtotal_cents - t.discount_cents);
        prop_assert_eq!(t.total_cents, t.taxable_cents + t.tax_cents);
        prop_assert!(t.total_cents <= domain::MAX_AMOUNT_CENTS);
        // Idempotent: the same input gives the same totals again.
        prop_assert_eq!(compute_totals(&lines, discount.as_ref(), g.rate).ok(), Some(t));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(tried.get() >= 1_024, "every case ran: {}", tried.get());
    assert_eq!(accepted.get(), tried.get(), "every generated invoice was accepted and checked");
}

#[test]
fn percent_discounts_never_exceed_their_base() {
    let mut runner = TestRunner::new(Config { cases: 512, ..Config::default() });
    let strategy = (prop::collection::vec(line(), 1..10), percent());
    let checked = Cell::new(0u32);
    let outcome = runner.run(&strategy, |(lines, pct)| {
        let plain: Vec<_> = lines.into_iter().map(|(q, p, _)| (q, p, None)).collect();
        let d = Discount::Percent { value: pct };
        let totals = compute_totals(&calcs(&plain), Some(&d), None);
        prop_assert!(totals.is_ok(), "{totals:?}");
        let Ok(t) = totals else { return Ok(()) };
        checked.set(checked.get() + 1);
        prop_assert!(t.discount_cents <= t.subtotal_cents);
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert!(checked.get() >= 512);
}

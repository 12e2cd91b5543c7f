#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the one totals function (DESIGN.md §4).

use domain::dto::Discount;
use domain::totals::{LineCalc, compute_totals};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn quantity() -> impl Strategy<Value = Decimal> {
    (1i64..100_000_000, 0u32..=6).prop_map(|(m, scale)| Decimal::new(m, scale))
}

fn percent() -> impl Strategy<Value = Decimal> {
    (0i64..=100_000).prop_map(|m| Decimal::new(m, 3))
}

fn discount() -> impl Strategy<Value = Option<Discount>> {
    prop_oneof![
        Just(None),
        percent().prop_map(|value| Some(Discount::Percent { value })),
        (0i64..2_000_000).prop_map(|value_cents| Some(Discount::Flat { value_cents })),
    ]
}

fn line() -> impl Strategy<Value = (Decimal, i64, Option<Discount>)> {
    (quantity(), 0i64..10_000_000, discount())
}

proptest! {
    #[test]
    fn totals_are_consistent(
        lines in prop::collection::vec(line(), 1..20),
        invoice_discount in discount(),
        rate in prop::option::of(percent()),
    ) {
        let calcs: Vec<LineCalc<'_>> = lines
            .iter()
            .map(|(q, p, d)| LineCalc { quantity: *q, unit_price_cents: *p, discount: d.as_ref() })
            .collect();
        // Refusals (a flat discount above its base, amounts past the limit) are fine; whenever
        // totals come back they must hold together.
        if let Ok(t) = compute_totals(&calcs, invoice_discount.as_ref(), rate) {
            prop_assert!(t.total_cents >= 0);
            prop_assert!(t.tax_cents >= 0 && t.discount_cents >= 0);
            prop_assert!(t.lines.iter().all(|l| l.total_cents >= 0 && l.total_cents == l.gross_cents - l.discount_cents));
            prop_assert_eq!(t.lines.iter().map(|l| l.total_cents).sum::<i64>(), t.subtotal_cents);
            prop_assert_eq!(t.taxable_cents, t.subtotal_cents - t.discount_cents);
            prop_assert_eq!(t.total_cents, t.taxable_cents + t.tax_cents);
            prop_assert!(t.total_cents <= domain::MAX_AMOUNT_CENTS);
            // Idempotent: the same input gives the same totals again.
            let again = compute_totals(&calcs, invoice_discount.as_ref(), rate).unwrap();
            prop_assert_eq!(again, t);
        }
    }

    #[test]
    fn percent_discounts_never_exceed_their_base(lines in prop::collection::vec(line(), 1..10), pct in percent()) {
        let calcs: Vec<LineCalc<'_>> = lines
            .iter()
            .map(|(q, p, _)| LineCalc { quantity: *q, unit_price_cents: *p, discount: None })
            .collect();
        let d = Discount::Percent { value: pct };
        if let Ok(t) = compute_totals(&calcs, Some(&d), None) {
            prop_assert!(t.discount_cents <= t.subtotal_cents);
        }
    }
}

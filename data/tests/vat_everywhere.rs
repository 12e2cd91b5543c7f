//! Issue 24's property across the surfaces: for thousands of random invoices (several rates and
//! categories, discounts of both kinds, prices with and without tax, decimal quantities), as
//! the API stores and returns them, EN 16931's sums hold (BR-CO-10 … BR-CO-17), the editor's
//! form — the code the browser runs as wasm — computes the very same cents, and the printed
//! document the share page and the PDF both lay out states those cents, in every language.
//! (tests/totals_everywhere.rs in `server` checks the page's HTML and the PDF's text.)

use data::events::Actor;
use data::testkit::{Backend, TestDb};
use data::{invoices, on_both_databases, senders};
use domain::Language;
use domain::dto::Invoice;
use domain::forms::InvoiceForm;
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// SplitMix64: the same invoices on every run and machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, from: &'a [Value]) -> &'a Value {
        &from[self.below(from.len() as u64) as usize]
    }
}

fn discount(r: &mut Random, most_flat: u64) -> Value {
    match r.below(3) {
        0 => Value::Null,
        1 => json!({"type": "percent", "value": r.below(50_001) as f64 / 1000.0}),
        _ => json!({"type": "flat", "value_cents": r.below(most_flat + 1)}),
    }
}

fn invoice(r: &mut Random) -> Value {
    let taxes = [
        Value::Null,
        Value::Null,
        json!({"rate": 7}),
        json!({"rate": 19}),
        json!({"rate": 20.5}),
        json!({"rate": 8.875}),
        json!({"category": "zero_rated"}),
        json!({"category": "reverse_charge"}),
        json!({"category": "export"}),
        json!({"category": "outside_scope"}),
        json!({"category": "exempt", "exemption_reason": "Article 132(1)(g) of Directive 2006/112/EC"}),
    ];
    let lines: Vec<Value> = (0..1 + r.below(6))
        .map(|_| {
            let quantity = (1 + r.below(20_000)) as f64 / 1000.0;
            let price = 1 + r.below(2_000_000);
            // A flat line discount is at most what the line comes to (quantity ≥ 0.001).
            json!({"description": "Work", "quantity": quantity, "unit_price_cents": price,
                   "discount": discount(r, price / 1000), "tax": r.pick(&taxes)})
        })
        .collect();
    let rate = [0.0, 7.0, 19.0, 21.0, 8.875][r.below(5) as usize];
    let currency = ["EUR", "USD", "JPY", "KWD"][r.below(4) as usize];
    let language = ["en", "de", "fr"][r.below(3) as usize];
    json!({"due_date": "2031-01-31", "currency": currency,
           "recipient": {"company": "Acme", "vat_id": "FR40303265045"},
           "line_items": lines, "discount": discount(r, 100), "tax": {"label": "VAT", "rate": rate},
           "prices_include_tax": r.below(2) == 1, "language": language})
}

/// round(taxable × rate / 100), half away from zero.
fn tax_of(taxable: i64, rate: Decimal) -> i64 {
    let exact = Decimal::from(taxable) * rate / Decimal::ONE_HUNDRED;
    i64::try_from(exact.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)).unwrap()
}

fn assert_en16931(inv: &Invoice) {
    let lines: i64 = inv.line_items.iter().map(|l| l.line_total_cents).sum();
    assert_eq!(lines, inv.subtotal_cents, "BR-CO-10 {}", inv.id);
    let taxable: i64 = inv.tax_breakdown.iter().map(|g| g.taxable_cents).sum();
    assert_eq!(taxable, inv.subtotal_cents - inv.discount_cents, "BR-CO-13 {}", inv.id);
    assert_eq!(inv.tax_breakdown.iter().map(|g| g.tax_cents).sum::<i64>(), inv.tax_cents, "BR-CO-14 {}", inv.id);
    assert_eq!(taxable + inv.tax_cents + inv.rounding_cents, inv.total_cents, "BR-CO-15/16 {}", inv.id);
    for g in &inv.tax_breakdown {
        assert_eq!(g.tax_cents, tax_of(g.taxable_cents, g.rate), "BR-CO-17 {} {g:?}", inv.id);
        assert!(g.rounding_cents.abs() <= 1, "{g:?}");
    }
}

/// The editor's form for the invoice computes what the API stored.
fn assert_editor_agrees(inv: &Invoice) {
    let form = InvoiceForm::from_invoice(inv);
    let (totals, breakdown) = form.totals_with_breakdown(|_| None).expect("the editor computes it");
    assert_eq!(
        (totals.subtotal_cents, totals.discount_cents, totals.tax_cents, totals.rounding_cents, totals.total_cents),
        (inv.subtotal_cents, inv.discount_cents, inv.tax_cents, inv.rounding_cents, inv.total_cents),
        "{}",
        inv.id
    );
    let cents = |b: &[domain::dto::TaxBreakdown]| {
        b.iter().map(|g| (g.taxable_cents, g.tax_cents, g.gross_cents)).collect::<Vec<_>>()
    };
    assert_eq!(cents(&breakdown), cents(&inv.tax_breakdown), "{}", inv.id);
    let lines: Vec<i64> = totals.lines.iter().map(|l| l.total_cents).collect();
    assert_eq!(lines, inv.line_items.iter().map(|l| l.line_total_cents).collect::<Vec<_>>(), "{}", inv.id);
}

/// The printed document (the share page's and the PDF's) states the stored cents.
fn assert_printed_agrees(inv: &Invoice, card: &domain::dto::SenderCard) {
    for language in Language::ALL {
        let printed = i18n::document::print(inv, card, language);
        let money = |cents: i64| i18n::money(language, cents, &inv.currency);
        let amounts: Vec<&str> = printed.totals.iter().map(|t| t.amount.as_str()).collect();
        assert!(amounts.contains(&money(inv.subtotal_cents).as_str()), "{} {amounts:?}", inv.id);
        assert_eq!(
            printed.totals.iter().find(|t| t.test_id == "invoice-total").map(|t| t.amount.clone()),
            Some(money(inv.total_cents))
        );
        if !domain::document::is_untaxed(inv) {
            for (i, g) in inv.tax_breakdown.iter().enumerate() {
                let row =
                    printed.totals.iter().find(|t| t.test_id == format!("invoice-vat-{i}")).expect("a row per rate");
                assert_eq!(row.amount, money(g.tax_cents), "{}", inv.id);
                assert!(row.label.contains(&money(g.taxable_cents)), "{} {}", inv.id, row.label);
            }
        }
        for (row, line) in printed.rows.iter().zip(&inv.line_items) {
            assert_eq!(row.last(), Some(&money(line.line_total_cents)), "{}", inv.id);
        }
    }
}

async fn every_surface_states_the_same_cents(db: TestDb) {
    // Many on SQLite; fewer on PostgreSQL, whose writes are slower, for the same property.
    let count = if db.backend == Backend::Sqlite { 10_000 } else { 1_000 };
    let store = db.store().await;
    let me = senders::ensure(&store.db, store.now(), "vat@studio.test", Some("Studio Nord")).await.unwrap();
    let card = senders::card(&me);
    let mut r = Random(24);
    let mut made = 0;
    while made < count {
        let body = invoice(&mut r);
        let inv = match invoices::create(&store, &me, serde_json::from_value(body.clone()).unwrap(), Actor::Api).await {
            Ok(inv) => inv,
            // Beyond 10^12 cents, or a flat invoice discount larger than what it discounts.
            Err(data::Error::Invalid { .. }) => continue,
            Err(e) => panic!("{e}: {body}"),
        };
        assert_en16931(&inv);
        assert_editor_agrees(&inv);
        assert_printed_agrees(&inv, &card);
        made += 1;
    }
}
on_both_databases!(every_surface_states_the_same_cents);

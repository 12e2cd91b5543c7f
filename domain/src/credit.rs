//! What a credit note credits (issue 26), from the one totals function.
//!
//! A credit note credits quantities of the invoice's lines. Its amounts are the difference
//! between the totals of everything credited after it and of everything credited before
//! it, each a [`CreditBasis::part`] of the invoice computed by the one totals function. The
//! differences telescope: however an invoice is credited, in one note or in many, the notes
//! add up per line, per VAT group and in total to exactly what the credited part of the
//! invoice comes to, and crediting everything comes to the invoice's own totals, cent for
//! cent. A part scales the invoice's discounts by what it takes (a line's discount by its
//! quantity, a group's share of the invoice discount by the group's amount): both grow with
//! the part and are exact at the whole, so no note is negative and none can exceed it.

use crate::decimal::round_cents;
use crate::dto::Discount;
use crate::totals::{GroupTotals, LineCalc, LineTotals, TaxedLine, Totals, compute_with_shares, discount_shares};
use crate::{Error, vat};
use rust_decimal::Decimal;

/// An invoice as a credit note reads it: its lines as invoiced, and how its discounts fell.
#[derive(Debug, Clone)]
pub struct CreditBasis<'a> {
    lines: Vec<TaxedLine<'a>>,
    prices_include_tax: bool,
    /// Each line's own discount as invoiced (entered terms).
    line_discounts: Vec<i64>,
    /// Each VAT group's entered amount and its share of the invoice discount, as invoiced.
    group_amounts: Vec<i64>,
    group_shares: Vec<i64>,
}

/// A credit note's amounts: its totals, and which invoice lines it credits by how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditTotals {
    /// The note's totals; `totals.lines[k]` belongs to `lines[k]`.
    pub totals: Totals,
    pub lines: Vec<CreditedLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditedLine {
    /// The invoice line's index.
    pub index: usize,
    pub quantity: Decimal,
}

impl<'a> CreditBasis<'a> {
    /// `lines` as invoiced (the invoice's quantities), its discount and price mode.
    pub fn new(
        lines: Vec<TaxedLine<'a>>,
        discount: Option<&Discount>,
        prices_include_tax: bool,
    ) -> Result<CreditBasis<'a>, Error> {
        let entered = crate::totals::entered(&lines)?;
        let group_shares = discount_shares(discount, &entered.amounts)?;
        Ok(CreditBasis {
            line_discounts: entered.lines.iter().map(|l| l.discount_cents).collect(),
            group_amounts: entered.amounts,
            group_shares,
            lines,
            prices_include_tax,
        })
    }

    pub fn invoiced_quantities(&self) -> Vec<Decimal> {
        self.lines.iter().map(|l| l.line.quantity).collect()
    }

    /// The totals of `quantities` (one per invoice line, each 0 ..= what was invoiced) of
    /// the invoice; the invoice's own totals for every quantity in full.
    pub fn part(&self, quantities: &[Decimal]) -> Result<Totals, Error> {
        self.check(quantities)?;
        let discounts: Vec<Discount> = self
            .lines
            .iter()
            .zip(quantities)
            .zip(&self.line_discounts)
            .map(|((l, q), full)| {
                let gross = line_gross(*q, l.line.unit_price_cents);
                Discount::Flat { value_cents: scale(*full, *q, l.line.quantity).min(gross) }
            })
            .collect();
        let lines: Vec<TaxedLine<'_>> = self
            .lines
            .iter()
            .zip(quantities)
            .zip(&discounts)
            .map(|((l, q), d)| TaxedLine {
                line: LineCalc { quantity: *q, unit_price_cents: l.line.unit_price_cents, discount: Some(d) },
                ..*l
            })
            .collect();
        compute_with_shares(&lines, self.prices_include_tax, |amounts| {
            Ok(amounts
                .iter()
                .zip(self.group_shares.iter().zip(&self.group_amounts))
                .map(|(a, (share, whole))| scale_cents(*share, *a, *whole).min(*a))
                .collect())
        })
    }

    /// The note that takes what is credited from `before` to `after` (quantities per invoice
    /// line): `part(after) − part(before)`, with the lines whose quantity grows.
    pub fn credit(&self, before: &[Decimal], after: &[Decimal]) -> Result<CreditTotals, Error> {
        self.check(before)?;
        for (i, (b, a)) in before.iter().zip(after).enumerate() {
            if a < b {
                return Err(Error::invalid(format!("lines[{i}].quantity"), "a credit cannot take back a credit"));
            }
        }
        let (from, to) = (self.part(before)?, self.part(after)?);
        let credited: Vec<CreditedLine> = (0..self.lines.len())
            .filter(|i| after[*i] > before[*i])
            .map(|index| CreditedLine { index, quantity: after[index] - before[index] })
            .collect();
        if credited.is_empty() {
            return Err(Error::invalid("lines", "credit at least part of one line"));
        }
        let groups: Vec<GroupTotals> = to.groups.iter().zip(&from.groups).map(|(t, f)| minus_group(t, f)).collect();
        let lines = self.note_lines(&credited, &from, &to, &groups);
        let sum = |f: fn(&GroupTotals) -> i64| groups.iter().map(f).sum::<i64>();
        let totals = Totals {
            lines,
            subtotal_cents: sum(|g| g.lines_cents),
            discount_cents: sum(|g| g.discount_cents),
            taxable_cents: sum(|g| g.taxable_cents),
            tax_cents: sum(|g| g.tax_cents),
            rounding_cents: sum(|g| g.rounding_cents),
            total_cents: to.total_cents - from.total_cents,
            groups: groups.into_iter().filter(|g| *g != empty_like(g) || self.credits_in(&credited, g)).collect(),
        };
        Ok(CreditTotals { totals, lines: credited })
    }

    /// The credited lines' amounts. A line's gross and own discount depend on its quantity
    /// alone, so their differences are exact; its net also when prices exclude tax. With
    /// prices including tax a group's net is split over its lines, so the note splits its
    /// group's net difference over its own lines the same way (largest remainder).
    fn note_lines(
        &self,
        credited: &[CreditedLine],
        from: &Totals,
        to: &Totals,
        groups: &[GroupTotals],
    ) -> Vec<LineTotals> {
        let mut lines: Vec<LineTotals> = credited
            .iter()
            .map(|c| {
                let (t, f) = (to.lines[c.index], from.lines[c.index]);
                LineTotals {
                    gross_cents: t.gross_cents - f.gross_cents,
                    discount_cents: t.discount_cents - f.discount_cents,
                    total_cents: t.total_cents - f.total_cents,
                }
            })
            .collect();
        if self.prices_include_tax {
            for g in groups {
                let members: Vec<usize> =
                    (0..credited.len()).filter(|k| self.credits_in(&credited[*k..=*k], g)).collect();
                let weights: Vec<i64> =
                    members.iter().map(|k| lines[*k].gross_cents - lines[*k].discount_cents).collect();
                for (k, net) in members.iter().zip(vat::apportion(g.lines_cents, &weights)) {
                    lines[*k].total_cents = net;
                }
            }
        }
        lines
    }

    /// Whether one of the `credited` lines is in group `g`.
    fn credits_in(&self, credited: &[CreditedLine], g: &GroupTotals) -> bool {
        credited.iter().any(|c| {
            let l = &self.lines[c.index];
            (l.category, l.rate.normalize()) == (g.category, g.rate)
        })
    }

    fn check(&self, quantities: &[Decimal]) -> Result<(), Error> {
        if quantities.len() != self.lines.len() {
            return Err(Error::invalid("lines", "one quantity per invoice line"));
        }
        for (i, (q, l)) in quantities.iter().zip(&self.lines).enumerate() {
            if q.is_sign_negative() && !q.is_zero() {
                return Err(Error::invalid(format!("lines[{i}].quantity"), "must not be negative"));
            }
            if *q > l.line.quantity {
                let why = format!("more than the {} invoiced (less what earlier credit notes took)", l.line.quantity);
                return Err(Error::Conflict { message: why, field: Some(format!("lines[{i}].quantity")) });
            }
        }
        Ok(())
    }
}

fn line_gross(quantity: Decimal, unit_price_cents: i64) -> i64 {
    quantity
        .checked_mul(Decimal::from(unit_price_cents))
        .map(round_cents)
        .and_then(|d| i64::try_from(d).ok())
        .unwrap_or(i64::MAX)
}

/// `cents × part / whole`, rounded; exactly `cents` when `part == whole`.
fn scale(cents: i64, part: Decimal, whole: Decimal) -> i64 {
    if whole.is_zero() || part == whole {
        return if part == whole { cents } else { 0 };
    }
    Decimal::from(cents)
        .checked_mul(part)
        .and_then(|p| p.checked_div(whole))
        .map(round_cents)
        .and_then(|d| i64::try_from(d).ok())
        .unwrap_or(0)
}

fn scale_cents(cents: i64, part: i64, whole: i64) -> i64 {
    scale(cents, Decimal::from(part), Decimal::from(whole))
}

fn minus_group(t: &GroupTotals, f: &GroupTotals) -> GroupTotals {
    GroupTotals {
        category: t.category,
        rate: t.rate,
        lines_cents: t.lines_cents - f.lines_cents,
        discount_cents: t.discount_cents - f.discount_cents,
        taxable_cents: t.taxable_cents - f.taxable_cents,
        tax_cents: t.tax_cents - f.tax_cents,
        rounding_cents: t.rounding_cents - f.rounding_cents,
    }
}

fn empty_like(g: &GroupTotals) -> GroupTotals {
    GroupTotals {
        category: g.category,
        rate: g.rate,
        lines_cents: 0,
        discount_cents: 0,
        taxable_cents: 0,
        tax_cents: 0,
        rounding_cents: 0,
    }
}

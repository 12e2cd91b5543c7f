//! VAT by the rules of EN 16931 (issue 24, first step): the tax categories of UNCL 5305, the
//! largest-remainder split that makes parts add up to a whole, and the tax of a group of
//! lines whose prices include tax. Pure arithmetic on integer cents; the totals function uses
//! these, nothing else computes money.
//!
//! Prices including tax (DESIGN.md §4): for a group's gross G at rate r, tax = round(G × r /
//! (100 + r)) and taxable = G − tax. EN 16931 also wants tax = round(taxable × r / 100)
//! (BR-CO-17). Where both cannot hold for G, the group takes the taxable T nearest to that
//! first guess for which T + round(T × r / 100) comes closest to G; what is left, never more
//! than one cent either way, is the group's rounding amount (BT-114).

use crate::decimal::round_cents;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A line's VAT category (UNCL 5305, as EN 16931 uses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaxCategory {
    /// S: the standard or a reduced rate.
    Standard,
    /// Z: taxable at 0 %.
    ZeroRated,
    /// E: exempt from VAT (with the reason).
    Exempt,
    /// AE: VAT reverse charge; the buyer accounts for it.
    ReverseCharge,
    /// K: intra-community supply of goods, VAT exempt.
    IntraCommunity,
    /// G: export outside the EU, VAT exempt.
    Export,
    /// O: not subject to VAT.
    OutsideScope,
}

impl TaxCategory {
    pub const ALL: [TaxCategory; 7] = [
        TaxCategory::Standard,
        TaxCategory::ZeroRated,
        TaxCategory::Exempt,
        TaxCategory::ReverseCharge,
        TaxCategory::IntraCommunity,
        TaxCategory::Export,
        TaxCategory::OutsideScope,
    ];

    /// The UNCL 5305 code (BT-118, BT-151).
    pub fn code(self) -> &'static str {
        match self {
            TaxCategory::Standard => "S",
            TaxCategory::ZeroRated => "Z",
            TaxCategory::Exempt => "E",
            TaxCategory::ReverseCharge => "AE",
            TaxCategory::IntraCommunity => "K",
            TaxCategory::Export => "G",
            TaxCategory::OutsideScope => "O",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TaxCategory::Standard => "standard",
            TaxCategory::ZeroRated => "zero_rated",
            TaxCategory::Exempt => "exempt",
            TaxCategory::ReverseCharge => "reverse_charge",
            TaxCategory::IntraCommunity => "intra_community",
            TaxCategory::Export => "export",
            TaxCategory::OutsideScope => "outside_scope",
        }
    }

    pub fn parse(text: &str) -> Option<TaxCategory> {
        TaxCategory::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Whether its rate is 0 by definition (every category but standard: BR-Z-5, BR-E-5,
    /// BR-AE-5, BR-IC-5, BR-G-5; outside scope has no rate at all, BR-O-5).
    pub fn is_zero_rate(self) -> bool {
        self != TaxCategory::Standard
    }

    /// Whether the document must state why no VAT is charged (BT-120 / BT-121).
    pub fn needs_exemption_reason(self) -> bool {
        matches!(
            self,
            TaxCategory::Exempt
                | TaxCategory::ReverseCharge
                | TaxCategory::IntraCommunity
                | TaxCategory::Export
                | TaxCategory::OutsideScope
        )
    }

    /// Whether the buyer's VAT identifier is required (BR-AE-2, BR-IC-2).
    pub fn needs_buyer_vat_id(self) -> bool {
        matches!(self, TaxCategory::ReverseCharge | TaxCategory::IntraCommunity)
    }

    /// The text printed when a line of this category gives no exemption reason (English; the
    /// document's language comes with the translations). Exempt lines must give theirs: the
    /// law that exempts them differs from one supply to the next.
    pub fn default_reason(self) -> Option<&'static str> {
        match self {
            TaxCategory::ReverseCharge => {
                Some("Reverse charge: VAT to be accounted for by the recipient (Article 196 of Directive 2006/112/EC)")
            }
            TaxCategory::IntraCommunity => {
                Some("Intra-community supply of goods, exempt from VAT (Article 138 of Directive 2006/112/EC)")
            }
            TaxCategory::Export => {
                Some("Export outside the EU, exempt from VAT (Article 146 of Directive 2006/112/EC)")
            }
            TaxCategory::OutsideScope => Some("Not subject to VAT"),
            TaxCategory::Standard | TaxCategory::ZeroRated | TaxCategory::Exempt => None,
        }
    }

    /// The exemption reason code (CEF VATEX) the category implies, where there is one; exempt
    /// lines name theirs (e.g. VATEX-EU-132, or a national one).
    pub fn default_vatex(self) -> Option<&'static str> {
        match self {
            TaxCategory::ReverseCharge => Some("VATEX-EU-AE"),
            TaxCategory::IntraCommunity => Some("VATEX-EU-IC"),
            TaxCategory::Export => Some("VATEX-EU-G"),
            TaxCategory::OutsideScope => Some("VATEX-EU-O"),
            TaxCategory::Standard | TaxCategory::ZeroRated | TaxCategory::Exempt => None,
        }
    }
}

/// The legal text a VAT-exempt small business prints (in its country's language: the law
/// asks for it there, whatever language the customer reads) and the VATEX code where one
/// exists. `country` is an ISO 3166 code.
pub fn small_business_exemption(country: Option<&str>) -> (&'static str, Option<&'static str>) {
    match country {
        Some("DE") => ("Gemäß § 19 UStG wird keine Umsatzsteuer berechnet (Kleinunternehmerregelung).", None),
        Some("AT") => ("Umsatzsteuerfrei aufgrund der Kleinunternehmerregelung gemäß § 6 Abs. 1 Z 27 UStG.", None),
        Some("FR") => ("TVA non applicable, art. 293 B du CGI", Some("VATEX-FR-FRANCHISE")),
        _ => ("VAT exempt small business (Article 284 of Directive 2006/112/EC)", None),
    }
}

/// The ISO 3166 code of a country as a profile or address writes it: the code itself, or the
/// name of a country whose small-business text we know, in English or its own language.
pub fn country_code(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(t.to_ascii_uppercase());
    }
    let named = match t.to_lowercase().as_str() {
        "germany" | "deutschland" | "allemagne" => "DE",
        "austria" | "österreich" | "autriche" => "AT",
        "france" | "frankreich" => "FR",
        _ => return None,
    };
    Some(named.to_string())
}

/// The buyer's EU country when a sale to them crosses an EU border: the seller is in one EU
/// country (`seller_country`, ISO code) and `buyer_vat_id` is a valid VAT id of another. Then
/// services are usually reverse charge and goods an intra-community supply (the editor
/// proposes, the seller decides).
pub fn cross_border_buyer(seller_country: Option<&str>, buyer_vat_id: &str) -> Option<&'static str> {
    let buyer = crate::vat_id::parse_vat_id(buyer_vat_id).ok()?.country;
    let seller = seller_country?;
    let seller = if seller == "GR" { "EL" } else { seller };
    (crate::vat_id::has_eu_prefix(seller) && seller != buyer).then_some(buyer)
}

/// Splits `total` into parts proportional to `weights` (non-negative) that add up to `total`
/// exactly: each part is its share rounded down, and the cents left go one each to the parts
/// with the largest remainders (the earlier part on a tie). All weights zero: all to the first.
pub fn apportion(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    if sum == 0 {
        let mut parts = vec![0; weights.len()];
        parts[0] = total;
        return parts;
    }
    let sign: i128 = if total < 0 { -1 } else { 1 };
    let whole = i128::from(total).abs();
    let shares: Vec<(i128, i128)> = weights
        .iter()
        .map(|w| {
            let scaled = whole * i128::from((*w).max(0));
            (scaled / sum, scaled % sum)
        })
        .collect();
    let mut left = whole - shares.iter().map(|(part, _)| part).sum::<i128>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| shares[*b].1.cmp(&shares[*a].1).then(a.cmp(b)));
    let mut parts: Vec<i128> = shares.iter().map(|(part, _)| *part).collect();
    for i in order {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    // Each part is at most |total|, so it fits an i64 again.
    parts.into_iter().map(|p| i64::try_from(sign * p).unwrap_or_default()).collect()
}

/// `amount × rate / 100` in cents, half away from zero.
pub fn tax_of(amount: i64, rate: Decimal) -> i64 {
    let tax = round_cents(Decimal::from(amount) * rate / Decimal::ONE_HUNDRED);
    i64::try_from(tax).unwrap_or_default()
}

/// A group's amounts when its prices include tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inclusive {
    /// BT-116: the taxable amount.
    pub taxable_cents: i64,
    /// BT-117: round(taxable × rate / 100), so BR-CO-17 holds.
    pub tax_cents: i64,
    /// BT-114's share of this group: gross − taxable − tax, −1, 0 or 1.
    pub rounding_cents: i64,
}

/// Splits `gross` cents (tax included) at `rate` percent (0–100) into taxable, tax and rounding.
pub fn split_inclusive(gross: i64, rate: Decimal) -> Inclusive {
    if gross < 0 {
        let positive = split_inclusive(-gross, rate);
        return Inclusive {
            taxable_cents: -positive.taxable_cents,
            tax_cents: -positive.tax_cents,
            rounding_cents: -positive.rounding_cents,
        };
    }
    let hundred = Decimal::ONE_HUNDRED;
    let first_tax = round_cents(Decimal::from(gross) * rate / (hundred + rate));
    let first = gross - i64::try_from(first_tax).unwrap_or_default();
    // T + round(T × r / 100) grows by one or two cents per cent of T (r ≤ 100), so the best
    // taxable is within a cent or two of the first guess.
    let candidates = (first - 2..=first + 2).filter(|t| *t >= 0);
    let best = candidates
        .map(|t| {
            let tax = tax_of(t, rate);
            (gross - t - tax, t, tax)
        })
        .min_by_key(|(left, t, _)| (left.abs(), (t - first).abs(), *t))
        .unwrap_or((gross, 0, 0));
    Inclusive { taxable_cents: best.1, tax_cents: best.2, rounding_cents: best.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn categories_have_their_codes_and_names() {
        let codes: Vec<&str> = TaxCategory::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["S", "Z", "E", "AE", "K", "G", "O"]);
        for c in TaxCategory::ALL {
            assert_eq!(TaxCategory::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert!(TaxCategory::ReverseCharge.needs_buyer_vat_id() && !TaxCategory::Export.needs_buyer_vat_id());
        assert!(!TaxCategory::Standard.needs_exemption_reason() && TaxCategory::Exempt.needs_exemption_reason());
        assert_eq!(TaxCategory::IntraCommunity.default_vatex(), Some("VATEX-EU-IC"));
    }

    #[test]
    fn parts_add_up_to_the_whole() {
        assert_eq!(apportion(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(apportion(1_000, &[5_000, 2_500, 2_500]), [500, 250, 250]);
        assert_eq!(apportion(1, &[1, 2]), [0, 1], "the largest remainder gets the cent");
        assert_eq!(apportion(-100, &[1, 1, 1]), [-34, -33, -33]);
        assert_eq!(apportion(7, &[0, 0]), [7, 0]);
        assert_eq!(apportion(0, &[3, 4]), [0, 0]);
        assert!(apportion(5, &[]).is_empty());
        for total in [0, 1, 2, 99, 100, 101, 12_345, 999_999] {
            for weights in [vec![1, 1, 1], vec![7, 19, 0, 3], vec![1_000_000_000_000, 1], vec![13]] {
                let parts = apportion(total, &weights);
                assert_eq!(parts.iter().sum::<i64>(), total, "{total} over {weights:?}");
                let sum: i64 = weights.iter().sum();
                for (part, w) in parts.iter().zip(&weights) {
                    let exact = total as f64 * *w as f64 / sum as f64;
                    assert!((*part as f64 - exact).abs() < 1.0, "{part} for {exact}");
                }
            }
        }
    }

    #[test]
    fn inclusive_prices_split_as_br_co_17_wants_for_every_small_amount() {
        let rates = ["0", "2.1", "5", "5.5", "7", "8.875", "10", "16", "19", "20", "21", "25", "27", "100"];
        for rate in rates.map(d) {
            // Which gross amounts some taxable T reaches exactly: T + round(T × r / 100).
            let mut reachable = std::collections::HashSet::new();
            for t in 0..=20_100 {
                reachable.insert(t + tax_of(t, rate));
            }
            for gross in 0..=20_000 {
                let s = split_inclusive(gross, rate);
                assert_eq!(s.tax_cents, tax_of(s.taxable_cents, rate), "BR-CO-17 at {gross} / {rate}%");
                assert_eq!(s.taxable_cents + s.tax_cents + s.rounding_cents, gross, "{gross} / {rate}%");
                assert!(s.rounding_cents.abs() <= 1, "at most a cent at {gross} / {rate}%: {s:?}");
                assert_eq!(s.rounding_cents == 0, reachable.contains(&gross), "{gross} / {rate}%: {s:?}");
                assert!(s.taxable_cents >= 0 && s.tax_cents >= 0);
                let negative = split_inclusive(-gross, rate);
                assert_eq!(negative.taxable_cents, -s.taxable_cents, "a credit is the mirror image");
            }
        }
    }

    #[test]
    fn a_worked_inclusive_example() {
        // €119.00 with 19 % inside: €100.00 + €19.00.
        let s = split_inclusive(11_900, d("19"));
        assert_eq!(s, Inclusive { taxable_cents: 10_000, tax_cents: 1_900, rounding_cents: 0 });
        // €10.70 with 7 % inside: 10.00 + 0.70.
        assert_eq!(split_inclusive(1_070, d("7")).taxable_cents, 1_000);
    }
}

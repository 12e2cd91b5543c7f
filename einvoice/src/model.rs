//! The invoice as the EN 16931 semantic model. Every amount is read from the totals the one
//! totals function computed (the invoice's fields, or a difference of two that it defines,
//! such as a group's discount share = its lines − its taxable amount); nothing here
//! multiplies or rounds money, so the e-invoice says exactly what the PDF and the page say.
//!
//! Choices where the invoice says less than EN 16931 can: every line's unit is C62 ("one");
//! a line whose price includes tax states the net price its net amount implies (BT-146) and
//! carries its discount inside that price; the invoice discount is one document allowance
//! per VAT group (BG-20) with that group's share; the date of supply of an intra-community
//! supply (BR-IC-11) is the issue date, and its destination the buyer's address (BR-IC-12).

use crate::amounts::{amount, value};
use crate::source::Source;
use domain::dto::{Address, Discount, Invoice as Dto, LineItem, TaxBreakdown};
use domain::einvoice::{EInvoiceFormat, EInvoiceViolation};
use domain::vat::TaxCategory;
use en16931::invoice::{
    Code, Contact, Delivery, DocumentAllowanceCharge, DocumentKind, DocumentTotals, LineAllowanceCharge, LineVat,
    Party, PaymentInstructions, PostalAddress, PrecedingInvoice, PriceDetails, VatBreakdown,
};
use en16931::{
    Date, DocumentReference, Identifier, Invoice, InvoiceAmount, InvoiceLine, InvoiceNote, Percentage, Quantity,
    UnitPriceAmount,
};

/// The model, and what could not be put in it (amounts with a third decimal).
pub struct Mapped {
    pub invoice: Invoice,
    pub problems: Vec<EInvoiceViolation>,
}

/// Collects amounts; one that EN 16931 cannot carry becomes zero and a problem.
struct Amounts<'a> {
    currency: &'a str,
    refused: bool,
}

impl Amounts<'_> {
    fn of(&mut self, cents: i64) -> InvoiceAmount {
        amount(cents, self.currency).unwrap_or_else(|| {
            self.refused = true;
            InvoiceAmount::from_minor_units(0)
        })
    }
}

/// BT-24 for the format: what the document claims to conform to.
pub fn specification_id(format: EInvoiceFormat) -> &'static str {
    match format {
        EInvoiceFormat::XRechnungCii | EInvoiceFormat::XRechnungUbl => en16931::profiles::XRECHNUNG.specification_id,
        EInvoiceFormat::Peppol => en16931::profiles::PEPPOL_BIS_3.specification_id,
        EInvoiceFormat::None | EInvoiceFormat::FacturX => en16931::profiles::EN16931.specification_id,
    }
}

/// The Peppol BIS business process every billing document names (PEPPOL-EN16931-R001;
/// XRechnung 3.0 takes Peppol's rules too).
const PEPPOL_PROCESS: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

pub fn map(source: &Source<'_>, format: EInvoiceFormat) -> Mapped {
    let inv = source.invoice;
    let mut money = Amounts { currency: &inv.currency, refused: false };
    let mut invoice = Invoice::default();
    invoice.specification_id = Some(specification_id(format).to_string());
    invoice.business_process = (!format.is_pdf()).then(|| PEPPOL_PROCESS.to_string());
    invoice.number = Some(inv.id.clone());
    invoice.issue_date = date(inv.issue_date);
    invoice.due_date = date(inv.due_date);
    invoice.type_code = Some(Code::new("380"));
    if let Some(credit) = source.credit {
        // A credit note (381) states positive amounts and points back at its invoice (BG-3).
        invoice.kind = DocumentKind::CreditNote;
        invoice.type_code = Some(Code::new("381"));
        invoice.preceding_invoices = vec![PrecedingInvoice {
            reference: DocumentReference::new(credit.invoice_number.clone()),
            issue_date: date(credit.invoice_issue_date),
        }];
    }
    invoice.currency = Some(Code::new(inv.currency.clone()));
    invoice.buyer_reference = text(&inv.recipient.buyer_reference);
    invoice.purchase_order_reference = text(&inv.po_number).map(DocumentReference::new);
    invoice.payment_terms = text(&inv.terms_text);
    invoice.notes = text(&inv.footer_note).map(InvoiceNote::new).into_iter().collect();
    if let Some(credit) = source.credit {
        invoice.notes.insert(0, InvoiceNote::new(credit.reason.clone()));
    }
    invoice.seller = seller(source, format);
    invoice.buyer = buyer(inv, format);
    invoice.payment = payment(source);
    invoice.lines = inv.line_items.iter().enumerate().map(|(i, line)| invoice_line(inv, i, line, &mut money)).collect();
    invoice.vat_breakdown = inv.tax_breakdown.iter().map(|group| breakdown(group, &mut money)).collect();
    invoice.allowances = discount_allowances(inv, &mut money);
    invoice.totals = totals(inv, &mut money);
    if inv.tax_breakdown.iter().any(|g| g.category == TaxCategory::IntraCommunity) {
        invoice.delivery = Some(Delivery {
            date: date(inv.issue_date),
            address: Some(invoice.buyer.address.clone()),
            ..Default::default()
        });
    }
    let mut problems = Vec::new();
    if money.refused {
        problems.push(EInvoiceViolation {
            rule: "BR-DEC-23".into(),
            message: format!(
                "an e-invoice states amounts with at most two decimals; amounts in {} need three, so this invoice cannot be an e-invoice",
                inv.currency
            ),
            field: Some("currency".into()),
        });
    }
    Mapped { invoice, problems }
}

fn date(d: chrono::NaiveDate) -> Option<Date> {
    use chrono::Datelike;
    Date::new(d.year(), d.month() as u8, d.day() as u8).ok()
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A country as EN 16931 writes it (ISO 3166-1 alpha-2); a name we cannot read is kept as
/// written, so the verdict names it (BR-CL-14) instead of guessing.
fn country(v: &Option<String>) -> Option<Code> {
    let written = text(v)?;
    Some(Code::new(domain::vat::country_code(&written).unwrap_or(written)))
}

/// `scheme:identifier` as an electronic address (BT-34, BT-49).
fn peppol(id: &str) -> Option<Identifier> {
    id.split_once(':').map(|(scheme, content)| Identifier::schemed(content, scheme))
}

fn mail(address: &str) -> Identifier {
    Identifier::schemed(address, "EM")
}

fn seller(source: &Source<'_>, format: EInvoiceFormat) -> Party {
    let p = source.seller.profile;
    let mut party = Party::new(
        text(&p.company).unwrap_or_default(),
        PostalAddress {
            line1: text(&p.address_line1),
            line2: text(&p.address_line2),
            city: text(&p.city),
            post_code: text(&p.postal_code),
            subdivision: text(&p.state),
            country: country(&p.country),
            ..Default::default()
        },
    );
    party.vat_identifier = text(&p.vat_id);
    party.tax_registration = text(&p.tax_id);
    // BR-CO-26 wants a seller identifier, a legal registration or a VAT id: a seller without
    // a VAT id (a small business) is identified by their tax number.
    if party.vat_identifier.is_none() {
        party.identifiers = text(&p.tax_id).map(Identifier::new).into_iter().collect();
    }
    let email = source.seller.email.map(str::to_string);
    party.electronic_address = match (&p.peppol_id, &email) {
        (Some(id), _) => peppol(id),
        (None, Some(address)) if format != EInvoiceFormat::Peppol => Some(mail(address)),
        _ => None,
    };
    party.contact = Contact { name: text(&p.account_name).or_else(|| text(&p.company)), phone: text(&p.phone), email };
    party
}

fn buyer(inv: &Dto, format: EInvoiceFormat) -> Party {
    let r = &inv.recipient;
    let a = r.address.clone().unwrap_or_default();
    let name = text(&r.company).or_else(|| text(&r.name)).or_else(|| text(&r.email)).unwrap_or_default();
    let mut party = Party::new(name, buyer_address(&a));
    party.vat_identifier = text(&r.vat_id);
    party.electronic_address = match (&r.peppol_id, &r.email) {
        (Some(id), _) => peppol(id),
        (None, Some(address)) if format != EInvoiceFormat::Peppol => Some(mail(address)),
        _ => None,
    };
    if let Some(contact) = text(&r.name).filter(|_| r.company.is_some()) {
        party.contact.name = Some(contact);
    }
    party.contact.email = text(&r.email);
    party
}

fn buyer_address(a: &Address) -> PostalAddress {
    PostalAddress {
        line1: text(&a.line1),
        line2: text(&a.line2),
        line3: text(&a.line3),
        city: text(&a.city),
        post_code: text(&a.postal_code),
        subdivision: text(&a.state),
        country: country(&a.country),
    }
}

/// BG-16: a SEPA credit transfer (58) to the IBAN, else a credit transfer (30) to the
/// account number; the invoice number is the remittance information (BT-83).
fn payment(source: &Source<'_>) -> Option<PaymentInstructions> {
    let p = source.seller.profile;
    let mut instructions = match (text(&p.iban), text(&p.account_number)) {
        (Some(iban), _) => PaymentInstructions::sepa_credit_transfer(iban, p.swift_code.as_deref()),
        (None, Some(account)) => {
            let mut sepa = PaymentInstructions::sepa_credit_transfer(account, p.swift_code.as_deref());
            sepa.means_code = Some(Code::new("30"));
            sepa
        }
        (None, None) => return None,
    };
    if let Some(en16931::invoice::PaymentMeans::CreditTransfer(transfers)) = &mut instructions.means {
        for t in transfers.iter_mut() {
            t.account_name = text(&p.account_name).or_else(|| text(&p.company));
        }
    }
    instructions.remittance_information = Some(source.invoice.id.clone());
    Some(instructions)
}

/// The VAT a line carries: its own, else the invoice's rate (standard, or zero-rated at 0),
/// as the totals function groups it.
fn line_vat(inv: &Dto, line: &LineItem) -> (TaxCategory, rust_decimal::Decimal) {
    match &line.tax {
        Some(t) => (t.category, t.rate),
        None => {
            let rate = inv.tax.as_ref().map(|t| t.rate).unwrap_or_default();
            (if rate.is_zero() { TaxCategory::ZeroRated } else { TaxCategory::Standard }, rate)
        }
    }
}

fn rate(category: TaxCategory, rate: rust_decimal::Decimal) -> Option<Percentage> {
    // BR-O-5: a line outside the scope of VAT states no rate; every other category does.
    (category != TaxCategory::OutsideScope).then(|| Percentage::new(rate.normalize()))
}

fn invoice_line(inv: &Dto, i: usize, line: &LineItem, money: &mut Amounts<'_>) -> InvoiceLine {
    let (category, r) = line_vat(inv, line);
    let net = money.of(line.line_total_cents);
    let mut out = InvoiceLine::new(
        (i + 1).to_string(),
        line.description.clone(),
        Quantity::new(line.quantity),
        "C62",
        net,
        category.code(),
        rate(category, r),
    );
    if !inv.prices_include_tax {
        // BT-146 is the price as entered and the discount a line allowance (BG-27), so
        // net = quantity × price − allowance holds as Peppol's R120 checks it.
        out.price = PriceDetails {
            net_price: UnitPriceAmount::new(value(line.unit_price_cents, &inv.currency)),
            ..Default::default()
        };
        if line.discount_cents > 0 {
            let mut allowance = LineAllowanceCharge {
                amount: money.of(line.discount_cents),
                base_amount: None,
                percentage: None,
                reason: Some("Discount".into()),
                reason_code: Some(Code::new("95")),
            };
            if let Some(Discount::Percent { value: pct }) = &line.discount {
                allowance.base_amount = Some(money.of(line.discount_cents + line.line_total_cents));
                allowance.percentage = Some(Percentage::new(pct.normalize()));
            }
            out.allowances.push(allowance);
        }
    } else {
        // The derived net price, to the ten-thousandth: quantity × it stays within a cent
        // of the net amount for any quantity a line can have.
        let price = out.price.net_price.into_decimal().round_dp(4);
        out.price = PriceDetails { net_price: UnitPriceAmount::new(price.normalize()), ..Default::default() };
    }
    out
}

fn breakdown(group: &TaxBreakdown, money: &mut Amounts<'_>) -> VatBreakdown {
    let reason = group.category.needs_exemption_reason();
    VatBreakdown {
        taxable_amount: money.of(group.taxable_cents),
        tax_amount: money.of(group.tax_cents),
        category: Code::new(group.category.code()),
        rate: rate(group.category, group.rate),
        exemption_reason: group.exemption_reason.clone().filter(|_| reason),
        exemption_reason_code: group.vatex.clone().filter(|_| reason).map(Code::new),
    }
}

/// The invoice discount, one allowance per VAT group with that group's share (net of VAT):
/// Σ line nets − allowance = taxable, per group (BR-S-8 and its kin).
fn discount_allowances(inv: &Dto, money: &mut Amounts<'_>) -> Vec<DocumentAllowanceCharge> {
    if inv.discount_cents == 0 {
        return Vec::new();
    }
    inv.tax_breakdown
        .iter()
        .filter_map(|group| {
            let lines: i64 = inv
                .line_items
                .iter()
                .filter(|l| {
                    let (c, r) = line_vat(inv, l);
                    c == group.category && r.normalize() == group.rate.normalize()
                })
                .map(|l| l.line_total_cents)
                .sum();
            let share = lines - group.taxable_cents;
            (share != 0).then(|| DocumentAllowanceCharge {
                amount: money.of(share),
                base_amount: None,
                percentage: None,
                vat: LineVat { category: Code::new(group.category.code()), rate: rate(group.category, group.rate) },
                reason: Some("Discount".into()),
                reason_code: Some(Code::new("95")),
            })
        })
        .collect()
}

/// BG-22 from the invoice's totals. BT-112 is taxable + tax; BT-114 the rounding of prices
/// that include tax; BT-113 what was paid; BT-115 what is left (the balance).
fn totals(inv: &Dto, money: &mut Amounts<'_>) -> DocumentTotals {
    let gross = inv.total_cents - inv.rounding_cents;
    DocumentTotals {
        line_total: money.of(inv.subtotal_cents),
        allowance_total: (inv.discount_cents != 0).then(|| money.of(inv.discount_cents)),
        charge_total: None,
        taxable_total: money.of(inv.subtotal_cents - inv.discount_cents),
        vat_total: Some(money.of(inv.tax_cents)),
        vat_total_accounting: None,
        gross_total: money.of(gross),
        paid: (inv.amount_paid_cents != 0).then(|| money.of(inv.amount_paid_cents)),
        rounding: (inv.rounding_cents != 0).then(|| money.of(inv.rounding_cents)),
        due: money.of(inv.total_cents - inv.amount_paid_cents),
    }
}

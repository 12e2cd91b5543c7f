use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invoices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub customer_id: i64,
    pub number: String,
    pub seq: i64,
    pub status: String,
    pub currency: String,
    /// The documents' language: "en", "de", "fr".
    pub language: String,
    pub issue_date: Date,
    pub due_date: Date,
    /// JSON Recipient, as printed on the invoice.
    pub recipient: String,
    /// JSON Discount.
    pub discount: Option<String>,
    pub tax_label: Option<String>,
    /// Exact decimal text, e.g. "8.875".
    pub tax_rate: Option<String>,
    pub prices_include_tax: bool,
    pub subtotal_cents: i64,
    pub discount_cents: i64,
    pub tax_cents: i64,
    /// BT-114: prices including tax only.
    pub rounding_cents: i64,
    /// JSON Vec<TaxBreakdown>, as issued (reasons in the document's language).
    pub tax_breakdown: String,
    pub total_cents: i64,
    /// Payments less refunds.
    pub amount_paid_cents: i64,
    /// What credit notes took off the total.
    pub credited_cents: i64,
    /// total - credited - paid, never below 0. Kept as a column so lists filter, sort and sum by it.
    pub balance_due_cents: i64,
    pub po_number: Option<String>,
    pub terms_text: Option<String>,
    pub footer_note: Option<String>,
    pub subscription_context: Option<String>,
    /// SHA-256 of the share token: how /i/{token} finds the invoice.
    pub share_token_hash: String,
    /// The share token sealed with the server secret, so the sender can see the link again.
    pub share_token_sealed: String,
    /// Bumped by every content change.
    pub version: i32,
    pub sent_at: Option<DateTimeUtc>,
    pub viewed_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub paid_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub approved_by: Option<String>,
    pub approved_ip: Option<String>,
    /// Off: no automatic reminder for this invoice.
    pub reminders_enabled: bool,
    /// The recurring invoice it was made from.
    pub recurring_invoice_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::line_item::Entity")]
    LineItems,
}

impl Related<super::line_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LineItems.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

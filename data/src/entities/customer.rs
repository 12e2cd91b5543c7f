use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sender_id: i64,
    pub code: String,
    pub company: String,
    /// Lower-cased company, for find-or-create by company.
    pub company_key: String,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub ap_name: Option<String>,
    pub ap_email: Option<String>,
    /// JSON array of addresses.
    pub cc_emails: String,
    pub billing_entity: Option<String>,
    /// JSON Address.
    pub address: Option<String>,
    pub tax_id: Option<String>,
    pub vat_id: Option<String>,
    /// "en", "de", "fr"; None: English.
    pub language: Option<String>,
    pub po_required: bool,
    pub notes: Option<String>,
    /// "none", "facturx", "xrechnung-cii", "xrechnung-ubl" or "peppol".
    pub e_invoice_format: String,
    pub buyer_reference: Option<String>,
    pub peppol_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

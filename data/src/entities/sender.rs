use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "senders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// An account's sign-in address (unique among accounts); for an anonymous sender the
    /// address typed on /new, if any, only printed on its invoices.
    pub email: Option<String>,
    pub company: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub tax_id: Option<String>,
    pub vat_id: Option<String>,
    pub phone: Option<String>,
    /// The Peppol participant id invoices come from, `scheme:identifier`.
    pub peppol_id: Option<String>,
    /// A VAT-exempt small business (§ 19 UStG, art. 293 B CGI): every line is exempt.
    pub small_business: bool,
    pub bank_name: Option<String>,
    pub account_name: Option<String>,
    pub account_number: Option<String>,
    pub routing_number: Option<String>,
    pub iban: Option<String>,
    pub swift_code: Option<String>,
    pub default_currency: String,
    pub payment_terms_days: i32,
    pub terms_text: Option<String>,
    pub footer_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Made by /new without an account: signs nobody in, gets no mail from us.
    pub anonymous: bool,
    /// The sender's own Stripe restricted key and webhook secret, sealed; None: the
    /// deployment's keys (if any) take their payments.
    pub stripe_secret_key_sealed: Option<String>,
    pub stripe_webhook_secret_sealed: Option<String>,
    /// IANA name (Europe/Berlin): the dates and hours recurring invoices and reminders keep.
    pub time_zone: String,
    /// The local hour (0–23) automatic mail goes out at.
    pub send_hour: i32,
    /// JSON domain::reminders::ReminderPolicy; None: the default policy.
    pub reminder_policy: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

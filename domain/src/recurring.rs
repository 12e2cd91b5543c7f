//! Recurring invoices as the API and pages see them: a template, its schedule, and its
//! occurrences (made, skipped and coming).

use crate::schedule::Schedule;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The most days an occurrence's due date may lie after its issue date.
pub const MAX_DUE_DAYS: u32 = 365;
/// How many coming occurrences a recurring invoice shows.
pub const UPCOMING: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecurringStatus {
    /// Occurrences are made as they fall due.
    Active,
    /// None are made until resumed; dates passed meanwhile are made then, once each.
    Paused,
    /// The schedule ran out (end date or count).
    Ended,
}

impl RecurringStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RecurringStatus::Active => "active",
            RecurringStatus::Paused => "paused",
            RecurringStatus::Ended => "ended",
        }
    }

    pub fn parse(text: &str) -> Option<RecurringStatus> {
        [RecurringStatus::Active, RecurringStatus::Paused, RecurringStatus::Ended]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One date of a recurring invoice: made (its invoice), skipped, or coming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Occurrence {
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The period it bills (`{period_start}` … `{period_end}` in its texts).
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// When it is (or was due to be) made: the issue date at the sender's hour in their time zone.
    pub at: DateTime<Utc>,
    pub skipped: bool,
    /// The invoice made, once made.
    pub invoice_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecurringInvoice {
    pub id: i64,
    pub customer_id: i64,
    /// The customer's company or name.
    pub customer: String,
    pub status: RecurringStatus,
    pub schedule: Schedule,
    /// Each occurrence is sent at once (true) or left as a draft to review and send.
    pub auto_send: bool,
    /// The due date is this many days after the issue date.
    pub due_days: u32,
    /// The sender's time zone and hour (their profile's): when occurrences are made.
    pub time_zone: String,
    pub send_hour: u32,
    /// What each occurrence is made from: an InvoiceCreate body without dates.
    /// `{period}`, `{period_start}` and `{period_end}` in line descriptions, terms and the
    /// footer note are filled in per occurrence, in the document's language.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub template: serde_json::Value,
    /// Made and skipped so far, newest first (at most 24).
    pub history: Vec<Occurrence>,
    /// The next ones (at most 5), skipped ones marked.
    pub upcoming: Vec<Occurrence>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Create or change a recurring invoice. On create, `schedule` and one of `from_invoice`
/// or `template` are required; on PATCH every field is optional and a changed template or
/// schedule affects future occurrences only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecurringInput {
    /// Create only: copy this invoice's customer, lines, tax, discounts, language and notes.
    pub from_invoice: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub template: Option<serde_json::Value>,
    pub schedule: Option<Schedule>,
    pub auto_send: Option<bool>,
    #[serde(default, deserialize_with = "crate::whole::opt_int")]
    pub due_days: Option<u32>,
}

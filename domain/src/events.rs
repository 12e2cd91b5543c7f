//! The invoice events: the timeline's entries and what webhooks subscribe to.

pub const CREATED: &str = "invoice.created";
pub const SENT: &str = "invoice.sent";
pub const VIEWED: &str = "invoice.viewed";
pub const EDITED: &str = "invoice.edited";
pub const FORWARDED: &str = "invoice.forwarded";
pub const CHANGE_REQUESTED: &str = "invoice.change_requested";
pub const APPROVED: &str = "invoice.approved";
pub const PAID: &str = "invoice.paid";
pub const CANCELLED: &str = "invoice.cancelled";
pub const CLAIMED: &str = "invoice.claimed";

/// Every event type a webhook can subscribe to.
pub const ALL_TYPES: [&str; 10] =
    [CREATED, SENT, VIEWED, EDITED, FORWARDED, CHANGE_REQUESTED, APPROVED, PAID, CANCELLED, CLAIMED];

/// What an event means, in a few words (the webhooks page lists them).
pub fn describe(event_type: &str) -> &'static str {
    match event_type {
        CREATED => "an invoice is created",
        SENT => "an invoice is sent",
        VIEWED => "the recipient first opens it",
        EDITED => "its content changes",
        FORWARDED => "the recipient forwards it",
        CHANGE_REQUESTED => "the recipient asks for changes",
        APPROVED => "the recipient approves it",
        PAID => "it is marked paid",
        CANCELLED => "it is cancelled",
        CLAIMED => "an invoice made without an account joins yours at sign-in",
        _ => "",
    }
}

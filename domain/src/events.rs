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
pub const PAYMENT_RECEIVED: &str = "invoice.payment_received";
pub const PAYMENT_REFUNDED: &str = "invoice.payment_refunded";
pub const PAYMENT_PROBLEM: &str = "invoice.payment_problem";
pub const CREDIT_NOTE_CREATED: &str = "credit_note.created";
pub const REMINDER_SENT: &str = "invoice.reminder_sent";

/// Every event type a webhook can subscribe to.
pub const ALL_TYPES: [&str; 15] = [
    CREATED,
    SENT,
    VIEWED,
    EDITED,
    FORWARDED,
    CHANGE_REQUESTED,
    APPROVED,
    PAID,
    CANCELLED,
    CLAIMED,
    PAYMENT_RECEIVED,
    PAYMENT_REFUNDED,
    PAYMENT_PROBLEM,
    CREDIT_NOTE_CREATED,
    REMINDER_SENT,
];

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
        PAID => "it is paid in full",
        CANCELLED => "it is cancelled",
        CLAIMED => "an invoice made without an account joins yours at sign-in",
        PAYMENT_RECEIVED => "a payment leaves a balance due",
        PAYMENT_REFUNDED => "a refund is recorded",
        PAYMENT_PROBLEM => "an online payment did not match the invoice",
        CREDIT_NOTE_CREATED => "a credit note is issued against an invoice",
        REMINDER_SENT => "a payment reminder goes to the recipient",
        _ => "",
    }
}

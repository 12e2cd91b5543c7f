//! Rows that keep their invoice's sender beside the invoice id (so a sender's rows are one
//! index range): when an invoice changes hands (an anonymous invoice claimed at sign-in),
//! they must follow it, or deleting the old owner would take them along. One statement per
//! table, used by the claim, by the anonymous-session expiry and by the repair migration.

/// The tables whose `sender_id` is their invoice's sender.
pub const FOLLOWING_INVOICES: [&str; 3] = ["payments", "checkout_sessions", "invoice_events"];

/// Sets `table`'s sender to its invoice's sender wherever they differ; only on rows of
/// `of_sender` when given (an id, never user text).
pub fn follow_invoice_owner(table: &str, of_sender: Option<i64>) -> String {
    let owner = format!("(SELECT i.sender_id FROM invoices i WHERE i.id = {table}.invoice_id)");
    let scope = of_sender.map(|id| format!("sender_id = {id} AND ")).unwrap_or_default();
    format!("UPDATE {table} SET sender_id = {owner} WHERE {scope}sender_id <> {owner}")
}

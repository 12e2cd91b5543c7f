//! The sender's event feed (GET /api/v1/events, issue 28): one index range per sender,
//! newest first, and per event type.

use crate::shapes::{IndexSpec, indexes_only};
use sea_orm_migration::prelude::*;

const INDEXES: &[IndexSpec] = &[
    ("invoice_events_sender_id", "invoice_events", &["sender_id", "id"], false),
    ("invoice_events_sender_type_id", "invoice_events", &["sender_id", "event_type", "id"], false),
];

indexes_only!(INDEXES);

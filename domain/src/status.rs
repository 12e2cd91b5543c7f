//! The invoice life cycle (DESIGN.md §5).

use crate::Error;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Sent,
    Viewed,
    ChangeRequested,
    Updated,
    Approved,
    Paid,
    Cancelled,
}

/// Something a sender, a recipient or the system does to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Sender sends (or marks sent) a draft.
    Send,
    /// Recipient opens the share link.
    View,
    /// Recipient asks for changes.
    RequestChange,
    /// Sender changes the content.
    Edit,
    /// Recipient approves.
    Approve,
    /// Sender records the payment.
    MarkPaid,
    /// Sender voids the invoice.
    Cancel,
    /// Credit notes now credit all of an issued invoice: it is cancelled, paid or not.
    CreditInFull,
}

impl Action {
    pub fn verb(self) -> &'static str {
        match self {
            Action::Send => "send it",
            Action::View => "view it",
            Action::RequestChange => "request changes",
            Action::Edit => "edit it",
            Action::Approve => "approve it",
            Action::MarkPaid => "mark it paid",
            Action::Cancel => "cancel it",
            Action::CreditInFull => "credit it in full",
        }
    }
}

pub const ALL_STATUSES: [Status; 8] = [
    Status::Draft,
    Status::Sent,
    Status::Viewed,
    Status::ChangeRequested,
    Status::Updated,
    Status::Approved,
    Status::Paid,
    Status::Cancelled,
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Sent => "sent",
            Status::Viewed => "viewed",
            Status::ChangeRequested => "change_requested",
            Status::Updated => "updated",
            Status::Approved => "approved",
            Status::Paid => "paid",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        ALL_STATUSES.into_iter().find(|s| s.as_str() == text)
    }

    /// Approved, paid and cancelled invoices keep their content for good.
    pub fn is_locked(self) -> bool {
        matches!(self, Status::Approved | Status::Paid | Status::Cancelled)
    }

    /// Sent to the recipient and waiting on them or on the sender.
    fn is_open(self) -> bool {
        matches!(self, Status::Sent | Status::Viewed | Status::ChangeRequested | Status::Updated)
    }

    /// Issued and not yet settled or voided: money can come in (recorded by the sender, or
    /// arriving online), and a balance left is outstanding (overdue once past due).
    pub const OUTSTANDING: [Status; 5] =
        [Status::Sent, Status::Viewed, Status::ChangeRequested, Status::Updated, Status::Approved];

    pub fn accepts_payments(self) -> bool {
        Status::OUTSTANDING.contains(&self)
    }

    /// The share page offers Pay: outstanding, and not while the client has asked for
    /// changes (they would pay for what they asked to change).
    pub fn offers_online_payment(self) -> bool {
        self.accepts_payments() && self != Status::ChangeRequested
    }

    /// The state after `action`, or why it is refused.
    pub fn apply(self, action: Action) -> Result<Status, Error> {
        use Status::*;
        let next = match (action, self) {
            (Action::Send, Draft) => Some(Sent),
            (Action::View, Sent) => Some(Viewed),
            // Later opens add a view record only; they never move the state back.
            (Action::View, s) => Some(s),
            (Action::RequestChange, s) if s.is_open() => Some(ChangeRequested),
            (Action::Edit, Draft) => Some(Draft),
            (Action::Edit, s) if s.is_open() => Some(Updated),
            (Action::Approve, s) if s.is_open() => Some(Approved),
            (Action::MarkPaid, s) if s.is_open() || s == Approved => Some(Paid),
            (Action::Cancel, s) if s != Paid && s != Cancelled => Some(Cancelled),
            (Action::CreditInFull, s) if s != Draft && s != Cancelled => Some(Cancelled),
            _ => None,
        };
        next.ok_or(Error::Transition { from: self, action })
    }

    /// The action a sender asks for by PATCHing `status` to `target`; None when a sender
    /// may not set that status directly.
    pub fn sender_action_for(target: Status) -> Option<Action> {
        match target {
            Status::Sent => Some(Action::Send),
            Status::Paid => Some(Action::MarkPaid),
            Status::Cancelled => Some(Action::Cancel),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const ACTIONS: [Action; 8] = [
        Action::Send,
        Action::View,
        Action::RequestChange,
        Action::Edit,
        Action::Approve,
        Action::MarkPaid,
        Action::Cancel,
        Action::CreditInFull,
    ];

    /// The whole table: every (state, action) pair and its outcome (None = refused).
    fn expected(from: Status, action: Action) -> Option<Status> {
        match (from, action) {
            (Draft, Action::Send) => Some(Sent),
            (s, Action::View) => Some(if s == Sent { Viewed } else { s }),
            (Sent | Viewed | ChangeRequested | Updated, Action::RequestChange) => Some(ChangeRequested),
            (Draft, Action::Edit) => Some(Draft),
            (Sent | Viewed | ChangeRequested | Updated, Action::Edit) => Some(Updated),
            (Sent | Viewed | ChangeRequested | Updated, Action::Approve) => Some(Approved),
            (Sent | Viewed | ChangeRequested | Updated | Approved, Action::MarkPaid) => Some(Paid),
            (Draft | Sent | Viewed | ChangeRequested | Updated | Approved, Action::Cancel) => Some(Cancelled),
            (Sent | Viewed | ChangeRequested | Updated | Approved | Paid, Action::CreditInFull) => Some(Cancelled),
            _ => None,
        }
    }

    #[test]
    fn every_transition_is_allowed_or_refused_as_designed() {
        for from in ALL_STATUSES {
            for action in ACTIONS {
                assert_eq!(from.apply(action).ok(), expected(from, action), "{from} / {action:?}");
            }
        }
    }

    #[test]
    fn locked_states_refuse_edits() {
        for s in [Approved, Paid, Cancelled] {
            assert!(s.is_locked());
            assert!(matches!(s.apply(Action::Edit), Err(Error::Transition { .. })));
        }
        assert!(!Updated.is_locked());
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for s in ALL_STATUSES {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!(Status::parse("bogus"), None);
    }

    #[test]
    fn senders_may_only_set_sent_paid_or_cancelled() {
        let allowed: Vec<_> = ALL_STATUSES.into_iter().filter(|s| Status::sender_action_for(*s).is_some()).collect();
        assert_eq!(allowed, vec![Sent, Paid, Cancelled]);
    }
}

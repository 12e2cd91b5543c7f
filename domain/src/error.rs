use crate::status::{Action, Status};

/// What the model refuses. `field` is a JSON path such as `line_items[2].quantity`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Invalid { message: String, field: Option<String> },
    #[error("invoice is {from}: cannot {}", action.verb())]
    Transition { from: Status, action: Action },
    /// Refused in the invoice's present state (e.g. a payment larger than the balance).
    #[error("{message}")]
    Conflict { message: String, field: Option<String> },
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { message: message.into(), field: Some(field.into()) }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } | Error::Conflict { field, .. } => field.as_deref(),
            Error::Transition { .. } => Some("status"),
        }
    }
}

/// What kind of failure a client is told of, whichever way it asked (REST, server function,
/// MCP); each kind has one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ErrorKind {
    Invalid,
    Unauthorized,
    /// Known, but not allowed this (a read-only API key writing).
    Forbidden,
    NotFound,
    Conflict,
    ProfileIncomplete,
    /// The recipient needs an e-invoice and this one breaks its rules (the violations say how).
    EInvoiceInvalid,
    RateLimited,
    Internal,
    /// Another service did not answer (Stripe).
    Unavailable,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::Invalid => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::ProfileIncomplete | ErrorKind::EInvoiceInvalid => 422,
            ErrorKind::RateLimited => 429,
            ErrorKind::Internal => 500,
            ErrorKind::Unavailable => 503,
        }
    }
}

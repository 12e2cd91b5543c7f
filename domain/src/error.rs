use crate::status::{Action, Status};

/// What the model refuses. `field` is a JSON path such as `line_items[2].quantity`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Invalid { message: String, field: Option<String> },
    #[error("invoice is {from}: cannot {}", action.verb())]
    Transition { from: Status, action: Action },
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { message: message.into(), field: Some(field.into()) }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => field.as_deref(),
            Error::Transition { .. } => Some("status"),
        }
    }
}

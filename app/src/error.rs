//! The error every server function returns: what went wrong, and which form field it is about.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use domain::ErrorKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppError {
    pub kind: ErrorKind,
    pub message: String,
    pub field: Option<String>,
}

impl AppError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        AppError { kind, message: message.into(), field: None }
    }

    pub fn unauthorized() -> Self {
        AppError::new(ErrorKind::Unauthorized, "your session has ended: sign in again")
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError { kind: ErrorKind::Invalid, message: message.into(), field: Some(field.to_string()) }
    }

    /// The message when this error is about `field`.
    pub fn about(&self, field: &str) -> Option<String> {
        (self.field.as_deref() == Some(field)).then(|| self.message.clone())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let message = match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                "the server could not be reached; check your connection and try again".to_string()
            }
            other => other.to_string(),
        };
        AppError::new(ErrorKind::Internal, message)
    }
}

#[cfg(feature = "ssr")]
impl From<data::Error> for AppError {
    fn from(e: data::Error) -> Self {
        let told = e.told();
        AppError { kind: told.kind, message: told.message, field: told.field }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::Error> for AppError {
    fn from(e: domain::Error) -> Self {
        data::Error::from(e).into()
    }
}

use sea_orm::DbErr;

/// What a service refuses or fails at; the server maps each variant to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input (400).
    #[error("{message}")]
    Invalid { message: String, field: Option<String> },
    /// The caller could not show who or what it is, e.g. a failed human check (401).
    #[error("{message}")]
    Unauthorized { message: String, field: Option<String> },
    /// The caller is known but may not do this, e.g. a read-only key writing (403).
    #[error("{message}")]
    Forbidden { message: String },
    /// Missing, or not the caller's (404).
    #[error("{what} not found")]
    NotFound { what: &'static str, field: Option<String> },
    /// Refused in the current state, e.g. a locked invoice (409).
    #[error("{message}")]
    Conflict { message: String, field: Option<String> },
    /// Too many attempts; try again after `retry_after_secs` (429).
    #[error("{message}")]
    RateLimited { message: String, retry_after_secs: u64, standing: Option<crate::limits::Standing> },
    /// The sender's profile lacks what the action needs (422).
    #[error("{message}")]
    ProfileIncomplete { message: String, field: Option<String> },
    /// A service we depend on (Stripe) did not answer as it should (503).
    #[error("{message}")]
    Unavailable { message: String },
    #[error("{}", einvoice_refusal(.0))]
    EInvoiceInvalid(domain::einvoice::EInvoiceVerdict),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid { message: message.into(), field: Some(field.to_string()) }
    }

    pub fn not_found(what: &'static str) -> Self {
        Error::NotFound { what, field: None }
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Error::Conflict { message: message.into(), field: Some(field.to_string()) }
    }

    /// A refusal of what was asked (a 4xx), not a failure of ours or of another service.
    pub fn is_clients(&self) -> bool {
        !matches!(self, Error::Db(_) | Error::Unavailable { .. })
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. }
            | Error::Unauthorized { field, .. }
            | Error::NotFound { field, .. }
            | Error::Conflict { field, .. }
            | Error::ProfileIncomplete { field, .. } => field.as_deref(),
            Error::EInvoiceInvalid(verdict) => verdict.violations.first().and_then(|v| v.field.as_deref()),
            Error::Db(_) | Error::RateLimited { .. } | Error::Forbidden { .. } | Error::Unavailable { .. } => None,
        }
    }
}

/// What a client is told of an error, however it asked: the kind (and so the HTTP status),
/// a message, the field it is about, and when to try again.
#[derive(Debug, Clone, PartialEq)]
pub struct Told {
    pub kind: domain::ErrorKind,
    pub message: String,
    pub field: Option<String>,
    pub retry_after_secs: Option<u64>,
    /// The RateLimit fields of a limited request.
    /// Boxed, as the violations: a refusal stays small to pass around.
    pub standing: Option<Box<crate::limits::Standing>>,
    /// What an e-invoice breaks (EInvoiceInvalid only).
    pub violations: Option<Box<Violations>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Violations(pub Vec<domain::einvoice::EInvoiceViolation>);

/// "the XRechnung 3.0 (CII) e-invoice is not complete: <first> (and N more: see violations)"
fn einvoice_refusal(verdict: &domain::einvoice::EInvoiceVerdict) -> String {
    let first = verdict.violations.first().map(|v| v.message.as_str()).unwrap_or("it breaks its rules");
    let more = match verdict.violations.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more: see violations)", n - 1),
    };
    format!("the {} e-invoice is not complete: {first}{more}", verdict.format.label())
}

impl Error {
    /// The one mapping of service errors to what clients see. A database fault's details stay
    /// in the log, under a reference the client can quote.
    pub fn told(self) -> Told {
        use domain::ErrorKind as Kind;
        let field = self.field().map(str::to_string);
        let (kind, retry_after_secs, standing) = match &self {
            Error::Invalid { .. } => (Kind::Invalid, None, None),
            Error::Unauthorized { .. } => (Kind::Unauthorized, None, None),
            Error::Forbidden { .. } => (Kind::Forbidden, None, None),
            Error::NotFound { .. } => (Kind::NotFound, None, None),
            Error::Conflict { .. } => (Kind::Conflict, None, None),
            Error::ProfileIncomplete { .. } => (Kind::ProfileIncomplete, None, None),
            Error::Unavailable { .. } => (Kind::Unavailable, None, None),
            Error::RateLimited { retry_after_secs, standing, .. } => {
                (Kind::RateLimited, Some(*retry_after_secs), standing.clone().map(Box::new))
            }
            Error::EInvoiceInvalid(_) => (Kind::EInvoiceInvalid, None, None),
            Error::Db(err) => return Told::internal(&err.to_string()),
        };
        let violations = match &self {
            Error::EInvoiceInvalid(verdict) => Some(Box::new(Violations(verdict.violations.clone()))),
            _ => None,
        };
        Told { kind, message: self.to_string(), field, retry_after_secs, standing, violations }
    }
}

impl Told {
    /// An internal fault: logged with `detail` under a new reference; the client gets the
    /// reference only.
    pub fn internal(detail: &str) -> Told {
        let id = crate::secrets::random_token(6);
        tracing::error!(request_id = %id, error = %detail, "internal error");
        Told {
            kind: domain::ErrorKind::Internal,
            message: format!("internal error (request id {id})"),
            field: None,
            retry_after_secs: None,
            standing: None,
            violations: None,
        }
    }
}

impl From<domain::Error> for Error {
    fn from(e: domain::Error) -> Self {
        match e {
            domain::Error::Invalid { message, field } => Error::Invalid { message, field },
            domain::Error::Conflict { message, field } => Error::Conflict { message, field },
            t @ domain::Error::Transition { .. } => {
                Error::Conflict { message: t.to_string(), field: Some("status".into()) }
            }
        }
    }
}

/// Stored JSON that no longer parses is a server fault, not the client's.
pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Db(DbErr::Custom(format!("stored {what} is not valid JSON: {e}")))
}

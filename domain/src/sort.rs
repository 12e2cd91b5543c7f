//! The orders an invoice list offers (the list page, `GET /invoices?sort=`).

/// The order of an invoice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    /// Oldest first (the order they were made in).
    Oldest,
    /// Soonest due first.
    DueDate,
    DueDateDesc,
    /// Smallest total first.
    Amount,
    AmountDesc,
    /// By invoice number, A to Z (ACME-0001 before ACME-0002 before BETA-0001).
    Number,
    NumberDesc,
}

impl Sort {
    pub const ALL: [Sort; 8] = [
        Sort::Newest,
        Sort::Oldest,
        Sort::DueDate,
        Sort::DueDateDesc,
        Sort::Amount,
        Sort::AmountDesc,
        Sort::Number,
        Sort::NumberDesc,
    ];

    /// As the API and the list's links write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "-created",
            Sort::Oldest => "created",
            Sort::DueDate => "due_date",
            Sort::DueDateDesc => "-due_date",
            Sort::Amount => "amount",
            Sort::AmountDesc => "-amount",
            Sort::Number => "number",
            Sort::NumberDesc => "-number",
        }
    }

    pub fn parse(text: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "Newest first",
            Sort::Oldest => "Oldest first",
            Sort::DueDate => "Due soonest",
            Sort::DueDateDesc => "Due latest",
            Sort::Amount => "Smallest amount",
            Sort::AmountDesc => "Largest amount",
            Sort::Number => "Number A–Z",
            Sort::NumberDesc => "Number Z–A",
        }
    }
}

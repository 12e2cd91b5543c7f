//! The orders an invoice list offers (the list page, `GET /invoices?sort=`).

/// The order of an invoice list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Sort {
    #[default]
    Newest,
    /// Soonest due first.
    DueDate,
    DueDateDesc,
    /// Smallest total first.
    Amount,
    AmountDesc,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Newest, Sort::DueDate, Sort::DueDateDesc, Sort::Amount, Sort::AmountDesc];

    /// As the API and the list's links write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "-created",
            Sort::DueDate => "due_date",
            Sort::DueDateDesc => "-due_date",
            Sort::Amount => "amount",
            Sort::AmountDesc => "-amount",
        }
    }

    pub fn parse(text: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "Newest first",
            Sort::DueDate => "Due soonest",
            Sort::DueDateDesc => "Due latest",
            Sort::Amount => "Smallest amount",
            Sort::AmountDesc => "Largest amount",
        }
    }
}

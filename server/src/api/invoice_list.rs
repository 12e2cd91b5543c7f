//! The invoice list's parameters (GET /invoices and the MCP tool `list_invoices`), read from
//! name/value pairs: a query string's, or a tool's arguments (an array gives one pair per item).

use chrono::NaiveDate;
use data::Error;
use data::cursor::PageRequest;
use data::invoices::{DateRange, ListFilter};
use domain::Status;
use domain::sort::Sort;

/// What a list request asks for.
#[derive(Debug)]
pub struct ListParams {
    pub filter: ListFilter,
    pub page: PageRequest,
    /// `expand=customer`: each invoice carries its customer.
    pub expand_customer: bool,
}

/// The parameters' descriptions, shared by the OpenAPI operation and the tool's schema.
pub const STATUS: &str =
    "Only invoices in these statuses: repeat the parameter (status=sent&status=viewed) or separate by commas";
pub const CURRENCY: &str = "Only invoices in this currency (ISO 4217, e.g. EUR)";
pub const ISSUED_FROM: &str = "Only invoices issued on or after this date";
pub const ISSUED_TO: &str = "Only invoices issued on or before this date";
pub const DUE_FROM: &str = "Only invoices due on or after this date";
pub const DUE_TO: &str = "Only invoices due on or before this date";
pub const EXPAND: &str = "customer: each invoice carries its customer (read in one query)";

fn date(value: &str, field: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("{field} is a date like 2027-01-31")))
}

fn boolean(value: &str, field: &str) -> Result<bool, Error> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Error::invalid(field, format!("{field} is true or false"))),
    }
}

fn integer(value: &str, field: &str) -> Result<i64, Error> {
    value.trim().parse().map_err(|_| Error::invalid(field, format!("{field} must be an integer")))
}

impl ListParams {
    /// Reads the pairs; a value that is not what its name needs is refused naming it. Names
    /// this list does not know are left alone, as everywhere in the API.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<ListParams, Error> {
        let (mut filter, mut expand_customer) = (ListFilter::default(), false);
        let (mut limit, mut cursor) = (None, None);
        for (name, value) in pairs {
            match name {
                "limit" => limit = Some(integer(value, name)?),
                "cursor" => cursor = Some(value),
                "status" => {
                    for s in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let status =
                            Status::parse(s).ok_or_else(|| Error::invalid(name, format!("unknown status {s:?}")))?;
                        filter.statuses.push(status);
                    }
                }
                "customer_id" => filter.customer_id = Some(integer(value, name)?),
                "currency" => {
                    let code = value.trim().to_ascii_uppercase();
                    if domain::currency::minor_units(&code).is_none() {
                        return Err(Error::invalid(name, "currency is an ISO 4217 code we support, e.g. EUR"));
                    }
                    filter.currency = Some(code);
                }
                "issued_from" => filter.issued.from = Some(date(value, name)?),
                "issued_to" => filter.issued.to = Some(date(value, name)?),
                "due_from" => filter.due.from = Some(date(value, name)?),
                "due_to" => filter.due.to = Some(date(value, name)?),
                "q" => filter.search = Some(value.to_string()),
                "overdue" => filter.overdue = boolean(value, name)?,
                "sort" => {
                    let orders: Vec<&str> = Sort::ALL.iter().map(|s| s.as_str()).collect();
                    filter.sort = Sort::parse(value)
                        .ok_or_else(|| Error::invalid(name, format!("sort is one of {}", orders.join(", "))))?;
                }
                "expand" => {
                    for e in value.split(',').map(str::trim).filter(|e| !e.is_empty()) {
                        match e {
                            "customer" => expand_customer = true,
                            _ => return Err(Error::invalid(name, format!("expand can be customer, not {e:?}"))),
                        }
                    }
                }
                _ => {}
            }
        }
        filter.issued = DateRange::checked(filter.issued, "issued_from")?;
        filter.due = DateRange::checked(filter.due, "due_from")?;
        let page = PageRequest::parse(limit, cursor)?;
        Ok(ListParams { filter, page, expand_customer })
    }

    /// From a URL's query string.
    pub fn from_query(query: Option<&str>) -> Result<ListParams, Error> {
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned().collect();
        ListParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// From a tool's arguments: strings, numbers and booleans as they would be written in a
    /// query, an array as the parameter repeated.
    pub fn from_arguments(args: &serde_json::Map<String, serde_json::Value>) -> Result<ListParams, Error> {
        use serde_json::Value;
        let mut pairs = Vec::new();
        for (name, value) in args {
            let items = match value {
                Value::Array(items) => items.clone(),
                Value::Null => vec![],
                other => vec![other.clone()],
            };
            for item in items {
                let text = match item {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                pairs.push((name.clone(), text));
            }
        }
        ListParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(query: &str) -> Option<String> {
        ListParams::from_query(Some(query)).err().and_then(|e| e.field().map(str::to_string))
    }

    #[test]
    fn statuses_come_repeated_or_comma_separated() {
        let p = ListParams::from_query(Some("status=sent&status=viewed,paid&currency=eur&expand=customer")).unwrap();
        assert_eq!(p.filter.statuses, vec![Status::Sent, Status::Viewed, Status::Paid]);
        assert_eq!(p.filter.currency.as_deref(), Some("EUR"));
        assert!(p.expand_customer);
        let args = serde_json::json!({"status": ["sent", "viewed"], "limit": 5, "overdue": true});
        let p = ListParams::from_arguments(args.as_object().unwrap()).unwrap();
        assert_eq!(p.filter.statuses, vec![Status::Sent, Status::Viewed]);
        assert!(p.filter.overdue);
        assert_eq!(p.page.limit, 5);
    }

    #[test]
    fn each_bad_value_is_refused_by_name() {
        assert_eq!(field("status=sent,lost").as_deref(), Some("status"));
        assert_eq!(field("currency=XYZ").as_deref(), Some("currency"));
        assert_eq!(field("due_to=31.01.2027").as_deref(), Some("due_to"));
        assert_eq!(field("issued_from=2027-02-01&issued_to=2027-01-01").as_deref(), Some("issued_from"));
        assert_eq!(field("expand=lines").as_deref(), Some("expand"));
        assert_eq!(field("sort=colour").as_deref(), Some("sort"));
        assert_eq!(field("overdue=yes").as_deref(), Some("overdue"));
        assert_eq!(field("limit=0").as_deref(), Some("limit"));
        assert_eq!(field("customer_id=x").as_deref(), Some("customer_id"));
        assert!(ListParams::from_query(Some("unknown=1")).is_ok());
    }
}

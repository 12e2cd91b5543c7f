//! /api/v1/customers

use super::auth::{ApiSender, ApiWriter};
use super::body::{Checked, QueryParams, int_param};
use super::contract;
use super::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use data::cursor::PageRequest;
use data::customers;
use domain::dto::{Customer, ErrorBody, Page};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// Create a customer
#[utoipa::path(
    post, path = "/customers", operation_id = "createCustomer", tag = "customers",
    responses(
        (status = 201, description = "Customer created", body = Customer),
        (status = 400, description = "Validation error", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Checked(input): Checked<contract::CustomerCreate>,
) -> Result<(StatusCode, Json<Customer>), ApiError> {
    Ok((StatusCode::CREATED, Json(customers::create(&state.store, sender.id, input).await?)))
}

/// List customers
#[utoipa::path(
    get, path = "/customers", operation_id = "listCustomers", tag = "customers",
    params(
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
    ),
    responses(
        (status = 200, description = "List of customers", body = Page<Customer>),
        (status = 400, description = "Bad limit or cursor", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<Page<Customer>>, ApiError> {
    let page = PageRequest::parse(int_param(q.limit.as_deref(), "limit")?, q.cursor.as_deref())?;
    Ok(Json(customers::list(&state.store, sender.id, page).await?))
}

/// Get a customer by id
#[utoipa::path(
    get, path = "/customers/{customer_id}", operation_id = "getCustomer", tag = "customers",
    params(("customer_id" = i64, Path)),
    responses(
        (status = 200, description = "Customer", body = Customer),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(id): Path<String>,
) -> Result<Json<Customer>, ApiError> {
    // An id that is not a number names no customer.
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("customer not found"))?;
    Ok(Json(customers::get(&state.store, sender.id, id).await?))
}

/// Change a customer
///
/// The fields given replace the customer's (the rest stay); its code, and so its invoice
/// numbers, never change. Invoices already issued keep the recipient they were issued to.
#[utoipa::path(
    patch, path = "/customers/{customer_id}", operation_id = "updateCustomer", tag = "customers",
    params(("customer_id" = i64, Path)),
    responses(
        (status = 200, description = "Changed", body = Customer),
        (status = 400, description = "Validation error", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
    Checked(patch): Checked<contract::CustomerUpdate>,
) -> Result<Json<Customer>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("customer not found"))?;
    Ok(Json(customers::patch(&state.store, sender.id, id, patch).await?))
}

/// Delete a customer
///
/// Only a customer with no invoices, no recurring invoice and no deleted draft: one with
/// invoices stays on record (its invoices keep their numbers), 409.
#[utoipa::path(
    delete, path = "/customers/{customer_id}", operation_id = "deleteCustomer", tag = "customers",
    params(("customer_id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The customer has invoices", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found("customer not found"))?;
    customers::delete(&state.store, sender.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

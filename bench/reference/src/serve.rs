//! GET /json: a bare JSON handler. GET /invoices/{id}: one invoice row by primary key, as
//! JSON. POST /create: a transaction that bumps a counter and inserts a row, the shape of
//! creating a numbered invoice without any of its rules.

use crate::db::{Db, connect};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use sea_orm::sqlx::{self, Row};
use serde_json::{Value, json};

type Answer = Result<Json<Value>, (StatusCode, String)>;

fn failed(e: sqlx::Error) -> (StatusCode, String) {
    (StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
}

pub async fn run(addr: &str, url: &str) -> Result<(), crate::Failure> {
    let db = connect(url).await?;
    setup(&db).await?;
    let app = Router::new()
        .route("/json", get(|| async { Json(json!({"id": "ACME-0001", "status": "sent", "total_cents": 250000})) }))
        .route("/invoices/{id}", get(invoice))
        .route("/create", post(create))
        .with_state(db);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

async fn setup(db: &Db) -> Result<(), sqlx::Error> {
    let statements = [
        "CREATE TABLE IF NOT EXISTS bench_counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS bench_rows (n BIGINT PRIMARY KEY, body TEXT NOT NULL)",
        "INSERT INTO bench_counter (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    ];
    for sql in statements {
        match db {
            Db::Sqlite { writer, .. } => {
                sqlx::query(sql).execute(writer).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query(sql).execute(pool).await?;
            }
        }
    }
    Ok(())
}

const SELECT: &str = "SELECT id, number, status, currency, recipient, total_cents FROM invoices WHERE id = ?";

async fn invoice(State(db): State<Db>, Path(id): Path<i64>) -> Answer {
    let sql = db.sql(SELECT);
    let json = match &db {
        Db::Sqlite { readers, .. } => {
            let r = sqlx::query(&sql).bind(id).fetch_one(readers).await.map_err(failed)?;
            json!({"id": r.get::<String, _>(1), "status": r.get::<String, _>(2), "currency": r.get::<String, _>(3),
                   "recipient": r.get::<String, _>(4), "total_cents": r.get::<i64, _>(5)})
        }
        Db::Postgres(pool) => {
            let r = sqlx::query(&sql).bind(id).fetch_one(pool).await.map_err(failed)?;
            json!({"id": r.get::<String, _>(1), "status": r.get::<String, _>(2), "currency": r.get::<String, _>(3),
                   "recipient": r.get::<String, _>(4), "total_cents": r.get::<i64, _>(5)})
        }
    };
    Ok(Json(json))
}

const BUMP: &str = "UPDATE bench_counter SET n = n + 1 WHERE id = 1 RETURNING n";
const INSERT: &str = "INSERT INTO bench_rows (n, body) VALUES (?, ?)";

async fn create(State(db): State<Db>, Json(body): Json<Value>) -> Answer {
    let text = body.to_string();
    let n: i64 = match &db {
        Db::Sqlite { writer, .. } => {
            let mut txn = writer.begin().await.map_err(failed)?;
            let n = sqlx::query_scalar(BUMP).fetch_one(&mut *txn).await.map_err(failed)?;
            sqlx::query(INSERT).bind(n).bind(&text).execute(&mut *txn).await.map_err(failed)?;
            txn.commit().await.map_err(failed)?;
            n
        }
        Db::Postgres(pool) => {
            let mut txn = pool.begin().await.map_err(failed)?;
            let n = sqlx::query_scalar(BUMP).fetch_one(&mut *txn).await.map_err(failed)?;
            sqlx::query(&db.sql(INSERT)).bind(n).bind(&text).execute(&mut *txn).await.map_err(failed)?;
            txn.commit().await.map_err(failed)?;
            n
        }
    };
    Ok(Json(json!({ "n": n })))
}

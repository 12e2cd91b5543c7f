//! SQL text for the hot statements, built by SeaORM once per backend and reused.
//!
//! Building a statement's text (a share page's invoice with its lines names 42 columns) cost
//! more than running it on SQLite. A hot statement whose text depends only on its shape keeps
//! a `static Prepared`; each call passes its values and how to build the statement, which runs
//! only the first time, when the values it produces are checked against the ones passed.

use sea_orm::{DatabaseBackend, Statement, Value, Values};
use std::sync::OnceLock;

/// One statement shape's SQL text, per backend.
pub(crate) struct Prepared {
    sql: [OnceLock<String>; 2],
}

impl Prepared {
    pub(crate) const fn new() -> Prepared {
        Prepared { sql: [OnceLock::new(), OnceLock::new()] }
    }

    /// The statement with `values` bound; `build` makes it when this backend's text is not
    /// known yet. `values` must be the values `build` binds, in its order.
    pub(crate) fn statement(
        &self,
        backend: DatabaseBackend,
        values: Vec<Value>,
        build: impl FnOnce() -> Statement,
    ) -> Statement {
        let slot = match backend {
            DatabaseBackend::Postgres => &self.sql[0],
            _ => &self.sql[1],
        };
        if let Some(sql) = slot.get() {
            return Statement::from_sql_and_values(backend, sql.as_str(), values);
        }
        let built = build();
        // A shape whose values do not line up with the caller's would bind the wrong values
        // from the second call on: such text is never kept (and tests fail on it).
        let same = built.values.as_ref().map(|Values(v)| v == &values).unwrap_or(values.is_empty());
        debug_assert!(same, "prepared statement values differ from the built ones: {}", built.sql);
        if same {
            let _ = slot.set(built.sql.clone());
        }
        built
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::invoice;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

    fn by_sender(backend: DatabaseBackend, sender: i64) -> Statement {
        invoice::Entity::find().filter(invoice::Column::SenderId.eq(sender)).build(backend)
    }

    #[test]
    fn later_calls_bind_their_own_values_to_the_first_text() {
        static SHAPE: Prepared = Prepared::new();
        for backend in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            let first = SHAPE.statement(backend, vec![7i64.into()], || by_sender(backend, 7));
            let later = SHAPE.statement(backend, vec![9i64.into()], || panic!("built twice"));
            assert_eq!(later.sql, first.sql);
            assert_eq!(later.values, by_sender(backend, 9).values);
            assert_eq!(later.to_string(), by_sender(backend, 9).to_string());
        }
    }

    #[test]
    #[should_panic(expected = "values differ")]
    fn values_out_of_line_with_the_shape_are_refused() {
        static SHAPE: Prepared = Prepared::new();
        SHAPE.statement(DatabaseBackend::Sqlite, vec![1i64.into(), 2i64.into()], || {
            by_sender(DatabaseBackend::Sqlite, 1)
        });
    }
}

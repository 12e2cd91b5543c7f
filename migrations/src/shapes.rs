//! The column, key and index shapes later migrations build tables from (the early ones spell
//! theirs out and stay as they ran).

use sea_orm_migration::prelude::*;

pub fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id")).big_integer().not_null().auto_increment().primary_key().to_owned()
}

pub fn col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).to_owned()
}

pub fn big(name: &str) -> ColumnDef {
    col(name).big_integer().not_null().to_owned()
}

pub fn text(name: &str) -> ColumnDef {
    col(name).text().not_null().to_owned()
}

/// `table.column` refers to `parent.id`; deleting the parent does `on_delete`.
pub fn owned_by(table: &str, column: &str, parent: &str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(Alias::new(table), Alias::new(column))
        .to(Alias::new(parent), Alias::new("id"))
        .on_delete(on_delete)
        .to_owned()
}

/// An index: its name, table, columns and whether it is unique.
pub type IndexSpec = (&'static str, &'static str, &'static [&'static str], bool);

pub async fn create_indexes(m: &SchemaManager<'_>, indexes: &[IndexSpec]) -> Result<(), DbErr> {
    for (name, table, columns, unique) in indexes {
        let mut index = Index::create();
        index.name(*name).table(Alias::new(*table));
        for column in *columns {
            index.col(Alias::new(*column));
        }
        if *unique {
            index.unique();
        }
        m.create_index(index.to_owned()).await?;
    }
    Ok(())
}

/// Undoes `create_indexes`.
pub async fn drop_indexes(m: &SchemaManager<'_>, indexes: &[IndexSpec]) -> Result<(), DbErr> {
    for (name, table, ..) in indexes {
        m.drop_index(Index::drop().name(*name).table(Alias::new(*table)).to_owned()).await?;
    }
    Ok(())
}

/// A migration that only adds `$indexes` (an `&[IndexSpec]`), and drops them going down.
macro_rules! indexes_only {
    ($indexes:expr) => {
        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
                $crate::shapes::create_indexes(m, $indexes).await
            }

            async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
                $crate::shapes::drop_indexes(m, $indexes).await
            }
        }
    };
}
pub(crate) use indexes_only;

//! The configuration store: SQLite by default, PostgreSQL for multi-node, through sqlx's
//! `Any` driver with portable SQL and runtime-checked queries (no database needed to build).

pub mod bindings;
mod bulk;
pub mod call_writes;
pub mod cdrs;
pub mod changes;
mod live_calls;
pub mod events;
pub mod feature_codes;
pub mod mail;
pub mod outbox;
mod error;
pub mod page;
mod resources;
mod retry;
mod write_tx;
pub mod security;
pub mod voicemail;
mod mailboxes;
pub mod signing_keys;

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions, Executor, SqlSafeStr};

pub use error::{Outage, StoreError};
pub use write_tx::{GROUP_COMMIT_WAIT, WriteTx};
pub use page::{Page, PageRequest};
pub use resources::Stored;

/// The database engine behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The node this process is, named in the change log (`local` until set).
    node: std::sync::Arc<str>,
    /// Writers take turns here before they begin (SQLite; see `write_tx`).
    write_gate: write_tx::WriteGate,
}

/// Migrations, embedded so the binary needs no files at run time.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "configuration", include_str!("../../migrations/0001_configuration.sql")),
    (2, "bindings", include_str!("../../migrations/0002_bindings.sql")),
    (3, "cdrs", include_str!("../../migrations/0003_cdrs.sql")),
    (4, "events", include_str!("../../migrations/0004_events.sql")),
    (5, "webhook_outbox", include_str!("../../migrations/0005_webhook_outbox.sql")),
    (6, "security", include_str!("../../migrations/0006_security.sql")),
    (7, "lua_services", include_str!("../../migrations/0007_lua_services.sql")),
    (8, "cluster", include_str!("../../migrations/0008_cluster.sql")),
    (9, "event_journal", include_str!("../../migrations/0009_event_journal.sql")),
    (10, "mailboxes", include_str!("../../migrations/0010_mailboxes.sql")),
    (11, "feature_codes", include_str!("../../migrations/0011_feature_codes.sql")),
    (12, "voicemail", include_str!("../../migrations/0012_voicemail.sql")),
    (13, "mail", include_str!("../../migrations/0013_mail.sql")),
    (14, "ivr_menus", include_str!("../../migrations/0014_ivr_menus.sql")),
    (15, "voicemail_settings", include_str!("../../migrations/0015_voicemail_settings.sql")),
];

fn migrator() -> Migrator {
    Migrator::with_migrations(
        MIGRATIONS
            .iter()
            .map(|(version, description, sql)| {
                Migration::new(*version, Cow::Borrowed(*description), MigrationType::Simple, sql.into_sql_str(), false)
            })
            .collect(),
    )
}

impl Store {
    /// Opens (creating a SQLite file when needed) and migrates the store at `url`.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .acquire_timeout(Duration::from_secs(10))
            // A connection to an embedded file does not drop: pinging it before each use
            // would be one more round trip to its thread per query.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL makes every commit
                        // durable before the API answers; foreign keys are per connection.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Statement journals of multi-row statements stay in memory rather
                        // than in a temporary file created and removed per statement.
                        conn.execute("PRAGMA temp_store = MEMORY").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let store = Store { pool, backend, node: "local".into(), write_gate: Default::default() };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads first and writes later could otherwise
    /// fail with "database is locked" instead of waiting for another writer. Writers of
    /// this process wait their turn before that (`WriteTx`).
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.write_gate.clone().lock_owned().await;
                WriteTx::new(self.pool.begin_with("BEGIN IMMEDIATE").await?, Backend::Sqlite, Some(turn))
            }
            Backend::Postgres => WriteTx::new(self.pool.begin().await?, Backend::Postgres, None),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The same store, writing `node` into the change log.
    pub fn with_node(mut self, node: &str) -> Self {
        self.node = node.into();
        self
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Adds `mode=rwc` so the SQLite file is created on first start, and creates its folder.
fn sqlite_url(url: &str) -> Result<String, StoreError> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let file = path.split('?').next().unwrap_or(path);
    if let Some(dir) = Path::new(file).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        }
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    Ok(if path.contains("mode=") { format!("sqlite://{path}") } else { format!("sqlite://{path}{sep}mode=rwc") })
}

"""SQLite store: engine, PRAGMAs, sessions, Alembic migrations. No Qt."""

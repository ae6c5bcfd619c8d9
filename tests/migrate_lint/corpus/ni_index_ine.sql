-- expect-none: migrate/non-idempotent

CREATE INDEX CONCURRENTLY IF NOT EXISTS users_note_idx ON users (note);

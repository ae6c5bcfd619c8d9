-- Volatile default: PostgreSQL must compute a value per row, so it rewrites the whole table
-- under ACCESS EXCLUSIVE.
ALTER TABLE app.webhook_deliveries ADD COLUMN processed_at timestamptz NOT NULL DEFAULT clock_timestamp();

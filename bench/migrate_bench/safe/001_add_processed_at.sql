-- Non-volatile default: stored once in the catalog (PostgreSQL 11+), no rewrite.
ALTER TABLE app.webhook_deliveries ADD COLUMN processed_at timestamptz NOT NULL DEFAULT now();

-- expect-none: migrate/non-idempotent

ALTER TABLE users ADD COLUMN IF NOT EXISTS note text;

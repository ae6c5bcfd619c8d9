-- expect: migrate/non-idempotent

ALTER TABLE users ADD COLUMN note text;

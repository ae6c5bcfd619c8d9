-- expect: migrate/transaction-nesting

BEGIN;
ALTER TABLE users ADD COLUMN note text;

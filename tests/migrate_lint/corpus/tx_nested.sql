-- expect: migrate/transaction-nesting

BEGIN;
BEGIN;
ALTER TABLE users ADD COLUMN note text;
COMMIT;

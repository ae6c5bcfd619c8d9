-- expect-none: migrate/transaction-nesting

BEGIN;
ALTER TABLE users ADD COLUMN note text;
COMMIT;
BEGIN;
ALTER TABLE users ADD COLUMN note2 text;
COMMIT;

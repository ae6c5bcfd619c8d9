-- expect-none: migrate/transaction-nesting

BEGIN;
SAVEPOINT before_change;
ALTER TABLE users ADD COLUMN note text;
RELEASE SAVEPOINT before_change;
COMMIT;

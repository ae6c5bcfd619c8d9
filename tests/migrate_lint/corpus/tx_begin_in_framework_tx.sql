-- options: assume_in_transaction
-- expect: migrate/transaction-nesting=warning

BEGIN;
ALTER TABLE users ADD COLUMN note text;
COMMIT;

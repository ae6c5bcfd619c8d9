-- expect: migrate/enum-add-value-in-transaction=warning

BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
COMMIT;

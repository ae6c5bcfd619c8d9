-- options: pg_version=11
-- expect: migrate/enum-add-value-in-transaction=error

BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';
COMMIT;

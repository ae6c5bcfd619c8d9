-- expect-none: migrate/enum-add-value-in-transaction

BEGIN;
ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';
COMMIT;

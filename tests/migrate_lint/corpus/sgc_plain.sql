-- expect-none: migrate/stored-generated-column

ALTER TABLE orders ADD COLUMN total_cents bigint;

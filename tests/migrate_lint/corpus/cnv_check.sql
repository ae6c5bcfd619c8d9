-- expect: migrate/constraint-without-not-valid
-- expect-none: migrate/add-foreign-key

ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);

-- expect-none: migrate/constraint-without-not-valid
-- expect: migrate/add-foreign-key

ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;

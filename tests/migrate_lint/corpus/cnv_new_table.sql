-- expect-none: migrate/constraint-without-not-valid
-- expect-none: migrate/add-foreign-key

CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint, amount numeric);
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE payments ADD CONSTRAINT payments_amount_check CHECK (amount > 0);

CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint NOT NULL, total numeric(12,2));
CREATE INDEX orders_customer_idx ON orders (customer_id);

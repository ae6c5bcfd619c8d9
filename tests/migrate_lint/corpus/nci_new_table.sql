-- expect-none: migrate/non-concurrent-index
-- expect-none: migrate/missing-lock-timeout

CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);

-- expect-none: migrate/add-foreign-key
-- expect-none: migrate/constraint-without-not-valid

CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), body text);

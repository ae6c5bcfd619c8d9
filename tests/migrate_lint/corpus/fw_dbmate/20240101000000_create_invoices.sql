-- migrate:up
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint, issued_at timestamptz NOT NULL);

-- migrate:down
DROP TABLE invoices;

-- expect-none: migrate/not-null-without-default

CREATE TABLE tenants (id bigint PRIMARY KEY);
ALTER TABLE tenants ADD COLUMN name text NOT NULL;

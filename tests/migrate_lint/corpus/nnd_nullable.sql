-- expect-none: migrate/not-null-without-default

ALTER TABLE users ADD COLUMN tenant_id bigint;

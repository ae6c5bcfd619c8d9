-- expect-none: migrate/rename-table

CREATE TABLE staging_accounts (id bigint);
ALTER TABLE staging_accounts RENAME TO accounts_v2;

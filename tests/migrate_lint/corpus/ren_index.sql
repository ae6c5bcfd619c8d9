-- expect-none: migrate/rename-table
-- expect-none: migrate/rename-column

ALTER INDEX users_email_idx RENAME TO users_email_key;

-- expect-none: migrate/rename-column
-- expect-none: migrate/unused-ignore

-- dbwright:ignore migrate/rename-column view keeps the old name
ALTER TABLE users RENAME COLUMN name TO full_name;

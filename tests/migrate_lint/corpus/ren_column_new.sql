-- expect-none: migrate/rename-column

CREATE TABLE tmp_users (name text);
ALTER TABLE tmp_users RENAME COLUMN name TO full_name;

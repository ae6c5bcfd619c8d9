-- expect: migrate/rename-column

DO $$
BEGIN
  EXECUTE 'ALTER TABLE users RENAME COLUMN nick TO handle';
END
$$;

-- expect: migrate/concurrently-in-transaction

DO $$
BEGIN
  EXECUTE 'CREATE INDEX CONCURRENTLY orders_x_idx ON orders (x)';
END
$$;

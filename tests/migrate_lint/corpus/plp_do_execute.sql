-- expect: migrate/non-concurrent-index

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'orders_total_idx') THEN
    EXECUTE 'CREATE INDEX orders_total_idx ON orders (total)';
  END IF;
END
$$;

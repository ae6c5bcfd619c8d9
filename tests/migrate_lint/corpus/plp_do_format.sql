-- expect-none: migrate/non-concurrent-index

DO $$
BEGIN
  EXECUTE format('CREATE INDEX %I ON orders (total)', 'orders_total_idx');
END
$$;

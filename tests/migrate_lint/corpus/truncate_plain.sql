-- expect-none: migrate/truncate-cascade

TRUNCATE staging_orders;

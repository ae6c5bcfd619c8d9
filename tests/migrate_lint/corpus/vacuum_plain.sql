-- expect-none: migrate/vacuum-full-or-cluster

VACUUM (ANALYZE) orders;

-- expect-none: migrate/vacuum-full-or-cluster

ANALYZE orders;

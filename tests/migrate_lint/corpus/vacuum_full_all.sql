-- expect: migrate/vacuum-full-or-cluster

VACUUM (FULL, ANALYZE);

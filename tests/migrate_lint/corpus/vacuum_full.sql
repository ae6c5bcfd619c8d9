-- expect: migrate/vacuum-full-or-cluster

VACUUM FULL orders;

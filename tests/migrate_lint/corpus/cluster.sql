-- expect: migrate/vacuum-full-or-cluster

CLUSTER orders USING orders_pkey;

-- expect: migrate/drop-database

DROP DATABASE IF EXISTS analytics;

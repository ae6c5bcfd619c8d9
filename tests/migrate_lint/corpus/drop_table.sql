-- expect: migrate/drop-table

DROP TABLE IF EXISTS audit_log;

-- expect: migrate/rename-table

ALTER TABLE users RENAME TO accounts;

-- expect-none: migrate/unbatched-update-delete

INSERT INTO archive SELECT * FROM orders WHERE created_at < '2020-01-01';

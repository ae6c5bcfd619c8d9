-- expect-none: migrate/unbatched-update-delete

CREATE TABLE imports (id bigint, done bool);
UPDATE imports SET done = true;

-- expect-none: migrate/drop-column
-- expect-none: migrate/unused-ignore

-- dbwright:ignore-file drop-column contract phase, clients moved in v42
ALTER TABLE users DROP COLUMN IF EXISTS legacy_a;
ALTER TABLE users DROP COLUMN IF EXISTS legacy_b;

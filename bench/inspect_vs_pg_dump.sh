#!/usr/bin/env bash
# `dbwright inspect` against `pg_dump --schema-only` on the same generated schema of
# TABLES tables (10 columns each, a primary key and one more index each, one FK each).
source "$(dirname "$0")/common.sh"
TABLES=${TABLES:-10000}
RUNS=${RUNS:-3}
d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
uri=$("$DBW" sandbox start --dir "$d" --set max_locks_per_transaction=1024)
trap '"$DBW" sandbox stop --dir "$d" >/dev/null' EXIT
echo "generating $TABLES tables ..." >&2
t0=$(now_ms)
awk -v n="$TABLES" 'BEGIN {
  for (i = 1; i <= n; i++) {
    printf "CREATE TABLE t%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id bigint, name text NOT NULL, qty integer, price numeric(10,2), created_at timestamptz DEFAULT now(), flag boolean, note varchar(200), payload jsonb, ref_code text);\n", i
    printf "CREATE INDEX t%d_parent_idx ON t%d (parent_id, created_at);\n", i, i
    if (i % 500 == 0) print "COMMIT; BEGIN;"
  }
  for (i = 1; i <= n; i++) {
    printf "ALTER TABLE t%d ADD CONSTRAINT t%d_parent_fk FOREIGN KEY (parent_id) REFERENCES t%d (id);\n", i, i, (i == 1 ? n : i - 1)
    if (i % 500 == 0) print "COMMIT; BEGIN;"
  }
}' | { echo "BEGIN;"; cat; echo "COMMIT;"; } | psql -q -X -v ON_ERROR_STOP=1 "$uri" >/dev/null
psql -q -X "$uri" -c "ANALYZE" >/dev/null
echo "generated in $(( $(now_ms) - t0 )) ms: $(psql -AtX "$uri" -c "select count(*) from pg_class where relkind='r' and relnamespace='public'::regnamespace") tables, $(psql -AtX "$uri" -c "select count(*) from pg_attribute a join pg_class c on c.oid=a.attrelid where c.relnamespace='public'::regnamespace and c.relkind='r' and a.attnum>0") columns, $(psql -AtX "$uri" -c "select count(*) from pg_indexes where schemaname='public'") indexes, $(psql -AtX "$uri" -c "select count(*) from pg_constraint where contype='f'") foreign keys" >&2
ours=() peer=()
for i in $(seq "$RUNS"); do
  t0=$(now_ms); "$DBW" inspect --db "$uri" --format json >/dev/null; t1=$(now_ms); ours+=($((t1 - t0)))
  t0=$(now_ms); "$PGBIN/pg_dump" --schema-only -d "$uri" >/dev/null; t1=$(now_ms); peer+=($((t1 - t0)))
done
mo=$(median "${ours[@]}"); mp=$(median "${peer[@]}")
echo "inspect on $TABLES tables: dbwright median ${mo} ms, pg_dump --schema-only median ${mp} ms over $RUNS runs"
awk -v a="$mo" -v b="$mp" 'BEGIN {printf "ratio (pg_dump/dbwright): %.2fx\n", b/a}'

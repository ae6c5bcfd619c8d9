#!/usr/bin/env bash
# `dbwright model erd` (Mermaid; SVG through Graphviz dot, one diagram per connected component;
# HTML) and `dbwright model dictionary` on a generated schema of TABLES tables in components of
# GROUP tables (each table has a commented primary key, 6 columns and an FK to an earlier table
# of its component). pg_dump --schema-only on the same database is printed as the reference.
source "$(dirname "$0")/common.sh"
TABLES=${TABLES:-10000}
GROUP=${GROUP:-10}
RUNS=${RUNS:-3}
d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
out=$(mktemp -d /tmp/dbw-bench-out-XXXXXX)
uri=$("$DBW" sandbox start --dir "$d" --set max_locks_per_transaction=1024)
trap '"$DBW" sandbox stop --dir "$d" >/dev/null; rm -rf "$out"' EXIT
echo "generating $TABLES tables in components of $GROUP ..." >&2
t0=$(now_ms)
awk -v n="$TABLES" -v g="$GROUP" 'BEGIN {
  srand(42)
  for (i = 0; i < n; i++) {
    printf "CREATE TABLE t%d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id bigint, name text NOT NULL, qty integer, created_at timestamptz NOT NULL DEFAULT now(), note text);\n", i
    printf "COMMENT ON TABLE t%d IS %cTable number %d.%c;\n", i, 39, i, 39
    if (i % g != 0) {
      p = i - 1 - int(rand() * (i % g))
      printf "ALTER TABLE t%d ADD CONSTRAINT t%d_parent_fk FOREIGN KEY (parent_id) REFERENCES t%d (id);\n", i, i, p
    }
    if (i % 500 == 499) print "COMMIT; BEGIN;"
  }
}' | { echo "BEGIN;"; cat; echo "COMMIT;"; } | psql -q -X -v ON_ERROR_STOP=1 "$uri" >/dev/null
psql -q -X "$uri" -c "ANALYZE" >/dev/null
echo "generated in $(( $(now_ms) - t0 )) ms" >&2
declare -A times
run() {  # name, command...
  local name=$1; shift
  local samples=()
  for i in $(seq "$RUNS"); do
    local t0; t0=$(now_ms); "$@" >/dev/null; samples+=($(( $(now_ms) - t0 )))
  done
  times[$name]=$(median "${samples[@]}")
  echo "$name: median ${times[$name]} ms over $RUNS runs"
}
run "erd mermaid" "$DBW" model erd --db "$uri" --format mermaid -o "$out/erd.mmd"
run "erd svg --split component" "$DBW" model erd --db "$uri" --format svg --split component -o "$out/svg"
run "erd html --split component" "$DBW" model erd --db "$uri" --format html --split component -o "$out/erd.html"
run "dictionary markdown" "$DBW" model dictionary --db "$uri" -o "$out/dictionary.md"
run "pg_dump --schema-only (reference)" "$PGBIN/pg_dump" --schema-only -d "$uri" -f "$out/dump.sql"
echo "outputs: $(ls "$out/svg" | wc -l) SVG files, erd.html $(du -h "$out/erd.html" | cut -f1), dictionary.md $(du -h "$out/dictionary.md" | cut -f1)"
echo "end to end (erd svg + dictionary): $(( ${times["erd svg --split component"]} + ${times["dictionary markdown"]} )) ms"

# Shared helpers for the benchmark scripts (sourced, not run).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DBW=${DBW:-$ROOT/build/dbwright}
[[ -x $DBW ]] || { echo "build dbwright first: scripts/bootstrap.sh" >&2; exit 2; }
PGBIN=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[[ -x $PGBIN/initdb ]] || PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

now_ms() { date +%s%3N; }
# median of numbers given as arguments
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# generate_schema N URI: N tables of 10 columns, each with a primary key, one more index and one
# foreign key (to the previous table, the first to the last), analyzed; prints counts on stderr.
generate_schema() {
  local n=$1 uri=$2 t0
  echo "generating $n tables ..." >&2
  t0=$(now_ms)
  awk -v n="$n" 'BEGIN {
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
}

# generated_schema_sandbox N: a sandbox (stopped when the script exits) holding generate_schema's
# N tables; sets uri.
generated_schema_sandbox() {
  local d
  d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
  uri=$("$DBW" sandbox start --dir "$d" --set max_locks_per_transaction=1024)
  # shellcheck disable=SC2064  # expand $d now: it is local
  trap "\"$DBW\" sandbox stop --dir \"$d\" >/dev/null" EXIT
  generate_schema "$1" "$uri"
}

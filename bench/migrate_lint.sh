#!/usr/bin/env bash
# Migration-lint throughput: statements/s of `dbwright migrate lint` (one core, one process) on
#   1. the test corpus (tests/migrate_lint/corpus/*.sql, syntax-error cases left out) concatenated
#      COPIES times into one file,
#   2. a generated file of 100,000 statements (a mix of DDL, DML and transaction control),
#   3. the corpus copied as separate files into one directory (memory must not grow with files).
# Usage: bench/migrate_lint.sh [path/to/dbwright] [COPIES]
# Prints the figures docs/benchmarks.md quotes. The peer tool (squawk) is not packaged for
# Debian 12, so no ratio is printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/dbwright}
copies=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

corpus=$(ls "$root"/tests/migrate_lint/corpus/*.sql | grep -v '/syn_')
cat $corpus > "$work/corpus1.sql"
for _ in $(seq "$copies"); do cat "$work/corpus1.sql"; done > "$work/corpus_many.sql"

python3 - "$work/stmts100k.sql" <<'PY'
import sys
templates = [
    "CREATE TABLE IF NOT EXISTS t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, created_at timestamptz NOT NULL DEFAULT now());",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS t{i}_name_idx ON t{i} (name);",
    "ALTER TABLE orders ADD COLUMN IF NOT EXISTS c{i} text;",
    "ALTER TABLE orders ADD CONSTRAINT orders_c{i}_check CHECK (length(c{i}) < 100) NOT VALID;",
    "ALTER TABLE orders VALIDATE CONSTRAINT orders_c{i}_check;",
    "UPDATE orders SET c{i} = 'x' WHERE id BETWEEN {i} AND {i} + 1000;",
    "CREATE INDEX orders_c{i}_idx ON orders (c{i});",
    "ALTER TABLE users ALTER COLUMN v{i} TYPE bigint;",
    "INSERT INTO audit (event, at) VALUES ('m{i}', now());",
    "SET lock_timeout = '2s';",
]
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        f.write(templates[i % len(templates)].format(i=i) + "\n")
PY

mkdir -p "$work/dir1" "$work/dir"
for f in $corpus; do cp "$f" "$work/dir1/"; done
for c in $(seq 20); do
  for f in $corpus; do cp "$f" "$work/dir/$(printf %03d "$c")_$(basename "$f")"; done
done

run() {
  local label=$1; shift
  local out
  out=$( { /usr/bin/time -f "cpu_s=%U+%S maxrss_kb=%M" "$bin" migrate lint "$@" --stats --format json -o /dev/null; } 2>&1 || true)
  local stmts cpu
  stmts=$(echo "$out" | grep -o '[0-9]* statements in' | cut -d' ' -f1)
  cpu=$(echo "$out" | grep -o 'cpu_s=[0-9.+]*' | cut -d= -f2 | bc -l)
  if [ "$(echo "$cpu < 0.01" | bc -l)" = 1 ]; then cpu=0.01; fi  # /usr/bin/time's resolution
  # Wall-clock rate of the lint alone (--stats), and statements per CPU-second of the whole
  # process (parse, lint, render): the per-core figure, robust when the machine is shared.
  echo "$label: $(echo "$out" | grep 'statements/s' | sed 's/^migrate lint: //'); whole process: ${cpu} CPU s = $(echo "$stmts / $cpu" | bc) statements per CPU-second; $(echo "$out" | grep -o 'maxrss_kb=[0-9]*')"
}
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
run "corpus x1 ($(wc -c < "$work/corpus1.sql") bytes)" "$work/corpus1.sql"
run "corpus x$copies ($(wc -c < "$work/corpus_many.sql") bytes)" "$work/corpus_many.sql"
run "100,000-statement file ($(wc -c < "$work/stmts100k.sql") bytes)" "$work/stmts100k.sql"
run "corpus as $(ls "$work/dir1" | wc -l) separate files" "$work/dir1"
run "corpus as $(ls "$work/dir" | wc -l) separate files" "$work/dir"

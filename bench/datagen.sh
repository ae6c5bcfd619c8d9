#!/usr/bin/env bash
# dbwright datagen against pgbench -i (client-side generation), same tables and row counts, on
# the same sandbox, one run each; then the examples/saas schema with 10M rows in its largest
# table (the growth.toml proportions scaled so app.webhook_deliveries gets 10M), and the same at
# 1M to compare datagen's peak memory (max RSS) at both sizes.
# Prints wall time, rows/s and MB/s of heap written for each, the ratio, and the max RSS.
# usage: bench/datagen.sh            (SCALE=100 by default: 10M pgbench_accounts rows;
#        SKIP_PGBENCH=1 runs only the examples/saas part; SAAS_SIZES="1000000 10000000" the
#        largest-table sizes of that part)
source "$(dirname "$0")/common.sh"
SCALE=${SCALE:-100}
SAAS_LARGEST=${SAAS_LARGEST:-10000000}
d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
uri=$("$DBW" sandbox start --dir "$d" --set shared_buffers=1GB --set max_wal_size=8GB --set checkpoint_timeout=30min)
trap '"$DBW" sandbox stop --dir "$d" >/dev/null' EXIT
PSQL=("$PGBIN/psql" -qAtX "$uri")
port=$("${PSQL[@]}" -c "SHOW port")
heap() { "${PSQL[@]}" -c "SELECT coalesce(sum(pg_table_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"; }
rows() { "${PSQL[@]}" -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables"; }
report() {  # name ms heap_bytes rows
  awk -v n="$1" -v ms="$2" -v b="$3" -v r="$4" 'BEGIN { printf "%-28s %8.1f s  %12d rows  %10.0f rows/s  %7.1f MB/s heap\n", n, ms / 1000, r, r / (ms / 1000), b / 1e6 / (ms / 1000) }'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if [[ -z ${SKIP_PGBENCH:-} ]]; then
# (a) pgbench -i -s SCALE: drop, create, generate client-side (COPY), vacuum, primary keys.
"${PSQL[@]}" -c "CHECKPOINT"
t0=$(now_ms)
"$PGBIN/pgbench" -i -s "$SCALE" -q -h "$d" -p "$port" -U postgres postgres >/dev/null 2>&1
t1=$(now_ms)
pg_ms=$((t1 - t0)); pg_heap=$(heap); pg_rows=$(rows)
"${PSQL[@]}" -c "CHECKPOINT"
# dbwright datagen into the same four tables (pgbench's schema kept, contents replaced).
t0=$(now_ms)
/usr/bin/time -f %M -o /tmp/dbw-bench-rss-pgbench "$DBW" datagen --db "$uri" --yes --no-progress --rows public.pgbench_accounts=$((SCALE * 100000)) \
  --rows public.pgbench_branches="$SCALE" --rows public.pgbench_tellers=$((SCALE * 10)) --rows public.pgbench_history=0 >/dev/null
t1=$(now_ms)
dg_ms=$((t1 - t0)); dg_heap=$(heap); dg_rows=$("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM pgbench_accounts) + (SELECT count(*) FROM pgbench_branches) + (SELECT count(*) FROM pgbench_tellers)")
echo "(a) pgbench tables, scale $SCALE"
report "pgbench -i" "$pg_ms" "$pg_heap" "$pg_rows"
report "dbwright datagen" "$dg_ms" "$dg_heap" "$dg_rows"
awk -v a="$dg_ms" -v b="$pg_ms" 'BEGIN { printf "ratio datagen / pgbench -i wall time: %.2f (target <= 1.25)\n", a / b }'
echo "datagen max RSS: $(( $(tail -1 /tmp/dbw-bench-rss-pgbench) / 1024 )) MB"; rm -f /tmp/dbw-bench-rss-pgbench
"${PSQL[@]}" -c "DROP TABLE pgbench_accounts, pgbench_branches, pgbench_tellers, pgbench_history"
fi

# (b) examples/saas with N rows in its largest table, growth.toml proportions, each size in its
# own database; datagen's peak resident memory (max RSS, /usr/bin/time) at each size shows that
# memory does not grow with the row count (rows are streamed, never materialized).
saas() {  # saas LARGEST
  local big=$1 db=saas_$1 t0 t1 rss_file rows heap
  "${PSQL[@]}" -c "CREATE DATABASE $db"
  local saas_uri="${uri/@\/postgres/@\/$db}"
  "$PGBIN/psql" -qAtX "$saas_uri" -v ON_ERROR_STOP=1 -f "$ROOT/examples/saas/schema.sql" >/dev/null
  local args=()
  while read -r table n; do args+=(--rows "$table=$n"); done < <(awk -v big="$big" '
    /^\[tables\."/ { gsub(/^\[tables\."|"\]$/, ""); t = $0 }
    /^rows *=/ { r[t] = $3; if ($3 > max) max = $3 }
    END {
      # subscriptions_one_live_key (a partial unique index) is made unique over all rows: at most
      # one subscription per account (see docs/datagen.md, Limits).
      if (r["billing.subscriptions"] > r["app.accounts"]) r["billing.subscriptions"] = r["app.accounts"]
      for (t in r) printf "%s %d\n", t, r[t] * big / max }' "$ROOT/examples/saas/growth.toml")
  # Tables growth.toml does not size get datagen's default 1000 rows, or as many as app.accounts
  # when that is fewer (app.account_settings is one row per account).
  local accounts
  accounts=$(printf '%s\n' "${args[@]}" | awk -F= '$1 == "app.accounts" { print $2 }')
  args+=(--default-rows "$(( accounts < 1000 ? accounts : 1000 ))")
  "$PGBIN/psql" -qAtX "$saas_uri" -c "CHECKPOINT"
  rss_file=$(mktemp /tmp/dbw-bench-rss-XXXXXX)
  t0=$(now_ms)
  /usr/bin/time -f %M -o "$rss_file" "$DBW" datagen --db "$saas_uri" --yes --no-progress "${args[@]}" > /tmp/dbw-bench-saas.txt
  t1=$(now_ms)
  rows=$("$PGBIN/psql" -qAtX "$saas_uri" -c "SELECT sum(n_live_tup) FROM pg_stat_user_tables")
  heap=$("$PGBIN/psql" -qAtX "$saas_uri" -c "SELECT sum(pg_table_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname IN ('app', 'billing')")
  rss_kb=$(tail -1 "$rss_file"); rm -f "$rss_file"
  echo "(b) examples/saas, $big rows in the largest table (target < 60 s at 10M)"
  report "dbwright datagen" "$((t1 - t0))" "$heap" "$rows"
  echo "datagen max RSS: $((rss_kb / 1024)) MB ($rss_kb kB)"
  tail -1 /tmp/dbw-bench-saas.txt
  "${PSQL[@]}" -c "DROP DATABASE $db"
}
rss=()
for big in ${SAAS_SIZES:-1000000 $SAAS_LARGEST}; do
  saas "$big"
  rss+=("$big=$rss_kb")
done
echo "datagen max RSS by size (kB): ${rss[*]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

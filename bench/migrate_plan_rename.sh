#!/usr/bin/env bash
# The worked example of docs/migrate-plan.md: `migrate plan --rename-column` on
# app.webhook_deliveries of examples/saas with ROWS rows (generate_series), then every step run
# with `migrate up --to` and timed, while a pgbench writer of the old application version
# (INSERT and UPDATE of response_status, RATE tps) runs; its p99 and max latency per step are
# printed too. Leaves in OUT (default /tmp/dbw-rename-example) what examples/migrate_plan_rename
# holds: plan.txt, migrations/ (planned with --dir migrations inside OUT), RUNBOOK.md and run.txt
# (this script's output: command, commit, load average before and after, every step's duration).
# usage: ROWS=10000000 bench/migrate_plan_rename.sh     (default 1M rows)
source "$(dirname "$0")/common.sh"
ROWS=${ROWS:-1000000}
RATE=${RATE:-50}
OUT=${OUT:-/tmp/dbw-rename-example}
rm -rf "$OUT"; mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec > >(tee "$OUT/run.txt")
echo "ROWS=$ROWS RATE=$RATE bench/migrate_plan_rename.sh   (commit $(git -C "$ROOT" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "load before:$(uptime | sed 's/.*load average:/ load average/')"
d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
uri=$("$DBW" sandbox start --dir "$d" --set shared_buffers=512MB --set max_wal_size=4GB --set checkpoint_timeout=30min)
logs=$(mktemp -d /tmp/dbw-bench-logs-XXXXXX); chmod 777 "$logs"
trap '"$DBW" sandbox stop --dir "$d" >/dev/null; rm -rf "$logs"' EXIT
PSQL=("$PGBIN/psql" -qAtX -v ON_ERROR_STOP=1 "$uri")
port=$("${PSQL[@]}" -c "SHOW port")

"${PSQL[@]}" -f "$ROOT/examples/saas/schema.sql" >/dev/null
"${PSQL[@]}" -f "$ROOT/examples/saas/seed.sql" >/dev/null
t0=$(now_ms)
"${PSQL[@]}" -c "INSERT INTO app.webhook_deliveries (webhook_id, event_id, event_type, request_body, response_status, delivery_status, attempted_at)
  SELECT w.id, g, 'ticket.created', json_build_object('ticket', g), CASE WHEN g % 10 = 0 THEN NULL ELSE 200 + (g % 4) * 100 END,
         CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'succeeded' END, now() - make_interval(secs => g)
    FROM generate_series(1, $ROWS) g CROSS JOIN LATERAL (SELECT id FROM app.webhooks ORDER BY id LIMIT 1 OFFSET (g % 2)) w" \
  -c "VACUUM ANALYZE app.webhook_deliveries" -c "CHECKPOINT"
echo "loaded $ROWS rows into app.webhook_deliveries in $(( ($(now_ms) - t0) / 1000 )) s ($("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_total_relation_size('app.webhook_deliveries'))"))"
last=$("${PSQL[@]}" -c "SELECT max(id) FROM app.webhook_deliveries")  # rows above it are the writer's
before=$("${PSQL[@]}" -c "SELECT md5(string_agg(id || '=' || coalesce(response_status::text, '-'), ',' ORDER BY id)) FROM app.webhook_deliveries")

# Planned and run from inside OUT, so the files and the runbook name the directory as `migrations`.
cd "$OUT"
"$DBW" migrate plan --db "$uri" --dir migrations --rename-column app.webhook_deliveries.response_status:http_status > plan.txt
cat plan.txt
"$DBW" migrate runbook --db "$uri" --dir migrations -o RUNBOOK.md

# The old version's writes, at RATE tps on 2 clients, during every step.
# It inserts rows and updates the one it inserted, so the ROWS rows loaded above stay untouched
# and their checksum can be compared after the contract.
cat > "$logs/old_app.sql" <<SQL
\set st random(2, 5)
INSERT INTO app.webhook_deliveries (webhook_id, event_id, event_type, request_body, response_status) VALUES (1, 0, 'x', '{}', 201) RETURNING id \\gset
UPDATE app.webhook_deliveries SET response_status = :st * 100, attempt = attempt + 1 WHERE id = :id;
SQL
for up in $(ls migrations/*.up.sql | sort); do
  f=$(basename "$up"); v=${f%%_*}
  rm -f "$logs"/pgbench_log.*
  if [[ $f != *contract* ]]; then  # the contract runs after the new version is deployed: no old writer
    "$PGBIN/pgbench" -h "$d" -p "$port" -U postgres -n -c 2 -j 2 -R "$RATE" -T 100000 -f "$logs/old_app.sql" \
      -l --log-prefix="$logs/pgbench_log" postgres >/dev/null 2>&1 &
    w=$!; sleep 2
  fi
  t0=$(date +%s.%N)
  "$DBW" migrate up --to "$v" --dir migrations --db "$uri" 2>"$logs/up.err" || { cat "$logs/up.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  writer="no writer"
  if [[ $f != *contract* ]]; then
    sleep 3; kill -TERM $w 2>/dev/null || true; wait $w 2>/dev/null || true
    writer=$(cat "$logs"/pgbench_log.* | awk -v a="$t0" -v b="$t1" '{t = $5 + $6 / 1e6; if (t >= a && t <= b) print $3 / 1000}' | sort -n |
      awk '{v[NR] = $1} END { if (!NR) { print "writer: no tx in the window"; exit }
        i = int(NR * 0.99); if (i < 1) i = 1
        printf "writer %d tx, p99 %.1f ms, max %.1f ms", NR, v[i], v[NR] }')
  fi
  printf "%-58s %8.1f s   %s\n" "$f" "$(echo "$t1 - $t0" | bc)" "$writer"
done
after=$("${PSQL[@]}" -c "SELECT md5(string_agg(id || '=' || coalesce(http_status::text, '-'), ',' ORDER BY id)) FROM app.webhook_deliveries WHERE id <= $last")
echo "checksum of the loaded rows: (id, response_status) before $before, (id, http_status) after $after: $([[ $before == "$after" ]] && echo equal || echo DIFFERENT)"
echo "rows the old version wrote during the steps, all with http_status set: $("${PSQL[@]}" -c "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE http_status IS NULL) || ' NULL' FROM app.webhook_deliveries WHERE id > $last")"
"$DBW" migrate verify --dir migrations --db "$uri"
echo "load after:$(uptime | sed 's/.*load average:/ load average/')"

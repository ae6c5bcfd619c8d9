#!/usr/bin/env bash
# migrate bench: ADD COLUMN ... NOT NULL DEFAULT with a volatile default (rewrite) against the
# safe form, on examples/saas with ROWS rows in app.webhook_deliveries (default 10M), each on a
# fresh datagen-filled sandbox, with the concurrent writer. Prints both tables.
# usage: bench/migrate_bench.sh        (ROWS=10000000)
source "$(dirname "$0")/common.sh"
ROWS=${ROWS:-10000000}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for form in rewrite safe; do
  echo "== $form =="
  "$DBW" migrate bench "$ROOT/bench/migrate_bench/$form" --ddl "$ROOT/examples/saas" --default-rows 1000 \
    --rows app.webhooks=10000 --rows "app.webhook_deliveries=$ROWS" --format markdown 2>&1 || true
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

#!/usr/bin/env bash
# Sandbox start-to-ready time, median of 10, against the plain initdb + pg_ctl start -w that
# throwaway-cluster scripts use (same binaries, same machine).
source "$(dirname "$0")/common.sh"
N=${N:-10}
ours=() peer=()
for i in $(seq "$N"); do
  d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
  t0=$(now_ms); "$DBW" sandbox start --dir "$d" >/dev/null; t1=$(now_ms)
  ours+=($((t1 - t0)))
  "$DBW" sandbox stop --dir "$d" >/dev/null
  d=$(mktemp -d /tmp/pgctl-bench-XXXXXX); chmod 755 "$d"; [[ $(id -u) -eq 0 ]] && chown postgres "$d"
  t0=$(now_ms)
  as_pg "$PGBIN/initdb" -D "$d/data" -U postgres -A trust --no-sync >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$d/data" -w -l "$d/log" -o "-k $d -c listen_addresses=''" start >/dev/null
  t1=$(now_ms)
  peer+=($((t1 - t0)))
  as_pg "$PGBIN/pg_ctl" -D "$d/data" -m immediate stop >/dev/null; rm -rf "$d"
done
mo=$(median "${ours[@]}"); mp=$(median "${peer[@]}")
echo "sandbox start-to-ready: dbwright median ${mo} ms, initdb+pg_ctl median ${mp} ms over $N runs"
awk -v a="$mo" -v b="$mp" 'BEGIN {printf "ratio (peer/dbwright): %.2fx\n", b/a}'

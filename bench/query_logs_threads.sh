#!/usr/bin/env bash
# How `dbwright query logs -j 2` spreads its work over threads, measured on a shared machine where
# wall time says little: the CPU time of each thread (sampled from /proc/PID/task every 20 ms), the
# share done by the parsing workers, and the wall-time bound on an idle 2-core machine that this
# split gives (Amdahl: reading thread + workers / 2). Then -j 1 and -j 2 alternated ROUNDS times
# with the load average beside each run.
#
#   LOG=/tmp/q9log/w/server.log bash bench/query_logs_threads.sh   # the log bench/query_logs.sh wrote
#   DBWRIGHT=build/dbwright ROUNDS=3 PREFIX='...'
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DBW=${DBWRIGHT:-$ROOT/build/dbwright}
LOG=${LOG:?set LOG to a server log (bench/query_logs.sh with GENERATE_ONLY=1 KEEP=1 writes one)}
PREFIX=${PREFIX:-'%t [%p]: user=%u,db=%d,app=%a,client=%h '}
ROUNDS=${ROUNDS:-3}
OUT=$(mktemp -d /tmp/dbw-query-threads.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

python3 - "$DBW" "$LOG" "$PREFIX" "$OUT" <<'PY'
import os, subprocess, sys, time
dbw, log, prefix, out = sys.argv[1:5]
tick = os.sysconf("SC_CLK_TCK")
p = subprocess.Popen([dbw, "query", "logs", log, "--prefix", prefix, "-j", "2", "--format", "json", "-o", f"{out}/r.json"])
cpu = {}
start = time.time()
while p.poll() is None:
    try:
        for tid in os.listdir(f"/proc/{p.pid}/task"):
            with open(f"/proc/{p.pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu[int(tid)] = (int(fields[11]) + int(fields[12])) / tick
    except (FileNotFoundError, ProcessLookupError, IndexError):
        pass
    time.sleep(0.02)
wall = time.time() - start
main = cpu.pop(p.pid, 0.0)
workers = sorted(cpu.values(), reverse=True)
total = main + sum(workers)
print(f"-j 2, {wall:.1f} s wall at load {open('/proc/loadavg').read().split()[0]}: reading thread {main:.2f} s CPU, "
      f"workers " + ", ".join(f"{w:.2f}" for w in workers) + f" s CPU ({100 * sum(workers) / total:.0f}% of {total:.2f} s)")
print(f"on an idle 2-core machine: at least max({main:.2f}, {total:.2f} / 2) = {max(main, total / 2):.2f} s wall; "
      f"-j 1 needs {total:.2f} s: up to {total / max(main, total / 2):.2f}x from the second core")
PY
for r in $(seq "$ROUNDS"); do
  for j in 1 2; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    t=$(/usr/bin/time -f "%e s wall, %U+%S s CPU" "$DBW" query logs "$LOG" --prefix "$PREFIX" -j "$j" --format json -o "$OUT/j$j.json" 2>&1 | tail -1)
    echo "round $r -j $j (load $load): $t"
  done
  cmp -s "$OUT/j1.json" "$OUT/j2.json" || { echo "-j 1 and -j 2 reports differ"; exit 1; }
done
echo "-j 1 and -j 2 reports identical in every round"

#!/usr/bin/env bash
# Puts `handoff swarm --tvs $TVS` on `handoff serve` for each store, one after the
# other in one run, and prints requests per second and p99 per store. Each server is
# started on a free loopback port and stopped by its PID.
#
#   scripts/swarm-bench.sh                      # 1000 TVs, 5s each, no pause
#   TVS=200 DURATION=10s INTERVAL=1s scripts/swarm-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TVS:=1000}" "${DURATION:=5s}" "${INTERVAL:=0}" "${CONCURRENCY:=64}"
command -v jq >/dev/null || { echo "swarm-bench: jq is needed (apt-get install jq)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_STATE_HOME="$work/state" # the admin token file stays in the run's directory

go build -o "$work/handoff" ./cmd/handoff
handoff="$work/handoff"

# serve NAME ARGS...: starts `handoff serve ARGS` and sets $server and $pid.
serve() {
  local name=$1; shift
  "$handoff" serve --addr 127.0.0.1:0 "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pid=$!
  pids+=("$pid")
  server=""
  for _ in $(seq 100); do
    server=$(sed -n 's/^other terminals: export HANDOFF_SERVER=//p' "$work/$name.out")
    [ -n "$server" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "swarm-bench: handoff serve ($name) did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

# stop PID: SIGTERM, as Ctrl-C would, and wait for the exit.
stop() {
  kill -TERM "$1"
  wait "$1" || true
  pids=("${pids[@]/$1}")
}

printf '%-10s %8s %10s %9s %14s %13s %7s\n' store requests 'req/s' 'p99 ms' 'p99 svcToken' 'p99 list ms' errors
# swarm NAME SERVER [--instance URL...]: the swarm's report in $work/NAME.json.
swarm() {
  local name=$1 server=$2; shift 2
  "$handoff" swarm --server "$server" "$@" --tvs "$TVS" --duration "$DURATION" --interval "$INTERVAL" \
    --concurrency "$CONCURRENCY" --json >"$work/$name.json" 2>"$work/$name.swarm.log" || true
}
# print NAME: one store's line of the table, from its report.
print() {
  local name=$1
  if ! jq -e .requests "$work/$name.json" >/dev/null 2>&1; then
    echo "swarm-bench: the swarm on $name gave no report:" >&2
    tail -n 3 "$work/$name.swarm.log" >&2
    return 1
  fi
  jq -r --arg store "$name" '
    def p99(c): ([.calls[] | select(.call == c) | .p99Ms] | first // 0);
    [$store, .requests, (.requestsPerSecond | floor),
     ([.calls[] | .p99Ms] | max | . * 100 | round / 100),
     (p99("POST /api/{sp}/serviceToken") | . * 100 | round / 100),
     (p99("GET /api/{sp}/list") | . * 100 | round / 100),
     ([.errors[] | .count] | add // 0)] | @tsv' "$work/$name.json" |
    awk -F'\t' '{ printf "%-10s %8s %10s %9s %14s %13s %7s\n", $1, $2, $3, $4, $5, $6, $7 }'
}
# row STORE SERVE-ARGS...: one server on that store.
row() {
  local name=$1; shift
  serve "$name" "$@"
  swarm "$name" "$server"
  stop "$pid"
  print "$name"
}

row memory --memory
row bbolt --data "$work/bbolt"

# Redis: one instance, then three on the same Redis with every TV joining through
# another instance than its phone's. redis-server runs on a free loopback port,
# without persistence, and is stopped by its PID.
if command -v redis-server >/dev/null; then
  for _ in $(seq 20); do # a random high port, again if it is taken
    port=$((20000 + RANDOM % 40000))
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
    rpid=$!
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; kill -0 "$rpid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$rpid" 2>/dev/null && break
  done
  pids+=("$rpid")
  row redis --store "redis://127.0.0.1:$port/0"
  redis-cli -p "$port" flushall >/dev/null
  urls=() instances=()
  for i in 1 2 3; do serve "redis3-$i" --store "redis://127.0.0.1:$port/0"; urls+=("$server"); instances+=("$pid"); done
  swarm redis-x3 "${urls[0]}" --instance "${urls[1]}" --instance "${urls[2]}"
  for p in "${instances[@]}"; do stop "$p"; done
  print redis-x3
else
  echo "swarm-bench: no redis-server (apt-get install redis-server): no Redis rows" >&2
fi

echo "(handoff swarm --tvs $TVS --duration $DURATION --interval $INTERVAL --concurrency $CONCURRENCY; p99 ms: the slowest route's)"

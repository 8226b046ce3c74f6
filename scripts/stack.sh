#!/usr/bin/env bash
# The whole Burnrate stack from native binaries, without Docker: the Collector, Prometheus,
# Alertmanager (+ a webhook that prints alerts), the budget evaluator and the demo service
# with steady traffic. Everything binds 127.0.0.1. Ctrl-C stops all of it.
#
#   npm start                      # installs and builds what is missing first (scripts/start.sh)
#   npm run stack                  # or: bash scripts/stack.sh [--no-demo]
#
# With the demo, the evaluator loads the demo's budgets (examples/demo/budgets.yaml: one of them
# crosses its forecast warning within minutes, so an alert reaches Alertmanager and the webhook
# log, printed here); without it, deploy/budgets.example.yaml. BURNRATE_STACK_BUDGETS picks another.
# Ports (defaults from DESIGN.md) can be moved with BURNRATE_STACK_<NAME>_PORT, e.g.
# BURNRATE_STACK_PROMETHEUS_PORT=19090. State (Prometheus TSDB, Alertmanager data) and logs
# live in BURNRATE_STACK_DIR (default .tools/stack/), so month-to-date survives restarts.
# BURNRATE_STACK_SCRAPE_INTERVAL (5s) sets Prometheus' scrape interval.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
demo=true
for arg in "$@"; do
  case "$arg" in
    --no-demo) demo=false ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stack.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

port() { # name default
  local var="BURNRATE_STACK_$1_PORT" value
  value="${!var:-$2}"
  [[ "$value" =~ ^[0-9]+$ ]] && [ "$value" -gt 0 ] && [ "$value" -lt 65536 ] \
    || { echo "stack.sh: $var must be a port number 1-65535, got '$value'" >&2; exit 2; }
  echo "$value"
}
OTLP_GRPC=$(port OTLP_GRPC 4317)
OTLP_HTTP=$(port OTLP_HTTP 4318)
METRICS=$(port COLLECTOR_METRICS 8889)
TELEMETRY=$(port COLLECTOR_TELEMETRY 8888)
HEALTH=$(port COLLECTOR_HEALTH 13133)
PROMETHEUS=$(port PROMETHEUS 9090)
ALERTMANAGER=$(port ALERTMANAGER 9093)
EVALUATOR=$(port EVALUATOR 9464)
DEMO=$(port DEMO 8080)
WEBHOOK=$(port WEBHOOK 5001)
SCRAPE="${BURNRATE_STACK_SCRAPE_INTERVAL:-5s}"
state="${BURNRATE_STACK_DIR:-$root/.tools/stack}"
stack_epoch=$(date +%s)

missing() { echo "stack.sh: $1 not found; run \`npm start\` (it builds what the stack needs)" >&2; exit 1; }
node_bin="$("$root/scripts/ensure-node.sh")/node"
otelcol="${BURNRATE_OTELCOL_BIN:-$root/.tools/otelcol/0.155.0/otelcol-burnrate}"
[ -x "$otelcol" ] || missing "the Collector ($otelcol)"
prometheus="$(command -v prometheus)" || missing prometheus
alertmanager="$(command -v alertmanager || command -v prometheus-alertmanager)" || missing alertmanager
command -v curl >/dev/null || missing curl

for p in "$OTLP_GRPC" "$OTLP_HTTP" "$METRICS" "$TELEMETRY" "$HEALTH" "$PROMETHEUS" "$ALERTMANAGER" "$EVALUATOR" "$DEMO" "$WEBHOOK"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "stack.sh: port $p on 127.0.0.1 is in use (another stack?). Stop it or set BURNRATE_STACK_<NAME>_PORT." >&2
    exit 1
  fi
done

mkdir -p "$state/logs" "$state/prometheus" "$state/alertmanager"
pids=()
names=()
stopping=false
cleanup() {
  $stopping && return
  stopping=true
  echo >&2
  echo "stack: stopping ${names[*]:-nothing}" >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  pkill -TERM -P $$ 2>/dev/null || true # what a background pipeline left (tail -F)
  echo "stack: stopped" >&2
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { # name cmd...
  local name="$1"
  shift
  "$@" >"$state/logs/$name.log" 2>&1 &
  pids+=("$!")
  names+=("$name")
}
wait_http() { # name url
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    for i in "${!pids[@]}"; do
      kill -0 "${pids[$i]}" 2>/dev/null || { echo "stack.sh: ${names[$i]} exited; see $state/logs/${names[$i]}.log" >&2; tail -n 20 "$state/logs/${names[$i]}.log" >&2; exit 1; }
    done
    sleep 0.2
  done
  echo "stack.sh: $1 not ready at $2 after 60 s; see $state/logs/$1.log" >&2
  exit 1
}

# Collector (collector/otelcol.yaml on loopback), with the Go GC settings docker compose uses
# (collector/README.md: fewer collections while there is room, a soft limit on the heap).
GOGC="${GOGC:-400}" GOMEMLIMIT="${GOMEMLIMIT:-300MiB}" \
  BURNRATE_OTLP_GRPC_ENDPOINT="127.0.0.1:$OTLP_GRPC" BURNRATE_OTLP_HTTP_ENDPOINT="127.0.0.1:$OTLP_HTTP" \
  BURNRATE_METRICS_ENDPOINT="127.0.0.1:$METRICS" BURNRATE_HEALTH_ENDPOINT="127.0.0.1:$HEALTH" \
  BURNRATE_TELEMETRY_HOST=127.0.0.1 BURNRATE_TELEMETRY_PORT="$TELEMETRY" \
  start collector "$otelcol" "--config=$root/collector/otelcol.yaml"

# Alertmanager and the webhook that prints notifications.
sed "s#http://127.0.0.1:5001/#http://127.0.0.1:$WEBHOOK/#" "$root/deploy/alertmanager/alertmanager.yml" >"$state/alertmanager.yml"
WEBHOOK_LOG_ADDR="127.0.0.1:$WEBHOOK" start alert-log "$node_bin" "$root/deploy/alertmanager/webhook-log.mjs"
start alertmanager "$alertmanager" "--config.file=$state/alertmanager.yml" "--storage.path=$state/alertmanager" \
  "--web.listen-address=127.0.0.1:$ALERTMANAGER" "--cluster.listen-address="

# Prometheus: deploy/prometheus/prometheus.yml with the compose service names made local.
ln -sfn "$root/deploy/prometheus/rules" "$state/rules"
q="[\"']"
sed -e "s#${q}collector:8889${q}#'127.0.0.1:$METRICS'#" -e "s#${q}collector:8888${q}#'127.0.0.1:$TELEMETRY'#" \
  -e "s#${q}budget-evaluator:9464${q}#'127.0.0.1:$EVALUATOR'#" -e "s#${q}alertmanager:9093${q}#'127.0.0.1:$ALERTMANAGER'#g" \
  -e "s#${q}localhost:9090${q}#'127.0.0.1:$PROMETHEUS'#" -e "s#^  scrape_interval: .*#  scrape_interval: $SCRAPE#" \
  "$root/deploy/prometheus/prometheus.yml" >"$state/prometheus.yml"
start prometheus "$prometheus" "--config.file=$state/prometheus.yml" "--storage.tsdb.path=$state/prometheus" \
  "--storage.tsdb.retention.time=400d" "--web.listen-address=127.0.0.1:$PROMETHEUS" --web.enable-lifecycle

wait_http collector "http://127.0.0.1:$HEALTH/"
wait_http alertmanager "http://127.0.0.1:$ALERTMANAGER/-/ready"
wait_http prometheus "http://127.0.0.1:$PROMETHEUS/-/ready"

# Budget evaluator (packages/budget-evaluator): the demo's budgets with the demo, else the examples.
budgets="$root/deploy/budgets.example.yaml"
$demo && budgets="$root/examples/demo/budgets.yaml"
budgets="${BURNRATE_STACK_BUDGETS:-$budgets}"
start budget-evaluator "$node_bin" --conditions=@burnrate/source "$root/packages/budget-evaluator/src/cli.ts" serve \
  "--config=$budgets" "--prometheus=http://127.0.0.1:$PROMETHEUS" \
  "--alertmanager=http://127.0.0.1:$ALERTMANAGER" --host=127.0.0.1 "--port=$EVALUATOR" \
  "--interval=${BURNRATE_STACK_EVALUATION_INTERVAL:-15s}"
wait_http budget-evaluator "http://127.0.0.1:$EVALUATOR/metrics"

# Demo service (examples/demo) through the one import, with steady traffic.
demo_line="(off: --no-demo)"
if $demo; then
  OTEL_SERVICE_NAME=demo BURNRATE_ENVIRONMENT=dev OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_HTTP" \
    OTEL_BSP_SCHEDULE_DELAY="${OTEL_BSP_SCHEDULE_DELAY:-1000}" \
    HOST=127.0.0.1 PORT="$DEMO" DEMO_TRAFFIC=true TRAFFIC_RPS="${BURNRATE_STACK_TRAFFIC_RPS:-2}" \
    start demo "$node_bin" --conditions=@burnrate/source "$root/examples/demo/src/main.ts"
  wait_http demo "http://127.0.0.1:$DEMO/healthz"
  demo_line="http://127.0.0.1:$DEMO (traffic: ${BURNRATE_STACK_TRAFFIC_RPS:-2} req/s)"
fi

cat <<EOF
Burnrate stack is up (Ctrl-C stops all of it):
  Collector OTLP      grpc 127.0.0.1:$OTLP_GRPC   http http://127.0.0.1:$OTLP_HTTP
  Collector metrics   http://127.0.0.1:$METRICS/metrics
  Prometheus          http://127.0.0.1:$PROMETHEUS
  Alertmanager        http://127.0.0.1:$ALERTMANAGER
  Alert webhook log   $state/logs/alert-log.log (each alert is also printed below)
  Budget evaluator    http://127.0.0.1:$EVALUATOR/api/v1/budgets  (budgets: ${budgets#"$root/"})
  Demo service        $demo_line
  Grafana             not run natively: import dashboards/*.json into your Grafana, data source http://127.0.0.1:$PROMETHEUS
  Logs                $state/logs/

Where the dollars are:
  curl -s 'http://127.0.0.1:$PROMETHEUS/api/v1/query' --data-urlencode 'query=sum by (team) (burnrate_llm_cost_usd_total)'
  curl -s http://127.0.0.1:$EVALUATOR/api/v1/budgets
EOF

# The first dollar: printed once Prometheus can answer for it.
first_dollar() {
  local q="sum(burnrate_llm_cost_usd_total)" out
  for _ in $(seq 600); do
    out="$(curl -fsS "http://127.0.0.1:$PROMETHEUS/api/v1/query" --data-urlencode "query=$q" 2>/dev/null || true)"
    if [[ "$out" =~ \"value\":\[[0-9.]+,\"([0-9.e+-]+)\"\] ]] && [ "${BASH_REMATCH[1]}" != "0" ]; then
      local since=", $(($(date +%s) - ${BURNRATE_START_EPOCH:-$stack_epoch})) s after ${BURNRATE_START_EPOCH:+npm start}"
      [ -n "${BURNRATE_START_EPOCH:-}" ] || since="${since}the stack started"
      echo "first dollar: \$${BASH_REMATCH[1]} of demo spend queryable in Prometheus ($q)$since"
      return 0
    fi
    sleep 1
  done
}
first_dollar &
pids+=("$!")
names+=("first-dollar")
# Every alert Alertmanager sends to the webhook, as it arrives.
tail -n +1 -F "$state/logs/alert-log.log" 2>/dev/null | sed -u -n 's/^\[/alert: [/p' &
pids+=("$!")
names+=("alert-tail")

# Stay up until Ctrl-C, or until one part dies.
while true; do
  for i in "${!pids[@]}"; do
    [ "${names[$i]}" = first-dollar ] && continue
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "stack.sh: ${names[$i]} exited; see $state/logs/${names[$i]}.log" >&2
      tail -n 20 "$state/logs/${names[$i]}.log" >&2
      exit 1
    fi
  done
  sleep 1
done

#!/usr/bin/env bash
# Checks docker/ without a Docker engine:
#   1. compose.yaml refuses to render without the secrets, naming make-env.sh;
#   2. with a throw-away .env from make-env.sh (in a temp folder), `compose
#      config` passes, with and without the load profile;
#   3. every JSON file parses (the Grafana dashboard above all) and every
#      YAML file parses (when python3 has PyYAML);
#   4. every metric name in the dashboard's queries is exported: hearth's own
#      names from a live /metrics text (--metrics FILE) or, without one, the
#      names Sources/API declares (Counter/Gauge/Timer/Recorder labels), and
#      the exporters' names from grafana/exporter-metrics.txt, each only if
#      its exporter is in compose.yaml and prometheus.yml scrapes it.
#
#   docker/check.sh [--metrics FILE]
# Exit 0 when all pass, 1 when one fails, 2 on bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
metrics_file=""
while [ $# -gt 0 ]; do
    case "$1" in
        --metrics) metrics_file="$2"; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "check.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
if [ -n "$metrics_file" ] && [ ! -r "$metrics_file" ]; then
    echo "check.sh: cannot read metrics file '$metrics_file'" >&2; exit 2
fi

passed=0
failed=0
ok()   { echo "ok:   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# The compose client: the v2 plugin, else the standalone docker-compose.
if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif command -v docker-compose >/dev/null; then
    compose=(docker-compose)
else
    echo "check.sh: needs 'docker compose' or 'docker-compose' (apt-get install docker-compose)" >&2
    exit 2
fi
echo "compose client: ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || echo unknown))"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
secret_vars=(POSTGRES_PASSWORD HEARTH_JWT_SECRET HEARTH_ADMIN_EMAIL HEARTH_ADMIN_PASSWORD
    HEARTH_MQTT_SUBSCRIBER_PASSWORD HEARTH_MQTT_API_PASSWORD HEARTH_MQTT_LOADGEN_PASSWORD GRAFANA_ADMIN_PASSWORD)
unset_args=()
for var in "${secret_vars[@]}"; do unset_args+=(-u "$var"); done

# 1. Without the secrets: a clear refusal.
: > "$work/empty.env"
if out="$(env "${unset_args[@]}" "${compose[@]}" --env-file "$work/empty.env" -f "$here/compose.yaml" config 2>&1)"; then
    fail "compose config passed without secrets; it should ask for docker/make-env.sh"
elif grep -q "run docker/make-env.sh first" <<<"$out"; then
    ok "compose config without secrets fails with 'run docker/make-env.sh first'"
else
    fail "compose config without secrets failed for another reason: $out"
fi

# 2. With a throw-away .env and password file from make-env.sh.
if HEARTH_BIN=/nonexistent "$here/make-env.sh" --dir "$work/env" --houses 2 --owners 1 >"$work/make-env.log" 2>&1; then
    ok "make-env.sh made .env and the mosquitto password file ($(grep -c ':' "$work/env/secrets/mosquitto/passwd") users)"
else
    fail "make-env.sh: $(cat "$work/make-env.log")"
fi
for var in "${secret_vars[@]}"; do
    grep -q "^$var=." "$work/env/.env" 2>/dev/null || fail "make-env.sh left $var empty"
done
for profile in "" load; do
    args=()
    [ -n "$profile" ] && args=(--profile "$profile")
    if out="$(env "${unset_args[@]}" "${compose[@]}" --env-file "$work/env/.env" -f "$here/compose.yaml" "${args[@]}" config 2>&1)"; then
        ok "compose config${profile:+ --profile $profile} passes ($(env "${unset_args[@]}" "${compose[@]}" --env-file "$work/env/.env" -f "$here/compose.yaml" "${args[@]}" config --services 2>/dev/null | tr '\n' ' '))"
    else
        fail "compose config${profile:+ --profile $profile}: $out"
    fi
done

# The broker config and ACLs, on Debian's mosquitto when it is installed:
# a house publishes only under its own id; the subscriber reads every house
# (plain and MQTT 5 shared) and writes alarms; no anonymous access.
if command -v mosquitto >/dev/null && command -v mosquitto_pub >/dev/null && command -v mosquitto_sub >/dev/null; then
    mq="$work/mosquitto"
    mkdir -p "$mq/data"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    sed -e "s#^listener 1883 0.0.0.0#listener $port 127.0.0.1#" \
        -e "s#/mosquitto/secrets/passwd#$work/env/secrets/mosquitto/passwd#" \
        -e "s#/mosquitto/config/acl#$here/mosquitto/acl#" \
        -e "s#/mosquitto/data/#$mq/data/#" "$here/mosquitto/mosquitto.conf" > "$mq/mosquitto.conf"
    [ "$(id -u)" = 0 ] && echo "user root" >> "$mq/mosquitto.conf"
    [ "$(id -u)" = 0 ] && chown 0:0 "$work/env/secrets/mosquitto/passwd"
    mosquitto -c "$mq/mosquitto.conf" > "$mq/log" 2>&1 &
    mq_pid=$!
    for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    # shellcheck disable=SC1091
    sub_pw="$(grep '^HEARTH_MQTT_SUBSCRIBER_PASSWORD=' "$work/env/.env" | cut -d= -f2-)"
    h1_pw="$(awk '$1 == 1 {print $2}' "$work/env/secrets/mosquitto/houses.txt")"
    api_pw="$(grep '^HEARTH_MQTT_API_PASSWORD=' "$work/env/.env" | cut -d= -f2-)"
    timeout 4 mosquitto_sub -V mqttv5 -p "$port" -u subscriber -P "$sub_pw" -q 1 -v \
        -t '$share/hearth/houses/+/sensors/+' > "$mq/shared.out" 2>&1 &
    sub_pid=$!
    timeout 4 mosquitto_sub -p "$port" -u api -P "$api_pw" -q 1 -v \
        -t 'houses/+/alarms' -t 'houses/+/sensors/+' > "$mq/alarms.out" 2>&1 &
    api_pid=$!
    sleep 0.5
    pub() { mosquitto_pub -p "$port" -q 1 "$@" >/dev/null 2>&1; }
    pub -u 1 -P "$h1_pw" -t houses/1/sensors/7 -m own || true
    pub -u 1 -P "$h1_pw" -t houses/2/sensors/7 -m foreign || true
    pub -u 1 -P "$h1_pw" -t houses/1/alarms -m house-alarm || true
    pub -u subscriber -P "$sub_pw" -t houses/2/alarms -m alarm || true
    pub -u subscriber -P "$sub_pw" -t houses/2/sensors/1 -m forged || true
    if pub -t houses/1/sensors/7 -m anonymous; then anonymous=accepted; else anonymous=refused; fi
    # Stop the listeners ourselves: timeout's SIGALRM never comes when the
    # caller (a test runner) has SIGALRM blocked, which children inherit.
    sleep 1
    kill "$sub_pid" "$api_pid" 2>/dev/null || true
    pkill -P "$sub_pid" 2>/dev/null || true
    pkill -P "$api_pid" 2>/dev/null || true
    wait "$sub_pid" "$api_pid" 2>/dev/null || true
    kill "$mq_pid" 2>/dev/null; wait "$mq_pid" 2>/dev/null || true
    got="$(sort "$mq/shared.out" | tr '\n' ';')"
    expected="houses/1/sensors/7 own;"
    got_api="$(sort "$mq/alarms.out" | tr '\n' ';')"
    expected_api="houses/1/alarms house-alarm;houses/2/alarms alarm;"
    if [ "$got" = "$expected" ] && [ "$got_api" = "$expected_api" ] && [ "$anonymous" = refused ]; then
        ok "mosquitto.conf + acl on mosquitto $(mosquitto -h 2>&1 | awk 'NR == 1 {print $3}'): house 1 publishes only under houses/1/#, subscriber reads via \$share/hearth and may write alarms but not readings, api reads alarms only, anonymous refused"
    else
        fail "mosquitto ACLs: subscriber received '$got' (expected '$expected'), api received '$got_api' (expected '$expected_api'), anonymous $anonymous; broker log: $(tr '\n' ' ' < "$mq/log")"
    fi
else
    echo "skip: mosquitto is not installed; broker config and ACLs not exercised"
fi

# redis.conf on Debian's redis-server when it is installed: the limits hold.
if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
    rport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    redis-server "$here/redis/redis.conf" --bind 127.0.0.1 --port "$rport" --dir "$work" > "$work/redis.log" 2>&1 &
    redis_pid=$!
    for _ in $(seq 1 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
    got="$(redis-cli -p "$rport" config get maxmemory | tail -1) $(redis-cli -p "$rport" config get maxmemory-policy | tail -1) $(redis-cli -p "$rport" config get save | tail -1)"
    kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null || true
    if [ "$got" = "268435456 allkeys-lru " ]; then
        ok "redis.conf on redis-server $(redis-server --version | awk '{print $3}' | cut -d= -f2): maxmemory 256mb, allkeys-lru, no snapshots"
    else
        fail "redis.conf: got maxmemory/policy/save '$got'; log: $(tr '\n' ' ' < "$work/redis.log")"
    fi
else
    echo "skip: redis-server is not installed; redis.conf not loaded"
fi

# The Kubernetes manifests render (kustomize is built into kubectl; no cluster needed).
if command -v kubectl >/dev/null; then
    for dir in kubernetes kubernetes/load; do
        if out="$(kubectl kustomize --load-restrictor LoadRestrictionsNone "$here/$dir" 2>&1)"; then
            ok "kubectl kustomize docker/$dir renders ($(grep -c '^kind:' <<<"$out") objects: $(grep '^kind:' <<<"$out" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $3; sep=", "}'))"
        else
            fail "kubectl kustomize docker/$dir: $out"
        fi
    done
else
    echo "skip: kubectl is not installed; Kubernetes manifests only parsed as YAML"
fi

# The load kustomization ships every scenario of the repository.
missing=""
for scenario in "$root"/Scenarios/*.yaml; do
    grep -q "Scenarios/$(basename "$scenario")\$" "$here/kubernetes/load/kustomization.yaml" || missing="$missing $(basename "$scenario")"
done
if [ -z "$missing" ]; then
    ok "kubernetes/load/kustomization.yaml lists every Scenarios/*.yaml in the hearth-scenarios ConfigMap"
else
    fail "kubernetes/load/kustomization.yaml does not list:$missing (add them to hearth-scenarios)"
fi

# 3. and 4. in Python: parsing, and the metric names.
python3 - "$here" "$root" "$metrics_file" <<'PY' || failed=$((failed + 1))
import glob, json, os, re, sys

here, root, metrics_file = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0
def ok(msg): print(f"ok:   {msg}")
def fail(msg):
    global failures
    failures += 1
    print(f"FAIL: {msg}")

for path in sorted(glob.glob(os.path.join(here, "**", "*.json"), recursive=True)):
    try:
        json.load(open(path))
        ok(f"{os.path.relpath(path, root)} parses as JSON")
    except Exception as error:
        fail(f"{os.path.relpath(path, root)}: {error}")

try:
    import yaml
    for path in sorted(glob.glob(os.path.join(here, "**", "*.y*ml"), recursive=True)):
        if "/secrets/" in path:
            continue
        try:
            documents = list(yaml.safe_load_all(open(path)))
            ok(f"{os.path.relpath(path, root)} parses as YAML ({len(documents)} document{'s' if len(documents) != 1 else ''})")
        except Exception as error:
            fail(f"{os.path.relpath(path, root)}: {error}")
except ImportError:
    print("skip: PyYAML is not installed; YAML files not parsed")

# The names hearth's API declares: labels of swift-metrics types in Sources/API.
declared = set()
histograms = set()
for path in glob.glob(os.path.join(root, "Sources", "API", "**", "*.swift"), recursive=True):
    text = open(path).read()
    for kind, name in re.findall(r'\b(Counter|FloatingPointCounter|Gauge|Meter|Timer|Recorder)\s*\(\s*label:\s*"([^"]+)"', text):
        declared.add(name)
        if kind in ("Timer", "Recorder"):
            histograms.add(name)
            declared.update({name + "_bucket", name + "_sum", name + "_count"})

live = None
if metrics_file:
    live = set()
    for line in open(metrics_file):
        line = line.strip()
        if line.startswith("# TYPE ") or line.startswith("# HELP "):
            live.add(line.split()[2])
        elif line and not line.startswith("#"):
            live.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))

exporters = set()
for line in open(os.path.join(here, "grafana", "exporter-metrics.txt")):
    line = line.strip()
    if line and not line.startswith("#"):
        exporters.add(line)
compose = open(os.path.join(here, "compose.yaml")).read()
prometheus = open(os.path.join(here, "prometheus", "prometheus.yml")).read()
exporter_ready = {
    "redis_": "oliver006/redis_exporter" in compose and "redis-exporter:9121" in prometheus,
    "pg_": "postgres-exporter" in compose and "postgres-exporter:9187" in prometheus,
}
api_scraped = "serve:8080" in prometheus

promql_words = {
    "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group",
    "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool",
    "rate", "irate", "increase", "delta", "idelta", "deriv", "histogram_quantile", "abs", "ceil", "floor", "round",
    "clamp_min", "clamp_max", "label_replace", "label_join", "sum_over_time", "avg_over_time", "max_over_time",
    "min_over_time", "count_over_time", "time", "vector", "scalar", "absent", "sort", "sort_desc", "changes", "resets",
    "predict_linear", "le", "inf", "nan",
}
def metric_names(expr):
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)          # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)                      # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)                     # ranges
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = re.findall(r"(?<![\w.])([A-Za-z_:][A-Za-z0-9_:]*)", expr)
    return {n for n in names if n.lower() not in promql_words}

dashboard = json.load(open(os.path.join(here, "grafana", "dashboards", "hearth.json")))
def targets(panels):
    for panel in panels:
        yield from ((panel.get("title", "?"), t.get("expr", "")) for t in panel.get("targets", []))
        yield from targets(panel.get("panels", []))
used = {}
for title, expr in targets(dashboard.get("panels", [])):
    for name in metric_names(expr):
        used.setdefault(name, set()).add(title)
if not used:
    fail("the dashboard has no metric queries")
source = "live /metrics (" + metrics_file + ")" if live is not None else "Sources/API declarations"
print(f"info: Sources/API declares {sorted(n for n in declared if not n.endswith(('_bucket', '_sum', '_count')) or n[:n.rfind('_')] not in histograms)}")
for name in sorted(used):
    where = ", ".join(sorted(used[name]))
    prefix = next((p for p in exporter_ready if name.startswith(p)), None)
    if prefix:
        if not exporter_ready[prefix]:
            fail(f"{name} ({where}): its exporter is not in compose.yaml or not scraped by prometheus.yml")
        elif name in exporters:
            ok(f"{name}: exported by the {prefix.rstrip('_')} exporter")
        else:
            fail(f"{name} ({where}): not in grafana/exporter-metrics.txt")
        continue
    known = live if live is not None else declared
    if live is not None and name not in live:
        # A histogram whose family is listed (# TYPE x histogram) has x_bucket/_sum/_count series.
        base = re.sub(r"_(bucket|sum|count)$", "", name)
        if base in live and base != name:
            ok(f"{name}: in {source} (histogram {base})")
            continue
    if name in known:
        if not api_scraped:
            fail(f"{name}: prometheus.yml does not scrape serve:8080")
        else:
            ok(f"{name}: in {source}")
    else:
        fail(f"{name} ({where}): not in {source}")
sys.exit(1 if failures else 0)
PY
if [ -n "${failed:-}" ] && [ "$failed" -gt 0 ]; then
    echo "check.sh: failed"
    exit 1
fi
echo "check.sh: all passed"

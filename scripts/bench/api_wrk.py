#!/usr/bin/env python3
"""Load-test `hearth serve` with wrk: GET /houses/{id}/data for a house with
six sensors, GET /users/{id}/appliances, and GET /healthz as the framework's
ceiling in the same run.

It starts its own servers (`hearth stack up`) and API (`hearth serve
--seed-example`), writes one Fernet-encrypted latest reading per sensor into
Redis exactly as the subscriber stores them (payloads built from the kinds'
committed JSON Schemas, encrypted with Python's `cryptography` under the
owner's key file), logs in as the seeded user 1 for a JWT, and runs wrk at
each connection count. Prints requests/s and p99 per route and connection
count, and the ratio of each route's best rate to /healthz's.

    scripts/bench/api_wrk.py [--hearth .build-api-release/release/hearth]
                             [--connections 8,32,64] [--duration 10]

Everything runs on loopback and stops by itself.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from cryptography.fernet import Fernet

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMAS = os.path.join(ROOT, "Plugins", "Sensors", "Schemas")
PASSWORD = "bench password 1"


def field_value(name, schema):
    """A value that the schema accepts and that raises no alarm."""
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "number":
        low, high = schema.get("minimum", 0), schema.get("maximum", 100)
        return 20.0 if low <= 20 <= high else float(low)
    if kind == "integer":
        return schema.get("minimum", 0)
    if kind == "array":
        return []
    if kind == "object":
        return {key: field_value(key, value) for key, value in schema.get("properties", {}).items()}
    return "x"


def payload(kind, house, sensor, name):
    schema = json.load(open(os.path.join(SCHEMAS, f"{kind}.schema.json")))
    body = {key: field_value(key, value) for key, value in schema["properties"].items()}
    now = datetime.datetime.now(datetime.timezone.utc)
    body.update(sensor_id=sensor, sensor_name=name, house_id=house, kind=kind, seq=0,
                timestamp=now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), sent_at_ns=time.time_ns())
    # Compact and UTF-8, as hearth's publisher writes payloads (json.dumps'
    # default escapes "°C" and adds spaces, which sends the API's reader to
    # its slower strict parser and would measure a payload nobody sends).
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def request(base, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method=method, headers=headers)) as response:
        return json.loads(response.read() or b"null")


def wrk(url, token, connections, duration, threads, pause_ms=None):
    """One wrk run. With `pause_ms`, each connection waits that long before
    each request (wrk's Lua `delay()`), which paces the load near
    connections * 1000 / pause_ms requests a second instead of flat out."""
    command = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if pause_ms:
            script.write(f"function delay()\n  return {pause_ms}\nend\n")
            script.flush()
            command[1:1] = ["-s", script.name]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_latency(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = parse_latency(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p50, p99, int(errors.group(1)) if errors else 0


def cpu_seconds(pid):
    """User plus system CPU time of a process so far, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def context_switches(pid):
    """Voluntary plus involuntary context switches of all of a process's
    threads so far, from /proc (what `perf stat -e context-switches` counts)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            status = open(f"/proc/{pid}/task/{task}/status").read()
        except FileNotFoundError:
            continue  # a thread that ended meanwhile
        total += sum(int(n) for n in re.findall(r"(?:non)?voluntary_ctxt_switches:\s+(\d+)", status))
    return total


def parse_latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hearth", default=os.path.join(ROOT, ".build-api-release", "release", "hearth"))
    parser.add_argument("--connections", default="8,32,64")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--routes", default="healthz,data,appliances",
                        help="which of healthz, data, appliances to load (the ratio needs healthz)")
    parser.add_argument("--paced", type=int, default=0, metavar="RATE",
                        help="also load each route at about RATE req/s (64 connections, each pausing between requests) and report p99 there")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="hearth-api-bench-")
    keys = os.path.join(work, "keys")
    processes = []
    try:
        stack = subprocess.Popen([args.hearth, "stack", "up"], stdout=subprocess.PIPE, text=True, cwd=work)
        processes.append(stack)
        urls = {}
        for line in stack.stdout:
            parts = line.split()
            if parts and parts[0] in ("mqtt", "redis", "postgres"):
                urls[parts[0]] = parts[1]
            if line.startswith("Press Ctrl-C"):
                break
        subprocess.run([args.hearth, "keys", "generate", "--owner", "1", "--dir", keys], check=True, capture_output=True)
        environment = dict(os.environ, HEARTH_ADMIN_EMAIL="bench-admin@example.com", HEARTH_ADMIN_PASSWORD=PASSWORD)
        serve = subprocess.Popen(
            [args.hearth, "serve", "--port", "0", "--seed-example", "--keys", keys,
             "--mqtt", urls["mqtt"], "--redis", urls["redis"], "--postgres", urls["postgres"]],
            stdout=subprocess.PIPE, text=True, cwd=work, env=environment)
        processes.append(serve)
        base = None
        for line in serve.stdout:
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                base = match.group(1)
                break
        if base is None:
            sys.exit("hearth serve did not start")

        # Seeded users have no password; the administrator gives user 1 one.
        admin = request(base, "POST", "/auth/token", body={"username": "bench-admin@example.com", "password": PASSWORD})["access_token"]
        request(base, "PATCH", "/users/1", admin, {"password": PASSWORD})
        alice = request(base, "POST", "/auth/token", body={"username": "alice@example.com", "password": PASSWORD})["access_token"]
        # House 1 has five sensors in the example estate; a sixth makes six.
        request(base, "POST", "/sensors", alice, {"house_id": 1, "kind": "garage", "name": "Garage door"})
        sensors = request(base, "GET", "/houses/1/sensors", alice)["items"]
        fernet = Fernet(open(os.path.join(keys, "owner-1.key")).read().split()[0].encode())
        for sensor in sensors:
            token = fernet.encrypt(payload(sensor["kind"], 1, sensor["id"], sensor["name"]))
            key = f"house:{{1}}:sensor:{sensor['id']}:latest"
            host, port = urls["redis"].removeprefix("redis://").split(":")
            subprocess.run(["redis-cli", "-h", host, "-p", port, "SET", key, token.decode(), "EX", "3600"], check=True, capture_output=True)
        data = request(base, "GET", "/houses/1/data", alice)
        statuses = [entry["status"] for entry in data["sensors"]]
        print(f"/houses/1/data serves {len(statuses)} sensors: {', '.join(statuses)}")
        if statuses != ["fresh"] * 6:
            sys.exit("expected six fresh readings")

        every = {"healthz": ("/healthz", None), "data": ("/houses/1/data", alice), "appliances": ("/users/1/appliances", alice)}
        routes = [every[name] for name in args.routes.split(",")]
        best = {}
        # The server's CPU per request is steadier than its rate on a shared
        # machine: other processes take cores away, not instructions.
        print(f"{'route':<22} {'conns':>5} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'serve CPU µs/req':>17} {'switches/req':>13}")

        def measure(label, path, token, connections, pause_ms=None):
            """One wrk run, printed as a row with the server's CPU and switches per request; returns req/s."""
            cpu_before, switches_before = cpu_seconds(serve.pid), context_switches(serve.pid)
            rate, p50, p99, errors = wrk(base + path, token, connections, args.duration, args.threads, pause_ms=pause_ms)
            cpu = (cpu_seconds(serve.pid) - cpu_before) / (rate * args.duration) * 1e6
            switches = (context_switches(serve.pid) - switches_before) / (rate * args.duration)
            print(f"{label:<22} {connections:>5} {rate:>10.0f} {p50:>8.2f} {p99:>8.2f} {errors:>8} {cpu:>17.1f} {switches:>13.2f}", flush=True)
            return rate

        for path, token in routes:
            for connections in [int(c) for c in args.connections.split(",")]:
                best[path] = max(best.get(path, 0), measure(path, path, token, connections))
        if args.paced:
            # At a fixed rate below the maximum, the tail is what a user sees
            # (the "p99 at half the rate"); wrk itself has no rate
            # option, so 64 connections each pause between requests.
            connections = 64
            pause = max(1, connections * 1000 // args.paced)
            for path, token in routes:
                measure(f"{path} paced", path, token, connections, pause_ms=pause)
        for path, _ in routes:
            if path == "/healthz" or "/healthz" not in best:
                continue
            print(f"{path}: best {best[path]:.0f} req/s = {best[path] / best['/healthz']:.2f} x /healthz ({best['/healthz']:.0f} req/s)")
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

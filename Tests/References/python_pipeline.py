#!/usr/bin/env python3
"""The original system's pipeline in Python: the reference for `hearth bench pipeline`.

One publisher process and one subscriber process, as the seed system ran:

  publisher   build a reading (JSON) -> Fernet encrypt (the house owner's key)
              -> paho-mqtt publish to houses/{h}/sensors/{s}
  subscriber  paho-mqtt on_message -> Fernet decrypt -> json.loads -> check
              the fields -> redis-py SET house:{h}:sensor:{s}:latest <token> EX 3600

It sends MESSAGES readings as fast as the publisher can and reports how fast
they were stored: messages / (last SET acknowledged - first publish). The
broker's queue is unbounded, so this is the pipeline's sustained throughput,
limited by whichever process is slower.

Requires Python 3.9+ and three packages:

    pip install paho-mqtt redis cryptography

Input (JSON on stdin, so keys never show in `ps`):
  mqtt_host, mqtt_port, redis_host, redis_port
  messages      readings to send
  qos           0 or 1
  houses        houses in the estate (sensors are 5 per house, one per kind)
  owners        house owners; house h belongs to owner (h - 1) % owners + 1
  window        unacknowledged QoS 1 messages the publisher may have in flight
  timeout       seconds to wait for the subscriber after publishing

Output (one JSON object on stdout):
  published, stored, invalid, duplicates, elapsed_seconds, rate,
  publish_seconds, versions {python, paho_mqtt, cryptography, redis}

Run by hand:
  echo '{"mqtt_host":"127.0.0.1","mqtt_port":1883,"redis_host":"127.0.0.1","redis_port":6379,
         "messages":20000,"qos":0,"houses":400,"owners":100,"window":1000,"timeout":120}' \\
    | python3 Tests/References/python_pipeline.py
"""

import json
import os
import platform
import random
import subprocess
import sys
import threading
import time

try:
    import cryptography
    import paho.mqtt
    import paho.mqtt.client as mqtt
    import redis
    from cryptography.fernet import Fernet, InvalidToken
except ImportError as missing:  # pragma: no cover - what a user sees without the packages
    sys.stderr.write(
        f"python_pipeline.py needs paho-mqtt, redis and cryptography ({missing}); "
        "install them with: pip install paho-mqtt redis cryptography\n"
    )
    sys.exit(3)

KINDS = ["fire_co", "leak", "thermostat", "motion", "garage"]
UNITS = {
    "fire_co": {"co_detection": "ppm", "temperature": "°C", "humidity": "%"},
    "leak": {},
    "thermostat": {"temperature": "°C", "humidity": "%", "setpoint": "°C"},
    "motion": {"light": "lx", "temperature": "°C", "humidity": "%", "vibration": "g", "uv": "UV index"},
    "garage": {"position": "%"},
}


def new_client(client_id):
    """A paho client for either the 1.x or the 2.x API."""
    if hasattr(mqtt, "CallbackAPIVersion"):
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    return mqtt.Client(client_id=client_id, clean_session=True)


def owner_of(house, owners):
    return (house - 1) % owners + 1


def reading(sensor_id, house_id, kind, seq):
    """A reading shaped like the seed system's (and hearth's) payload."""
    now = time.time()
    payload = {
        "sensor_id": sensor_id,
        "sensor_name": f"{kind} 1",
        "house_id": house_id,
        "kind": kind,
        "seq": seq,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z",
        "sent_at_ns": time.time_ns(),
    }
    if kind == "fire_co":
        payload.update(co_detection=round(random.uniform(0.5, 3), 1), smart_level="Low",
                       temperature=round(random.uniform(19, 23), 1), humidity=round(random.uniform(35, 55), 1))
    elif kind == "leak":
        payload.update(moisture_detection_level="Dry", leakage="No Leakage")
    elif kind == "thermostat":
        payload.update(temperature=round(random.uniform(19, 23), 1), humidity=round(random.uniform(35, 55), 1), setpoint=21.0)
    elif kind == "motion":
        payload.update(motion="Not Detected", light=round(random.uniform(0, 400)), temperature=round(random.uniform(19, 23), 1),
                       humidity=round(random.uniform(35, 55), 1), vibration=round(random.uniform(0, 0.05), 3),
                       uv=round(random.uniform(0, 3), 1))
    else:
        payload.update(status="Door Close", position=0)
    payload["units"] = UNITS[kind]
    payload["alarms"] = []
    return payload


def valid(payload, house, sensor):
    """The subscriber's checks: the fixed fields, their types, and the topic's ids."""
    try:
        return (payload["house_id"] == house and payload["sensor_id"] == sensor
                and payload["kind"] in KINDS and isinstance(payload["seq"], int)
                and isinstance(payload["sent_at_ns"], int) and isinstance(payload["units"], dict)
                and isinstance(payload["alarms"], list) and bool(payload["sensor_name"]))
    except (KeyError, TypeError):
        return False


def subscribe(config):
    """The subscriber process: prints `ready`, then one JSON result line."""
    keys = {int(owner): Fernet(key.encode("ascii")) for owner, key in config["keys"].items()}
    store = redis.Redis(host=config["redis_host"], port=config["redis_port"])
    expected = config["messages"]
    state = {"stored": 0, "invalid": 0, "duplicates": 0, "last": 0.0, "seen": set()}
    done = threading.Event()

    def on_message(client, userdata, message):
        parts = message.topic.split("/")
        house, sensor = int(parts[1]), int(parts[3])
        try:
            payload = json.loads(keys[owner_of(house, config["owners"])].decrypt(message.payload))
        except (InvalidToken, ValueError, KeyError):
            state["invalid"] += 1
            return
        if not valid(payload, house, sensor):
            state["invalid"] += 1
            return
        store.set(f"house:{{{house}}}:sensor:{sensor}:latest", message.payload, ex=3600)
        mark = (sensor, payload["seq"])
        if mark in state["seen"]:
            state["duplicates"] += 1
        else:
            state["seen"].add(mark)
            state["stored"] += 1
        state["last"] = time.time()
        if state["stored"] >= expected:
            done.set()

    def on_subscribe(client, userdata, *rest):
        print("ready", flush=True)

    client = new_client(f"python-pipeline-sub-{os.getpid()}")
    client.on_message = on_message
    client.on_subscribe = on_subscribe
    client.connect(config["mqtt_host"], config["mqtt_port"], 60)
    client.subscribe("houses/+/sensors/+", qos=config["qos"])
    client.loop_start()
    done.wait(config["timeout"])
    client.loop_stop()
    client.disconnect()
    print(json.dumps({key: state[key] for key in ("stored", "invalid", "duplicates", "last")}), flush=True)


def publish(config, keys):
    """The publisher, in this process: every reading encrypted and published in turn."""
    fernets = {owner: Fernet(key.encode("ascii")) for owner, key in keys.items()}
    client = new_client(f"python-pipeline-pub-{os.getpid()}")
    client.max_inflight_messages_set(config["window"])
    client.connect(config["mqtt_host"], config["mqtt_port"], 60)
    client.loop_start()
    houses, owners, qos = config["houses"], config["owners"], config["qos"]
    sensors = houses * len(KINDS)
    seqs = [0] * (sensors + 1)
    infos = []
    started = time.time()
    for n in range(config["messages"]):
        sensor = n % sensors + 1
        house = (sensor - 1) // len(KINDS) + 1
        kind = KINDS[(sensor - 1) % len(KINDS)]
        body = json.dumps(reading(sensor, house, kind, seqs[sensor])).encode("utf-8")
        seqs[sensor] += 1
        token = fernets[owner_of(house, owners)].encrypt(body)
        infos.append(client.publish(f"houses/{house}/sensors/{sensor}", token, qos=qos))
    for info in infos:
        info.wait_for_publish(config["timeout"])
    finished = time.time()
    client.loop_stop()
    client.disconnect()
    return started, finished


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "subscribe":
        subscribe(json.loads(sys.stdin.readline()))
        return
    config = json.load(sys.stdin)
    keys = {owner: Fernet.generate_key().decode("ascii") for owner in range(1, config["owners"] + 1)}
    subscriber = subprocess.Popen([sys.executable, __file__, "subscribe"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
    subscriber.stdin.write(json.dumps(dict(config, keys=keys)) + "\n")
    subscriber.stdin.close()
    if subscriber.stdout.readline().strip() != "ready":
        sys.stderr.write("the subscriber process did not subscribe\n")
        sys.exit(1)
    started, published = publish(config, keys)
    result = json.loads(subscriber.stdout.readline() or "{}")
    subscriber.wait(30)
    elapsed = (result.get("last") or published) - started
    print(json.dumps({
        "published": config["messages"],
        "stored": result.get("stored", 0),
        "invalid": result.get("invalid", 0),
        "duplicates": result.get("duplicates", 0),
        "publish_seconds": published - started,
        "elapsed_seconds": elapsed,
        "rate": result.get("stored", 0) / elapsed if elapsed > 0 else 0,
        "versions": {
            "python": platform.python_version(),
            "paho_mqtt": paho.mqtt.__version__,
            "cryptography": cryptography.__version__,
            "redis": redis.__version__,
        },
    }))


if __name__ == "__main__":
    main()

// hearth dashboard: one house, live. A tile per sensor, an alarm banner
// with acknowledge buttons for those allowed to acknowledge, a timeline.
"use strict";

const houseID = Number(new URLSearchParams(location.search).get("id"));
const state = {
  sensors: new Map(),   // id -> sensor entry of /houses/{id}/data, plus receivedAt
  order: [],
  active: [],           // alarms raised and not cleared
  recent: [],           // latest transitions, newest first
  canAcknowledge: false,
};
const alarmTitles = { fire_co: "FIRE / CO ALARM", leak: "LEAK ALARM" };

/** Owners and administrators may acknowledge; residents only watch. */
async function loadRole() {
  const me = await api("/users/me");
  if (me.role === "admin") return true;
  const links = await api("/users/" + me.id + "/houses?limit=500");
  return links.items.some((link) => link.id === houseID && link.role === "owner");
}

function sensorName(id) {
  const sensor = state.sensors.get(id);
  return sensor ? sensor.name : "sensor " + id;
}

/** Alarm names of a sensor: from its latest reading and from the alarm record. */
function alarmsOf(sensor) {
  const names = new Set(sensor.alarms || []);
  for (const alarm of state.active) if (alarm.sensor_id === sensor.sensor_id) names.add(alarm.alarm);
  return [...names];
}

function statusText(sensor) {
  switch (sensor.status) {
    case "fresh": return "OK";
    case "stale": return "STALE: no reading for over " + duration(sensor.stale_after_seconds);
    case "missing": return "NO VALUE: never reported, expired or evicted";
    default: return "UNREADABLE: " + (sensor.reason || "unknown");
  }
}

function tile(sensor) {
  const alarms = alarmsOf(sensor);
  const values = Object.entries(sensor.values || {}).sort(([a], [b]) => a.localeCompare(b)).map(([field, value]) =>
    el("div", {}, el("dt", {}, field.replaceAll("_", " ")),
      el("dd", {}, value === null ? "—" : String(typeof value === "number" ? Math.round(value * 10) / 10 : value),
        sensor.units && sensor.units[field] ? " " + sensor.units[field] : "")));
  const age = sensor.age_seconds === undefined ? null
    : el("p", { class: "age", "data-age": sensor.age_seconds, "data-received": sensor.receivedAt }, "");
  return el("article", {
    class: "tile " + (alarms.length ? "alarm" : sensor.status),
    "data-sensor-id": sensor.sensor_id, "data-status": alarms.length ? "alarm" : sensor.status, "data-seq": sensor.seq,
  },
    el("h3", {}, sensor.name),
    el("p", { class: "kind" }, sensor.kind.replace("_", " / ")),
    alarms.length ? el("p", { class: "state" }, "ALARM: " + alarms.join(", ")) : el("p", { class: "state" }, statusText(sensor)),
    el("dl", { class: "values" }, ...values),
    age);
}

function renderTiles() {
  const tiles = state.order.map((id) => state.sensors.get(id)).filter(Boolean).map(tile);
  document.getElementById("tiles").replaceChildren(...tiles);
  document.getElementById("tiles-empty").hidden = tiles.length > 0;
  tickAges();
}

function tickAges() {
  for (const node of document.querySelectorAll(".age")) {
    const seconds = Number(node.dataset.age) + (Date.now() - Number(node.dataset.received)) / 1000;
    node.textContent = "updated " + duration(seconds) + " ago";
  }
}

async function acknowledge(alarm, button) {
  button.disabled = true;
  try {
    await api("/houses/" + houseID + "/alarms/" + alarm.id + "/acknowledge", { method: "POST" });
    button.textContent = "Acknowledging…";
  } catch (error) {
    button.disabled = false;
    button.textContent = "Acknowledge (failed: " + error.message + ")";
  }
}

function renderAlarms() {
  const banner = document.getElementById("alarm-banner");
  banner.hidden = state.active.length === 0;
  document.getElementById("banner-alarms").replaceChildren(...state.active.map((alarm) => {
    const acknowledged = alarm.acknowledged_at
      ? el("span", { class: "tag" }, "acknowledged " + clockTime(alarm.acknowledged_at)) : null;
    let button = null;
    if (!alarm.acknowledged_at && state.canAcknowledge) {
      button = el("button", { type: "button", class: "acknowledge", "data-alarm-id": alarm.id }, "Acknowledge");
      button.addEventListener("click", () => acknowledge(alarm, button));
    }
    return el("li", { "data-alarm-id": alarm.id },
      el("strong", {}, (alarmTitles[alarm.kind] || "ALARM") + ": "),
      sensorName(alarm.sensor_id) + ", " + alarm.alarm + " since " + clockTime(alarm.occurred_at) + " ",
      acknowledged, button);
  }));
  document.getElementById("timeline").replaceChildren(...state.recent.map((alarm) =>
    el("li", { class: alarm.state },
      el("time", { datetime: alarm.occurred_at }, clockTime(alarm.occurred_at)), " ",
      sensorName(alarm.sensor_id) + ": " + alarm.alarm + " " + alarm.state.toUpperCase(),
      alarm.acknowledged_at ? " (acknowledged " + clockTime(alarm.acknowledged_at) + ")" : "")));
  document.getElementById("timeline-empty").hidden = state.recent.length > 0;
  renderTiles();
}

const handlers = {
  sensors(changes) {
    const received = Date.now();
    for (const sensor of changes.sensors) state.sensors.set(sensor.sensor_id, { ...sensor, receivedAt: received });
    state.order = changes.sensor_ids;
    for (const id of [...state.sensors.keys()]) if (!state.order.includes(id)) state.sensors.delete(id);
    renderTiles();
  },
  alarms(alarms) {
    state.active = alarms.active;
    state.recent = alarms.recent;
    renderAlarms();
  },
  gone() {
    stream.close();
    document.getElementById("connection").textContent = "this house no longer exists";
  },
  denied() {
    stream.close();
    location.replace("./");
  },
};
let stream = null;

async function start() {
  if (!session.require()) return;
  const house = await api("/houses/" + houseID);
  document.getElementById("house-name").textContent = house.name;
  document.title = "hearth · " + house.name;
  state.canAcknowledge = await loadRole();
  document.body.dataset.canAcknowledge = state.canAcknowledge;
  const connection = document.getElementById("connection");
  stream = follow("/houses/" + houseID + "/events", handlers, (text) => { connection.textContent = text; });
  setInterval(tickAges, 1000);
}

start().catch((error) => { document.getElementById("connection").textContent = "error: " + error.message; });

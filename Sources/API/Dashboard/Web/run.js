// hearth dashboard: the figures of the load run in progress, live.
"use strict";

function bytes(count) {
  if (count >= 1 << 30) return (count / (1 << 30)).toFixed(2) + " GiB";
  if (count >= 1 << 20) return (count / (1 << 20)).toFixed(1) + " MiB";
  return (count / 1024).toFixed(0) + " KiB";
}

/** "1:05:09", "4:20" */
function clock(seconds) {
  const total = Math.max(0, Math.round(seconds));
  const parts = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const text = parts.map((part) => String(part).padStart(2, "0")).join(":");
  return parts[0] > 0 ? text.replace(/^0/, "") : text.slice(3).replace(/^0/, "");
}

function show(status) {
  const run = status.snapshot;
  document.getElementById("idle").hidden = Boolean(run);
  document.getElementById("run").hidden = !run;
  if (!run) return;
  const set = (id, text) => { document.getElementById(id).textContent = text; };
  set("scenario", run.scenario);
  set("stage", run.stage);
  document.getElementById("finished").hidden = !run.finished;
  set("time", clock(run.elapsed_seconds) + " / " + clock(run.remaining_seconds));
  set("rate", Math.round(run.sent_per_second) + " / " + Math.round(run.target_per_second) + " readings/s");
  const rate = document.getElementById("rate-meter");
  rate.max = Math.max(1, run.target_per_second);
  rate.value = run.sent_per_second;
  set("p99", run.p99_milliseconds === null ? "no reading yet" : run.p99_milliseconds.toFixed(1) + " ms");
  const limit = run.redis_max_bytes > 0 ? bytes(run.redis_max_bytes) : "no limit";
  set("memory", bytes(run.redis_used_bytes) + " / " + limit);
  const memory = document.getElementById("memory-meter");
  memory.max = Math.max(1, run.redis_max_bytes);
  memory.high = 0.9 * memory.max;
  memory.value = run.redis_used_bytes;
  set("evicted", String(run.evicted_keys));
  set("outstanding", String(run.outstanding_readings));
}

if (session.require()) {
  const connection = document.getElementById("connection");
  // "none": no run shares this server (hearth serve); nothing will come.
  const stream = follow("/run/events", {
    progress: show,
    idle: show,
    none(status) { stream.close(); show(status); connection.textContent = "no run in this server"; },
  }, (text) => { connection.textContent = text; });
}

// hearth dashboard: the session and the calls every page makes.
//
// The JWT from POST /auth/token lives in sessionStorage: it is gone when the
// tab closes, and no other tab or site sees it. Live updates come as
// server-sent events; EventSource cannot send an Authorization header, so
// each stream is opened with a single-use ticket from POST /events/ticket.
"use strict";

const session = {
  get token() { return sessionStorage.getItem("hearth.token"); },
  set token(value) {
    if (value) sessionStorage.setItem("hearth.token", value);
    else sessionStorage.removeItem("hearth.token");
  },
  /** Back to the login page unless logged in. */
  require() {
    if (!this.token) location.replace("./");
    return Boolean(this.token);
  },
};

/** An API call as the logged-in user; the parsed JSON, or an Error with the API's message. */
async function api(path, options = {}) {
  // X-Requested-With: the API then leaves out its Basic challenge on a 401,
  // which would make the browser pop up its own login dialog.
  const headers = { Accept: "application/json", "X-Requested-With": "hearth-dashboard", ...(options.headers || {}) };
  if (session.token) headers.Authorization = "Bearer " + session.token;
  const response = await fetch(path, { ...options, headers });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && session.token) {
    session.token = null;
    location.replace("./");
  }
  if (!response.ok) {
    const error = new Error((body && body.error && body.error.message) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

/**
 * Follows an event stream, reconnecting with a fresh ticket after a break,
 * until the returned handle's close().
 * `handlers` maps event names to functions of the parsed data;
 * `onState` hears "live" and "reconnecting".
 */
function follow(path, handlers, onState) {
  let source = null;
  let closed = false;
  async function connect() {
    if (closed) return;
    try {
      const { ticket } = await api("/events/ticket", { method: "POST" });
      source = new EventSource(path + "?ticket=" + encodeURIComponent(ticket));
      source.onopen = () => onState("live");
      source.onerror = () => { source.close(); retry(); };
      for (const [name, handle] of Object.entries(handlers)) {
        source.addEventListener(name, (event) => handle(JSON.parse(event.data)));
      }
    } catch (error) {
      retry();
    }
  }
  function retry() {
    if (closed) return;
    onState("reconnecting");
    setTimeout(connect, 2000);
  }
  connect();
  return { close() { closed = true; if (source) source.close(); } };
}

/** A DOM element with text children only: nothing from the API is parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** "4 s", "3 min", "2 h" */
function duration(seconds) {
  if (seconds < 90) return Math.max(0, Math.round(seconds)) + " s";
  if (seconds < 5400) return Math.round(seconds / 60) + " min";
  return Math.round(seconds / 3600) + " h";
}

function clockTime(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

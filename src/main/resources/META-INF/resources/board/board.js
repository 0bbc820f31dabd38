// The live weather board: the public HTTP API only (stations, hour rollups, alerts, and the event stream over SSE).
"use strict";

const EVENT_TYPES = ["StationRegistered", "ObservationRecorded", "AlertRuleDefined", "AlertRuleRemoved",
  "AlertRaised", "AlertUpdated", "AlertCleared", "AlertAcknowledged"];
const ALERT_TYPES = new Set(["AlertRaised", "AlertUpdated", "AlertCleared", "AlertAcknowledged"]);
const MAX_EVENTS = 60;
const stations = new Map();
let position = 0;

const $ = id => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
};
const fmt = (value, unit, digits = 1) => value == null ? "–" : `${Number(value).toFixed(digits)} ${unit}`;
const time = iso => iso ? new Date(iso).toLocaleString([], {dateStyle: "short", timeStyle: "short"}) : "–";

async function get(path) {
  const response = await fetch(path, {headers: {Accept: "application/json"}});
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const header = Number(response.headers.get("Stormwatch-Position"));
  if (header > position) position = header;
  return response.json();
}

/** Loads at most six stations' details at once, in the order their cards came into view. */
const loading = {queue: [], running: 0};
function load(id) {
  loading.queue.push(id);
  drain();
}
function drain() {
  while (loading.running < 6 && loading.queue.length) {
    loading.running++;
    loadStation(loading.queue.shift()).catch(() => {}).finally(() => { loading.running--; drain(); });
  }
}

/** A station's details and chart are read when its card comes into view, once: a board of thousands stays light. */
const inView = new IntersectionObserver(entries => {
  for (const entry of entries) {
    const station = stations.get(entry.target.dataset.station);
    if (entry.isIntersecting && station && !station.requested) {
      station.requested = true;
      inView.unobserve(entry.target);
      load(station.id);
    }
  }
});

function status(text, live) {
  const node = $("status");
  node.textContent = text;
  node.className = "status " + (live ? "live" : "down");
}

// ---------------------------------------------------------------------------------------------- stations

function stationCard(id) {
  let station = stations.get(id);
  if (!station) {
    station = {id, card: el("li", {class: "station", "data-station": id})};
    stations.set(id, station);
    const list = $("stations");
    const after = [...list.children].find(li => li.dataset.station > id);
    list.insertBefore(station.card, after ?? null);
    $("station-count").textContent = `(${stations.size})`;
    renderStation(station);
    inView.observe(station.card);
  }
  return station;
}

function renderStation(station) {
  const latest = station.latest ?? {};
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 100 30");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `hourly mean temperature of ${station.name ?? station.id}, last 24 hours`);
  const points = station.hours ?? [];
  if (points.length > 1) {
    const min = Math.min(...points), max = Math.max(...points), span = max - min || 1;
    const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", points.map((v, i) =>
      `${(i / (points.length - 1) * 100).toFixed(1)},${(28 - (v - min) / span * 26).toFixed(1)}`).join(" "));
    svg.append(line);
  }
  station.card.replaceChildren(
    el("h3", {}, station.name ?? station.id), el("div", {class: "id"}, station.id),
    el("div", {class: "temp"}, fmt(latest.temperatureC, "°C")),
    el("div", {class: "obs"}, `humidity ${fmt(latest.humidityPct, "%", 0)} · wind ${fmt(latest.windSpeedMs, "m/s")}`
      + ` · gust ${fmt(latest.windGustMs, "m/s")} · ${fmt(latest.pressureHpa, "hPa", 0)}`),
    el("div", {class: "obs"}, `observed ${time(latest.observedAt)}`),
    svg);
}

async function loadStation(id) {
  const station = stationCard(id);
  const to = new Date(), from = new Date(to.getTime() - 24 * 3600 * 1000);
  const [details, hours] = await Promise.all([get(`/api/stations/${encodeURIComponent(id)}`),
    get(`/api/stations/${encodeURIComponent(id)}/observations?resolution=hour&limit=48`
      + `&from=${from.toISOString()}&to=${to.toISOString()}`)]);
  Object.assign(station, {name: details.name, latitude: details.latitude, longitude: details.longitude,
    latest: details.latest});
  station.hours = hours.items.map(b => b.metrics.temperatureC?.mean).filter(v => v != null);
  renderStation(station);
}

function observed(payload) {
  const station = stationCard(payload.stationId);
  if (!station.latest || payload.observedAt >= station.latest.observedAt) {
    station.latest = payload;
    renderStation(station);
  }
}

// ---------------------------------------------------------------------------------------------- alerts

function renderAlerts(alerts) {
  $("no-alerts").hidden = alerts.length > 0;
  $("alert-count").textContent = alerts.length ? `(${alerts.length})` : "";
  const alerting = new Set(alerts.map(a => a.stationId));
  for (const station of stations.values()) station.card.classList.toggle("alerting", alerting.has(station.id));
  $("alerts").replaceChildren(...alerts.map(alert => {
    const station = stations.get(alert.stationId);
    const area = station?.latitude != null
      ? `around ${station.name ?? alert.stationId} (${station.latitude.toFixed(2)}, ${station.longitude.toFixed(2)})`
      : alert.stationId;
    const ack = alert.acknowledgement
      ? el("dd", {class: "ack"}, `acknowledged by ${alert.acknowledgement.by} at ${time(alert.acknowledgement.at)}`)
      : el("dd", {}, "not acknowledged");
    return el("li", {class: `alert sev-${alert.severity}`, "data-alert": alert.alertId},
      el("h3", {}, el("span", {class: "severity"}, alert.severity), " ", alert.event),
      el("dl", {},
        el("dt", {}, "Urgency"), el("dd", {}, alert.urgency),
        el("dt", {}, "Area"), el("dd", {}, area),
        el("dt", {}, "Since"), el("dd", {}, time(alert.onset ?? alert.raisedAt)),
        el("dt", {}, "Measured"), el("dd", {}, `${alert.metric} ${alert.value} (${alert.operator} ${alert.threshold})`),
        el("dt", {}, "Expires"), el("dd", {}, time(alert.expires)),
        el("dt", {}, "Status"), ack));
  }));
}

async function loadAlerts() {
  const page = await get(`/api/alerts?state=active&limit=200&minPosition=${position}`);
  renderAlerts(page.items);
}

// ---------------------------------------------------------------------------------------------- event stream

function eventLine(event) {
  const p = event.payload ?? {};
  const what = p.stationId ?? p.ruleId ?? p.alertId ?? event.streamId;
  const list = $("events");
  list.prepend(el("li", {}, el("span", {class: "pos"}, `#${event.position} `), `${event.type} ${what}`));
  while (list.children.length > MAX_EVENTS) list.lastChild.remove();
}

let alertRefresh = null;

function follow() {
  // The browser sends Last-Event-ID when it reconnects: the stream resumes after the last event it saw.
  const source = new EventSource(`/api/events/stream?after=${position}`);
  source.onopen = () => status(`live · position ${position}`, true);
  source.onerror = () => status("connection lost; reconnecting…", false);
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, message => {
      const event = JSON.parse(message.data);
      position = Math.max(position, event.position);
      status(`live · position ${position}`, true);
      eventLine(event);
      if (type === "ObservationRecorded") observed(event.payload);
      if (type === "StationRegistered") {
        Object.assign(stationCard(event.payload.stationId), event.payload);
        renderStation(stations.get(event.payload.stationId));
      }
      if (ALERT_TYPES.has(type)) {
        clearTimeout(alertRefresh);
        alertRefresh = setTimeout(() => loadAlerts().catch(() => {}), 100);
      }
    });
  }
}

async function start() {
  try {
    let cursor = null;
    do {
      const page = await get("/api/stations?limit=1000" + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
      for (const summary of page.items) {
        const station = stationCard(summary.stationId);
        station.name = summary.name;
        renderStation(station);
      }
      cursor = page.nextCursor;
    } while (cursor);
    await loadAlerts();
  } catch (e) {
    status(`could not load the board: ${e.message}`, false);
  }
  follow();
}

start();

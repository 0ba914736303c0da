/* fogwatch workbench: map, timeline and evidence panel over the API of `fogwatch serve`.
 *
 * Security rule of this file: text from the store (report text, titles, outlets, actors, claimants) only
 * ever enters the page as text nodes (textContent / createTextNode), never as markup. There is no
 * innerHTML, insertAdjacentHTML, document.write or eval here; the server's Content-Security-Policy
 * forbids inline script besides.
 */
"use strict";

(function () {
  const TYPES = [
    ["Battles", "#c92a2a"],
    ["Explosions/Remote violence", "#e8590c"],
    ["Violence against civilians", "#862e9c"],
    ["Protests", "#1971c2"],
    ["Riots", "#2f9e44"],
    ["Strategic developments", "#5c677d"],
  ];
  const OTHER = "#868e96";
  const TYPE_INDEX = new Map(TYPES.map(([t], i) => [t, i]));
  const FILTERS = ["since", "until", "country", "type", "actor", "source", "contested"];
  const state = { index: null, rows: [], cols: {}, layer: null, map: null, svg: null, base: null, selected: null, byId: new Map() };

  // --- small DOM helpers: text only -------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = String(v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function colour(type) { const i = TYPE_INDEX.get(type); return i === undefined ? OTHER : TYPES[i][1]; }
  function safeHref(url) {
    try { const u = new URL(url); return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null; } catch (e) { return null; }
  }

  // --- filters in the URL -----------------------------------------------------------------------------------
  function params() { return new URLSearchParams(window.location.search); }
  function filterQuery(extra) {
    const p = params(), q = new URLSearchParams();
    for (const k of FILTERS) if (p.get(k)) q.set(k, p.get(k));
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return q;
  }
  function setParams(update) {
    const p = params();
    for (const [k, v] of Object.entries(update)) { if (v === null || v === "" || v === undefined) p.delete(k); else p.set(k, v); }
    const s = p.toString();
    window.history.replaceState(null, "", s ? "?" + s : window.location.pathname);
  }
  function fillForm() {
    const form = document.getElementById("filters"), p = params();
    for (const k of FILTERS) {
      const input = form.elements[k];
      if (!input) continue;
      if (input.type === "checkbox") input.checked = p.get(k) === "true"; else input.value = p.get(k) || "";
    }
  }
  function readForm() {
    const form = document.getElementById("filters"), out = {};
    for (const k of FILTERS) {
      const input = form.elements[k];
      out[k] = input.type === "checkbox" ? (input.checked ? "true" : null) : (input.value.trim() || null);
    }
    return out;
  }

  async function api(path, query) {
    const r = await fetch(path + (query && query.toString() ? "?" + query.toString() : ""), { headers: { accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) throw new Error((body.error && (body.error.code + " " + body.error.message)) || ("HTTP " + r.status));
    return body;
  }
  function status(text) { document.getElementById("status").textContent = text; }

  // --- basemap: Natural Earth countries (1:50m) and first-level divisions, both shipped with the server -------
  async function basemap(map) {
    const topo = await (await fetch("/static/vendor/countries-50m.json")).json();
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, { interactive: false, renderer: state.base, style: { color: "#8a949e", weight: 0.8, fillColor: "#fbfaf5", fillOpacity: 1 } }).addTo(map);
  }
  async function admin1Layer(map) {
    const data = await (await fetch("/static/basemap/admin1.json")).json();
    const layer = L.geoJSON(data, { interactive: false, renderer: state.base, style: { color: "#b0b7bf", weight: 0.5, fill: false } });
    const sync = () => { if (map.getZoom() >= 5) layer.addTo(map); else layer.remove(); };
    map.on("zoomend", sync);
    sync();
  }

  // --- the map ----------------------------------------------------------------------------------------------
  function radiusFor(fatalities) { return 5 + 2.2 * Math.sqrt(Math.max(0, fatalities || 0)); }

  function buildIndex(data) {
    const c = {};
    data.columns.forEach((name, i) => { c[name] = i; });
    state.cols = c;
    state.rows = data.rows;
    state.byId = new Map(data.rows.map((r) => [r[c.event_id], r]));
    const features = data.rows.map((r, i) => ({
      type: "Feature", geometry: { type: "Point", coordinates: [r[c.longitude], r[c.latitude]] },
      properties: { i: i },
    }));
    state.index = new Supercluster({
      radius: 48, maxZoom: 12,
      map: (p) => {
        const r = state.rows[p.i], k = [0, 0, 0, 0, 0, 0, 0];
        const t = TYPE_INDEX.get(r[c.event_type]);
        k[t === undefined ? 6 : t] = 1;
        return { f: r[c.fatalities_best] || 0, x: r[c.contested] ? 1 : 0, k: k };
      },
      reduce: (a, b) => { a.f += b.f; a.x += b.x; for (let j = 0; j < 7; j++) a.k[j] += b.k[j]; },
    });
    state.index.load(features);
  }

  function clusterIcon(props) {
    let best = 0;
    for (let j = 1; j < 7; j++) if (props.k[j] > props.k[best]) best = j;
    const size = Math.round(22 + 5 * Math.log2(props.point_count) + 1.5 * Math.sqrt(props.f));
    const div = el("div", { class: "cluster" + (props.x ? " has-contested" : ""), title: props.point_count + " events, " + props.f + " killed" + (props.x ? ", " + props.x + " contested" : "") },
      String(props.point_count));
    div.style.width = div.style.height = Math.min(size, 90) + "px";
    div.style.background = best === 6 ? OTHER : TYPES[best][1];
    return L.divIcon({ html: div, className: "", iconSize: [Math.min(size, 90), Math.min(size, 90)] });
  }

  function draw() {
    if (!state.index) return;
    const map = state.map, b = map.getBounds();
    const clusters = state.index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], Math.round(map.getZoom()));
    const layer = L.layerGroup();
    const c = state.cols;
    for (const f of clusters) {
      const [lon, lat] = f.geometry.coordinates;
      if (f.properties.cluster) {
        const m = L.marker([lat, lon], { icon: clusterIcon(f.properties), keyboard: false });
        m.on("click", () => map.setView([lat, lon], Math.min(state.index.getClusterExpansionZoom(f.properties.cluster_id), 14)));
        layer.addLayer(m);
        continue;
      }
      const r = state.rows[f.properties.i];
      const area = (r[c.geo_precision] || 1) >= 3;
      const contested = r[c.contested];
      const m = L.circleMarker([lat, lon], {
        radius: radiusFor(r[c.fatalities_best]) + (area ? 6 : 0), color: contested ? "#000" : "#fff", weight: contested ? 3 : 1.5,
        dashArray: area ? "4 3" : null, fillColor: colour(r[c.event_type]), fillOpacity: area ? 0.35 : 0.85,
        className: "event-marker", renderer: state.svg,
      });
      m.bindTooltip(() => tooltipText(r), { direction: "top" });
      m.on("click", () => select(r[c.event_id]));
      layer.addLayer(m);
    }
    if (state.layer) state.layer.remove();
    state.layer = layer.addTo(map);
  }

  function tooltipText(r) {
    // Leaflet puts a string tooltip in as markup, so the tooltip gets an element holding text nodes instead.
    const c = state.cols;
    const area = (r[c.geo_precision] || 1) >= 3;
    return el("div", {},
      el("b", { text: r[c.event_type] || "event" }), el("br"),
      (r[c.event_date] || "undated") + " · " + (r[c.fatalities_best] === null ? "no figure" : r[c.fatalities_best] + " killed") +
      (r[c.contested] ? " · contested" : "") + (area ? " · area-level place" : ""), el("br"),
      el("i", { text: "click for the reports and evidence" }));
  }

  async function loadMap(refit) {
    status("loading events…");
    const started = performance.now();
    const data = await api("/api/points", filterQuery({ limit: "100000" }));
    buildIndex(data);
    if (!(refit && fit())) draw();  // fitting the view draws (moveend), once
    const placed = data.rows.length;
    status(placed.toLocaleString() + " events on the map" + (data.truncated ? " (first " + placed.toLocaleString() + " only)" : "") +
      " · " + data.unplaced.toLocaleString() + " without a place (not drawn)");
    document.body.dataset.mapReady = String(Math.round(performance.now() - started));
    document.body.dataset.unplaced = String(data.unplaced);
    return data;
  }

  function legend() {
    const box = document.getElementById("legend");
    clear(box);
    for (const [t, col] of TYPES) {
      const sw = el("span", { class: "sw" });
      sw.style.background = col;
      box.appendChild(sw);
      box.appendChild(document.createTextNode(t));
    }
    box.appendChild(el("br"));
    box.appendChild(el("span", { class: "sw contested" }));
    box.appendChild(document.createTextNode("contested (sources disagree)"));
    box.appendChild(el("span", { class: "sw area" }));
    box.appendChild(document.createTextNode("area-level (province or region only)"));
    box.appendChild(document.createTextNode(" · size: fatalities"));
  }

  // --- the timeline: daily counts by type; dragging selects dates and filters the map -------------------------
  const SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    return node;
  }
  function dayNumber(iso) { return Math.floor(Date.parse(iso + (iso.length === 7 ? "-01" : "") + "T00:00:00Z") / 86400000); }
  function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  async function loadTimeline() {
    const q = filterQuery();
    q.delete("since"); q.delete("until");  // the timeline shows the whole span; the selection is the brush
    // Months first (a few hundred rows whatever the span), then days or weeks when the span is short enough to show them.
    q.set("bucket", "month");
    let data = await api("/api/timeline", q);
    if (data.rows.length) {
      const span = dayNumber(data.rows[data.rows.length - 1].period) - dayNumber(data.rows[0].period);
      if (span <= 3650) { q.set("bucket", span <= 730 ? "day" : "week"); data = await api("/api/timeline", q); }
    }
    drawTimeline(data);
  }

  function drawTimeline(data) {
    const box = document.getElementById("timeline");
    clear(box);
    const width = box.clientWidth || 800, height = box.clientHeight || 150, pad = { l: 36, r: 10, t: 8, b: 18 };
    const root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    box.appendChild(root);
    if (!data.rows.length) {
      const t = svg("text", { x: pad.l, y: height / 2, class: "axis" });
      t.textContent = "no dated events match";
      root.appendChild(t);
      return;
    }
    const step = data.bucket === "day" ? 1 : data.bucket === "week" ? 7 : 30;
    const periods = new Map();
    for (const r of data.rows) {
      const d = dayNumber(r.period);
      if (!periods.has(d)) periods.set(d, new Array(7).fill(0));
      const t = TYPE_INDEX.get(r.event_type);
      periods.get(d)[t === undefined ? 6 : t] += r.events;
    }
    const days = [...periods.keys()];
    let lo = Math.min(...days), hi = Math.max(...days) + step;
    if (hi - lo < 30 * step) { const grow = Math.ceil((30 * step - (hi - lo)) / 2); lo -= grow; hi += grow; }  // a short span: narrow bars
    const max = Math.max(...[...periods.values()].map((k) => k.reduce((a, b) => a + b, 0)));
    const x = (d) => pad.l + (d - lo) / (hi - lo) * (width - pad.l - pad.r);
    const y = (n) => height - pad.b - n / max * (height - pad.t - pad.b);
    const bw = Math.max(1, x(lo + step) - x(lo) - 1);
    for (const [d, counts] of periods) {
      let acc = 0;
      counts.forEach((n, j) => {
        if (!n) return;
        const rect = svg("rect", { x: x(d), y: y(acc + n), width: bw, height: y(acc) - y(acc + n), fill: j === 6 ? OTHER : TYPES[j][1] });
        const title = svg("title");
        title.textContent = isoDay(d) + ": " + n + " " + (j === 6 ? "other" : TYPES[j][0]);
        rect.appendChild(title);
        root.appendChild(rect);
        acc += n;
      });
    }
    for (const [d, anchor] of [[lo, "start"], [hi - step, "end"]]) {
      const t = svg("text", { x: x(d) + (anchor === "end" ? bw : 0), y: height - 4, class: "axis", "text-anchor": anchor });
      t.textContent = isoDay(d);
      root.appendChild(t);
    }
    const ymax = svg("text", { x: 4, y: pad.t + 8, class: "axis" });
    ymax.textContent = String(max);
    root.appendChild(ymax);
    // The brush: the dates in the URL, and dragging sets them.
    const brush = svg("rect", { class: "brush", y: pad.t, height: height - pad.t - pad.b, x: 0, width: 0, visibility: "hidden" });
    root.appendChild(brush);
    const toDay = (px) => Math.round(lo + (px - pad.l) / (width - pad.l - pad.r) * (hi - lo));
    const show = (a, b) => {
      const x0 = Math.max(pad.l, x(Math.min(a, b))), x1 = Math.min(width - pad.r, x(Math.max(a, b) + 1));
      brush.setAttribute("x", x0); brush.setAttribute("width", Math.max(1, x1 - x0)); brush.setAttribute("visibility", "visible");
    };
    const p = params();
    if (p.get("since") || p.get("until")) show(p.get("since") ? dayNumber(p.get("since")) : lo, p.get("until") ? dayNumber(p.get("until")) : hi - 1);
    let start = null;
    const px = (ev) => { const r = root.getBoundingClientRect(); return (ev.clientX - r.left) * width / r.width; };
    root.addEventListener("mousedown", (ev) => { start = toDay(px(ev)); show(start, start); });
    root.addEventListener("mousemove", (ev) => { if (start !== null) show(start, toDay(px(ev))); });
    window.addEventListener("mouseup", (ev) => {
      if (start === null) return;
      const end = toDay(px(ev));
      const a = Math.max(lo, Math.min(start, end)), b = Math.min(hi - 1, Math.max(start, end));
      start = null;
      setParams({ since: isoDay(a), until: isoDay(b) });
      fillForm();
      loadMap().catch(fail);
    });
  }

  // --- the event panel ---------------------------------------------------------------------------------------
  function passageNode(p) {
    // Split the passage at every mark boundary; each piece is a text node, inside <mark>s when a mark covers it.
    const cuts = new Set([0, p.text.length]);
    for (const m of p.marks) { cuts.add(Math.max(0, Math.min(p.text.length, m.start))); cuts.add(Math.max(0, Math.min(p.text.length, m.end))); }
    const points = [...cuts].sort((a, b) => a - b);
    const node = el("blockquote", { class: "passage" });
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = document.createTextNode(p.text.slice(a, b));
      const kinds = [...new Set(p.marks.filter((m) => m.start <= a && m.end >= b).map((m) => m.kind))];
      if (!kinds.length) { node.appendChild(piece); continue; }
      const covering = p.marks.filter((m) => m.start <= a && m.end >= b);
      const slant = covering.filter((m) => m.kind === "slant").map((m) => m.technique);
      const main = kinds.includes("claim") ? "claim" : kinds.includes("evidence") ? "evidence" : null;
      let outer = main ? el("mark", { class: main }, piece) : piece;
      if (main && kinds.includes("evidence") && main === "claim") outer = el("mark", { class: "evidence" }, outer);
      if (slant.length) outer = el("span", { class: "slant", title: "slant: " + slant.join(", ") }, outer);
      node.appendChild(outer);
    }
    return node;
  }

  function fieldList(e) {
    const dl = el("dl");
    const row = (k, v) => { dl.appendChild(el("dt", { text: k })); dl.appendChild(el("dd", {}, v === null || v === undefined || v === "" ? "—" : v)); };
    const fat = e.fatalities_best === null ? "no figure" : String(e.fatalities_best) +
      (e.fatalities_low !== e.fatalities_high ? " (" + (e.fatalities_low ?? "?") + "–" + (e.fatalities_high ?? "?") + ")" : "");
    row("event type", e.event_type);
    row("sub-event type", e.sub_event_type);
    row("date", (e.event_date || "undated") + (e.date_start !== e.date_end ? " (" + e.date_start + " – " + e.date_end + ")" : "") + " · precision " + e.time_precision);
    row("location", [e.location_name, e.admin2, e.admin1, e.country_code].filter(Boolean).join(", ") + " · geo precision " + e.geo_precision +
      ((e.geo_precision || 1) >= 3 ? " (area)" : ""));
    row("coordinates", e.latitude === null ? "none (not on the map)" : e.latitude + ", " + e.longitude);
    row("actor 1", e.actor1 ? e.actor1 + (e.actor1_inter ? " (inter " + e.actor1_inter + ")" : "") : null);
    row("actor 2", e.actor2 ? e.actor2 + (e.actor2_inter ? " (inter " + e.actor2_inter + ")" : "") : null);
    row("fatalities", fat);
    row("reports / sources", e.n_documents + " / " + e.n_sources);
    row("outlets", e.sources);
    row("event id", e.event_id);
    return dl;
  }

  function claimsTable(claims) {
    const table = el("table", { class: "claims" });
    table.appendChild(el("tr", {}, el("th", { text: "claim" }), el("th", { text: "figure" }), el("th", { text: "claimant" }),
      el("th", { text: "modality" }), el("th", { text: "in" })));
    for (const c of claims) {
      table.appendChild(el("tr", {},
        el("td", { text: [c.quantity, c.subject].filter(Boolean).join(" ") || "—" }), el("td", { text: c.figure }),
        el("td", { text: c.claimant || "(author)" }), el("td", { text: c.modality || "—" }),
        el("td", { text: (c.outlet || c.doc_id || "") + (c.republisher ? " via " + c.republisher : "") })));
    }
    return table;
  }

  function memberNode(m) {
    const head = el("div", { class: "who" }, (m.outlet || m.doc_id || "report") + (m.republisher ? " (via " + m.republisher + ")" : ""));
    const meta = el("div", { class: "meta" }, [m.published, m.title, m.modality, m.duplicate_of ? "near-copy" : null].filter(Boolean).join(" · "));
    const href = m.url && safeHref(m.url);
    const link = href ? el("a", { href: href, rel: "noopener noreferrer nofollow", target: "_blank" }, href) : null;
    const node = el("div", { class: "member", "data-doc": m.doc_key }, head, meta, link);
    const passages = el("div", { class: "passages" });
    for (const p of m.passages || []) passages.appendChild(passageNode(p));
    node.appendChild(passages);
    const note = el("div", { class: "analysis hint", text: "slant: reading the report…" });
    node.appendChild(note);
    addSlant(m, passages, note).catch((err) => { note.textContent = "slant: " + err.message; });
    return node;
  }

  // The report's slant spans come from GET /api/reports/{key}/analysis (the spans the store keeps with the report),
  // and the passages are drawn again with the spans that fall inside them marked.
  async function addSlant(m, passages, note) {
    const a = await api("/api/reports/" + encodeURIComponent(m.doc_key) + "/analysis");
    const codes = a.errors.filter((e) => e.stage === "slant").map((e) => e.code);
    clear(passages);
    let shown = 0;
    for (const p of m.passages || []) {
      const extra = [];
      for (const sp of a.slant) {
        const start = Math.max(sp.start, p.start) - p.start, end = Math.min(sp.end, p.end) - p.start;
        if (end > start) extra.push({ kind: "slant", start: start, end: end, technique: sp.technique });
      }
      shown += extra.length;
      passages.appendChild(passageNode({ ...p, marks: [...p.marks, ...extra] }));
    }
    const techniques = [...new Set(a.slant.map((sp) => sp.technique))];
    note.textContent = "slant: " + (a.slant.length ? a.slant.length + " span(s) in the report (" + techniques.join(", ") + "), " + shown +
      " in these passages (dotted underline)" : codes.length ? "not read (" + codes.join(", ") + ")" : "none found");
  }

  async function select(eventId) {
    state.selected = eventId;
    setParams({ event: eventId });
    const panel = document.getElementById("panel");
    clear(panel);
    panel.appendChild(el("p", { class: "hint", text: "loading…" }));
    let d;
    try { d = await api("/api/events/" + encodeURIComponent(eventId)); } catch (err) { clear(panel); panel.appendChild(el("p", { text: String(err.message) })); return; }
    if (state.selected !== eventId) return;
    clear(panel);
    const e = d.event;
    const badges = el("div", {});
    if (e.contested) badges.appendChild(el("span", { class: "badge contested", text: "contested " + e.discrepancy.toFixed(2) }));
    if ((e.geo_precision || 1) >= 3) badges.appendChild(el("span", { class: "badge area", text: "area-level" }));
    panel.appendChild(el("h2", { text: (e.sub_event_type || e.event_type || "event") + (e.location_name ? " · " + e.location_name : "") }));
    panel.appendChild(badges);
    if (e.discrepancy_reasons.length) panel.appendChild(el("ul", { class: "reasons" }, ...e.discrepancy_reasons.map((r) => el("li", { text: r }))));
    panel.appendChild(fieldList(e));
    panel.appendChild(el("h3", { text: "Claims side by side" }));
    panel.appendChild(d.claims.length ? claimsTable(d.claims) : el("p", { class: "hint", text: "no figures in these reports" }));
    panel.appendChild(el("h3", { text: "Reports and evidence (" + d.members.length + ")" }));
    for (const m of d.members) panel.appendChild(memberNode(m));
    panel.dataset.event = eventId;
  }

  function fail(err) { status("error: " + (err && err.message ? err.message : String(err))); }

  // --- start ---------------------------------------------------------------------------------------------------
  async function start() {
    fillForm();
    legend();
    const dl = document.getElementById("types");
    for (const [t] of TYPES) dl.appendChild(el("option", { value: t }));
    const map = L.map("map", { preferCanvas: true, worldCopyJump: true, minZoom: 2 }).setView([30, 20], 3);
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("Boundaries: Natural Earth");
    state.map = map;
    state.svg = L.svg({ padding: 0.2 });  // events as SVG paths (clickable, few after clustering); the basemap on canvas
    map.createPane("basemap").style.zIndex = "250";  // under the events whichever loads first
    state.base = L.canvas({ pane: "basemap" });
    map.on("moveend", draw);
    document.getElementById("filters").addEventListener("submit", (ev) => {
      ev.preventDefault();
      setParams(readForm());
      loadMap(true).catch(fail);
      loadTimeline().catch(fail);
    });
    document.getElementById("reset").addEventListener("click", () => {
      window.history.replaceState(null, "", window.location.pathname);
      fillForm();
      loadMap(true).catch(fail);
      loadTimeline().catch(fail);
    });
    // The basemap and the events load side by side; the first view is both drawn (the benchmark reads firstView).
    const base = basemap(map).catch(fail);
    await loadMap(true).catch(fail);
    await base;
    document.body.dataset.firstView = String(Math.round(performance.now()));
    loadTimeline().catch(fail);
    const chosen = params().get("event");
    if (chosen) select(chosen);
    admin1Layer(map).catch(() => {});
  }

  function fit() {
    if (!state.rows.length) return false;
    const c = state.cols;
    let s = 90, w = 180, n = -90, e = -180;
    for (const r of state.rows) {
      s = Math.min(s, r[c.latitude]); n = Math.max(n, r[c.latitude]); w = Math.min(w, r[c.longitude]); e = Math.max(e, r[c.longitude]);
    }
    const b = L.latLngBounds([s, w], [n, e]);
    state.map.fitBounds(b.pad(0.3), { maxZoom: 9, animate: false });
    return true;
  }

  window.addEventListener("DOMContentLoaded", () => { start().catch(fail); });
})();

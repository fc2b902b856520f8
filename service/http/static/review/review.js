// Review page: reads only the public /v1 API. All user text is set through textContent or text nodes.
"use strict";

const VERDICTS = ["corroborated", "contradicted", "disputed", "unverified"];
const KEY_STORE = "factcheck.apiKey";
const REVIEWER_STORE = "factcheck.reviewer";

const state = {
  route: null,
  titles: new Map(),   // document id -> title, for evidence links
  doc: null,           // the document report on screen
  claimsById: new Map(),
  selected: null,      // selected claim id
  focusSpan: null,     // [start, end] of an evidence quote to show in this document
  listCursor: null,
  queueCursor: null,
  reloadTimer: null,
  eventCursor: null,   // last SSE id seen; the page loads current state, so it only needs events after that
  panelClaim: null,    // claim whose review form is on screen
  loads: { doc: 0, queue: 0 }, // request counters: only the newest answer is drawn
  wakeStream: null,    // ends the event stream's retry wait early
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function verdictChip(verdict, extra) {
  const v = VERDICTS.includes(verdict) ? verdict : "unverified";
  return el("span", { class: `chip v-${v}` }, extra === undefined ? verdict : `${verdict} ${extra}`);
}

const BASIS_TEXT = {
  rule: "A deterministic check decided it (figures, employers, denials or negation).",
  model: "The learned stance model or the LLM decided it.",
};

function fmtStrength(value) {
  return Number(value || 0).toFixed(2);
}

function sourcesText(n) {
  if (!n) return "no independent source";
  return n === 1 ? "1 independent source" : `${n} independent sources`;
}

// One line an editor reads at a glance: who decided, how strongly, on how many sources.
function basisSummary(c) {
  if (!c.basis) return `${c.verdict} · nothing decides it`;
  return `${c.verdict} · ${c.basis} · strength ${fmtStrength(c.strength)} · ${sourcesText(c.independent_sources)}`;
}

function strengthMeter(value) {
  const v = Math.max(0, Math.min(1, Number(value) || 0));
  const fill = el("span", { class: "fill" });
  fill.style.setProperty("--strength", String(v)); // CSSOM, not a style attribute: allowed by the page's CSP
  return el("span", { class: "strength", title: `strength ${fmtStrength(v)}` },
    el("span", { class: "bar", "aria-hidden": "true" }, fill),
    el("span", { class: "value" }, fmtStrength(v)));
}

// Basis chip, strength and independent sources of a claim, for lists and the panel.
function basisChips(c) {
  const box = el("span", { class: "how-chips", dataset: { basis: c.basis || "none" } });
  if (!c.basis) {
    box.append(el("span", { class: "basis b-none", title: "No evidence decides this verdict." }, "no deciding evidence"));
    return box;
  }
  box.append(
    el("span", { class: `basis b-${c.basis}`, title: BASIS_TEXT[c.basis] || "" }, c.basis),
    strengthMeter(c.strength),
    el("span", { class: "sources", dataset: { sources: String(c.independent_sources || 0) } },
      sourcesText(c.independent_sources)),
  );
  return box;
}

function fmtDate(value) {
  if (!value) return "";
  const d = new Date(value);
  return isNaN(d) ? String(value) : d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

function notice(message) {
  const box = $("notice");
  box.textContent = message || "";
  box.hidden = !message;
}

// ---- API -------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function authHeaders() {
  const key = localStorage.getItem(KEY_STORE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json", ...authHeaders(), ...(options.headers || {}) };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method: options.method || "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  let body = null;
  const text = await response.text();
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (!response.ok) {
    const err = (body && body.error) || {};
    if (response.status === 401 || response.status === 403) $("key-form").hidden = false;
    throw new ApiError(response.status, err.code || "http_error", err.message || `HTTP ${response.status}`);
  }
  return body;
}

// GET /v1/documents/{id} may return the report contract ({documents: [doc]}) or the document itself.
function unwrapDocument(body) {
  return body && Array.isArray(body.documents) ? body.documents[0] : body;
}

// ---- Routing ---------------------------------------------------------------------------------

function parseRoute() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  let m;
  if (hash === "/queue" || hash.startsWith("/queue?"))
    return { view: "queue", params: new URLSearchParams(hash.slice("/queue".length).replace(/^\?/, "")) };
  if ((m = hash.match(/^\/documents\/([^/]+)\/claims\/([^/]+)$/))) return { view: "doc", id: m[1], claim: m[2] };
  if ((m = hash.match(/^\/documents\/([^/]+)\/span\/(\d+)-(\d+)$/)))
    return { view: "doc", id: m[1], span: [Number(m[2]), Number(m[3])] };
  if ((m = hash.match(/^\/documents\/([^/]+)$/))) return { view: "doc", id: m[1] };
  return { view: "list" };
}

function showView(name) {
  for (const v of ["list", "queue", "doc"]) $(`view-${v}`).hidden = v !== name;
  $("nav-documents").classList.toggle("active", name === "list");
  $("nav-queue").classList.toggle("active", name === "queue");
}

async function route() {
  const r = parseRoute();
  const previous = state.route;
  state.route = r;
  notice("");
  try {
    if (r.view === "list") {
      showView("list");
      await loadList();
    } else if (r.view === "queue") {
      showView("queue");
      setQueueForm(r.params);
      await loadQueue();
    } else {
      showView("doc");
      state.focusSpan = r.span || null;
      if (!previous || previous.view !== "doc" || previous.id !== r.id || !state.doc) {
        state.selected = null;
        await loadDocument(r.id);
      } else {
        renderText();
      }
      if (r.claim) await selectClaim(r.claim, { updateHash: false });
      if (r.span) scrollToFocus();
    }
  } catch (e) {
    notice(e.status === 404 ? "Not found." : `Could not load: ${e.message}`);
  }
}

// ---- Document list ---------------------------------------------------------------------------

async function loadList(append = false) {
  const params = new URLSearchParams({ limit: "100" });
  if (append && state.listCursor) params.set("cursor", state.listCursor);
  const page = await api(`/v1/documents?${params}`);
  const items = Array.isArray(page) ? page : page.items || [];
  state.listCursor = Array.isArray(page) ? null : page.next_cursor || null;
  const rows = $("doc-rows");
  if (!append) rows.replaceChildren();
  for (const d of items) {
    state.titles.set(d.id, d.title || d.source || d.id);
    const chips = el("div", { class: "verdict-chips" });
    for (const v of VERDICTS) {
      const n = (d.verdicts || {})[v];
      if (n) chips.append(verdictChip(v, n));
    }
    const verdicts = el("td", { class: "verdicts" }, chips);
    rows.append(
      el("tr", { dataset: { documentId: d.id } },
        el("td", {}, el("a", { href: `#/documents/${encodeURIComponent(d.id)}`, class: "doc-link" }, d.title || d.source || d.id)),
        el("td", { class: "muted" }, d.source || ""),
        el("td", { class: "langs" }, (d.languages && d.languages.length ? d.languages : [d.language]).join(" · ")),
        el("td", {}, d.claim_count ?? ""),
        verdicts,
        el("td", { class: "muted small" }, fmtDate(d.created_at)),
      ),
    );
  }
  $("doc-empty").hidden = rows.children.length > 0;
  $("doc-more").hidden = !state.listCursor;
}

// Titles of every document, for evidence and history links (the API pages 200 at a time).
async function loadTitles() {
  let cursor = null;
  do {
    const params = new URLSearchParams({ limit: "200" });
    if (cursor) params.set("cursor", cursor);
    const page = await api(`/v1/documents?${params}`);
    for (const d of page.items || []) state.titles.set(d.id, d.title || d.source || d.id);
    cursor = page.next_cursor || null;
  } while (cursor);
}

// ---- Queue -----------------------------------------------------------------------------------

const QUEUE_FIELDS = { verdict: "queue-verdict", basis: "queue-basis", sources: "queue-sources", sort: "queue-sort" };

// The queue's filters live in the address (#/queue?basis=model&sort=strength), so a view can be shared.
function setQueueForm(params) {
  if (!params) return;
  for (const [name, id] of Object.entries(QUEUE_FIELDS)) {
    if (params.has(name) && [...$(id).options].some((o) => o.value === params.get(name))) $(id).value = params.get(name);
  }
  if (params.has("reviewed")) $("queue-unreviewed").checked = params.get("reviewed") === "false";
}

function queueFormParams() {
  const params = new URLSearchParams();
  for (const [name, id] of Object.entries(QUEUE_FIELDS)) params.set(name, $(id).value);
  params.set("reviewed", $("queue-unreviewed").checked ? "false" : "any");
  return params;
}

function onQueueForm() {
  history.replaceState(null, "", `#/queue?${queueFormParams()}`);
  state.route = parseRoute();
  loadQueue().catch((e) => notice(e.message));
}

async function loadQueue(append = false) {
  const params = new URLSearchParams({ limit: "100" });
  const verdict = $("queue-verdict").value;
  if (verdict) params.set("verdict", verdict);
  if ($("queue-basis").value) params.set("basis", $("queue-basis").value);
  const [min, max] = ($("queue-sources").value || "-").split("-");
  if (min) params.set("min_sources", min);
  if (max) params.set("max_sources", max);
  if ($("queue-sort").value !== "stored") params.set("sort", $("queue-sort").value);
  if ($("queue-unreviewed").checked) params.set("reviewed", "false");
  if (append && state.queueCursor) params.set("cursor", state.queueCursor);
  const token = ++state.loads.queue;
  const page = await api(`/v1/claims?${params}`);
  if (token !== state.loads.queue) return; // a newer filter's answer is on its way
  const items = Array.isArray(page) ? page : page.items || [];
  state.queueCursor = Array.isArray(page) ? null : page.next_cursor || null;
  const list = $("queue-list");
  if (!append) list.replaceChildren();
  for (const c of items) {
    list.append(
      el("li", { dataset: { claimId: c.id, basis: c.basis || "none", strength: String(c.strength ?? 0),
                            sources: String(c.independent_sources ?? 0) } },
        el("div", { class: "q-head" },
          verdictChip(c.verdict),
          c.review ? el("span", { class: `chip v-${c.review.verdict}` }, `editor: ${c.review.verdict}`) : null,
          basisChips(c),
          el("span", { class: "muted small" }, `confidence ${Number(c.confidence).toFixed(2)}`)),
        el("a", { href: `#/documents/${encodeURIComponent(c.document_id)}/claims/${encodeURIComponent(c.id)}` }, c.text),
      ),
    );
  }
  $("queue-empty").hidden = list.children.length > 0;
  $("queue-more").hidden = !state.queueCursor;
}

// ---- Document view ---------------------------------------------------------------------------

async function loadDocument(id) {
  const token = ++state.loads.doc;
  const doc = unwrapDocument(await api(`/v1/documents/${encodeURIComponent(id)}`));
  if (token !== state.loads.doc) return; // the editor moved on to another document meanwhile
  state.doc = doc;
  state.claimsById = new Map((doc.claims || []).map((c) => [c.id, c]));
  state.titles.set(doc.id, doc.title || doc.source || doc.id);
  document.title = `${doc.title || doc.id} · Fact-check review`;
  $("doc-title").textContent = doc.title || doc.source || doc.id;
  const langs = doc.languages && doc.languages.length ? doc.languages.join("+") : doc.language;
  const meta = [doc.source, langs, doc.published_at, doc.url].filter(Boolean).join(" · ");
  $("doc-meta").textContent = meta;
  const counts = $("doc-counts");
  counts.replaceChildren();
  const tally = {};
  for (const c of doc.claims || []) tally[c.verdict] = (tally[c.verdict] || 0) + 1;
  for (const v of VERDICTS) if (tally[v]) counts.append(verdictChip(v, tally[v]));
  renderText();
  renderClaimList();
  if (state.selected && state.claimsById.has(state.selected)) await selectClaim(state.selected, { updateHash: false });
  else clearPanel();
}

// Offsets are Unicode code points (Python str indices); JS strings are UTF-16, so slice code points.
function renderText() {
  const doc = state.doc;
  const box = $("doc-text");
  box.replaceChildren();
  box.setAttribute("lang", doc.language || "");
  if (typeof doc.text !== "string") {
    box.append(el("p", { class: "muted" }, "The article text is not available; claims are listed below."));
    return;
  }
  const chars = Array.from(doc.text);
  const claims = (doc.claims || []).filter((c) => c.start >= 0 && c.end <= chars.length && c.end > c.start);
  const cuts = new Set([0, chars.length]);
  for (const c of claims) { cuts.add(c.start); cuts.add(c.end); }
  const focus = state.focusSpan;
  if (focus) { cuts.add(Math.max(0, focus[0])); cuts.add(Math.min(chars.length, focus[1])); }
  const points = [...cuts].sort((a, b) => a - b);
  const byStart = [...claims].sort((a, b) => a.start - b.start);
  let next = 0;
  let active = [];
  const frag = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i];
    const b = points[i + 1];
    while (next < byStart.length && byStart[next].start <= a) active.push(byStart[next++]);
    active = active.filter((c) => c.end > a);
    let node = document.createTextNode(chars.slice(a, b).join(""));
    const covering = active.filter((c) => c.start <= a && c.end >= b);
    if (covering.length) {
      // The shortest covering claim is the most specific one: it owns the click and the colour.
      const primary = covering.reduce((x, y) => (y.end - y.start < x.end - x.start ? y : x));
      const classes = ["claim", `v-${VERDICTS.includes(primary.verdict) ? primary.verdict : "unverified"}`,
        `b-${primary.basis || "none"}`];
      if (primary.checkworthy === false) classes.push("not-checkworthy");
      if (primary.review) classes.push("reviewed");
      if (primary.id === state.selected) classes.push("selected");
      const mark = el("mark", {
        class: classes.join(" "),
        dataset: { claimId: primary.id, verdict: primary.verdict, basis: primary.basis || "none" },
        title: `${basisSummary(primary)}${primary.review ? ` (editor: ${primary.review.verdict})` : ""}`,
        tabindex: "0",
      });
      mark.style.setProperty("--strength", String(Math.max(0, Math.min(1, Number(primary.strength) || 0))));
      mark.append(node);
      node = mark;
    }
    if (focus && a >= focus[0] && b <= focus[1]) {
      const hl = el("mark", { class: "span-focus" });
      hl.append(node);
      node = hl;
    }
    frag.append(node);
  }
  box.append(frag);
}

function renderClaimList() {
  const list = $("claim-list");
  list.replaceChildren();
  for (const c of state.doc.claims || []) {
    list.append(
      el("li", { dataset: { claimId: c.id, basis: c.basis || "none" }, class: c.id === state.selected ? "selected" : null },
        el("span", { class: `badge v-${c.verdict}` }, c.verdict),
        c.review ? el("span", { class: `badge v-${c.review.verdict}` }, `editor: ${c.review.verdict}`) : null,
        c.verdict !== "unverified" ? basisChips(c) : null,
        el("span", { class: "claim-li-text" }, c.text)),
    );
  }
}

function scrollToFocus() {
  const node = document.querySelector("#doc-text mark.span-focus");
  if (node) node.scrollIntoView({ block: "center" });
}

function clearPanel() {
  state.panelClaim = null;
  $("panel-empty").hidden = false;
  $("panel-body").hidden = true;
}

function markSelection() {
  for (const m of document.querySelectorAll("#doc-text mark.claim")) {
    m.classList.toggle("selected", m.dataset.claimId === state.selected);
  }
  for (const li of $("claim-list").children) li.classList.toggle("selected", li.dataset.claimId === state.selected);
}

async function selectClaim(claimId, { updateHash = true } = {}) {
  state.selected = claimId;
  markSelection();
  if (updateHash && state.doc) {
    const target = `#/documents/${encodeURIComponent(state.doc.id)}/claims/${encodeURIComponent(claimId)}`;
    if (location.hash !== target) history.replaceState(null, "", target);
    state.route = parseRoute();
  }
  const full = await api(`/v1/claims/${encodeURIComponent(claimId)}`);
  if (state.selected !== claimId) return; // a later click won
  renderPanel(full);
}

function renderPanel(claim) {
  $("panel-empty").hidden = true;
  $("panel-body").hidden = false;
  $("panel-body").dataset.claimId = claim.id;

  const badge = $("p-verdict");
  badge.className = `badge v-${claim.verdict}`;
  badge.textContent = claim.verdict;
  $("p-confidence").textContent = `machine · confidence ${Number(claim.confidence).toFixed(2)}`;
  const editor = $("p-editor");
  const latest = claim.review || (claim.reviews && claim.reviews[claim.reviews.length - 1]) || null;
  editor.hidden = !latest;
  if (latest) {
    editor.className = `badge editor v-${latest.verdict}`;
    editor.textContent = latest.verdict;
  }
  $("p-text").textContent = claim.text;
  const how = $("p-how");
  how.replaceChildren(basisChips(claim),
    el("p", { class: "small how-text" },
      claim.basis ? `${BASIS_TEXT[claim.basis]} Strength ${fmtStrength(claim.strength)} before calibration; ` +
                    `${sourcesText(claim.independent_sources)}.`
                  : "No evidence in the corpus decides this verdict."));
  how.dataset.basis = claim.basis || "none";

  const attr = $("p-attribution");
  attr.hidden = !(claim.attribution && claim.attribution.speaker);
  if (!attr.hidden) {
    attr.textContent = `${claim.attribution.stance === "denies" ? "Denied" : "Asserted"} by ${claim.attribution.speaker}`;
  }
  const flags = $("p-flags");
  flags.hidden = claim.checkworthy !== false;
  flags.textContent = "Not check-worthy (opinion, prediction or generic statement).";

  renderEvidence(claim);
  renderHistory(claim);

  // A live refresh of the same claim keeps what the editor is typing; another claim starts a fresh form.
  if (state.panelClaim !== claim.id) {
    state.panelClaim = claim.id;
    $("r-verdict").value = latest ? latest.verdict : claim.verdict;
    $("r-reviewer").value = $("r-reviewer").value || localStorage.getItem(REVIEWER_STORE) || "";
    $("r-note").value = "";
    $("r-status").textContent = "";
    $("p-claimreview-json").hidden = true;
  }
}

function renderEvidence(claim) {
  const box = $("p-evidence");
  box.replaceChildren();
  const evidence = claim.evidence || [];
  $("p-no-evidence").hidden = evidence.length > 0;
  for (const ev of evidence) {
    const otherTitle = state.titles.get(ev.document_id) || ev.document_id;
    const sameDoc = state.doc && ev.document_id === state.doc.id;
    const href = ev.claim_id
      ? `#/documents/${encodeURIComponent(ev.document_id)}/claims/${encodeURIComponent(ev.claim_id)}`
      : `#/documents/${encodeURIComponent(ev.document_id)}/span/${ev.start}-${ev.end}`;
    box.append(
      el("div", { class: `ev s-${ev.stance}`, dataset: { documentId: ev.document_id, stance: ev.stance, basis: ev.basis || "model" } },
        el("div", { class: "ev-head" },
          el("span", { class: "ev-stance" }, ev.stance,
            ev.kind && ev.kind !== "evidence" ? el("span", { class: "ev-kind" }, ev.kind) : null),
          el("span", {}, `score ${Number(ev.score).toFixed(2)} · ${ev.basis || "model"}${ev.same_source ? " · same source" : ""}${ev.backend && ev.backend !== "offline" ? ` · ${ev.backend}` : ""}`),
        ),
        el("div", { class: "ev-pair" },
          el("blockquote", { class: "ev-claim" }, el("span", { class: "label" }, "This document"), claim.quote),
          el("blockquote", { class: "ev-quote" },
            el("span", { class: "label" },
              el("a", { href, class: "ev-link" }, sameDoc ? "This document (elsewhere)" : otherTitle)),
            ev.quote),
        ),
        el("p", { class: "ev-rationale" }, ev.rationale),
      ),
    );
  }
}

function renderHistory(claim) {
  const list = $("p-history");
  list.replaceChildren();
  const entries = [];
  for (const h of claim.history || []) entries.push({ at: h.at, kind: "machine", h });
  for (const r of claim.reviews || []) entries.push({ at: r.created_at, kind: "review", r });
  entries.sort((a, b) => String(a.at).localeCompare(String(b.at)));
  for (const e of entries) {
    if (e.kind === "machine") {
      const h = e.h;
      const cause = h.cause_document_id
        ? el("a", { href: `#/documents/${encodeURIComponent(h.cause_document_id)}` },
            state.titles.get(h.cause_document_id) || h.cause_document_id)
        : null;
      list.append(el("li", { class: "h-machine" },
        el("span", { class: "muted" }, fmtDate(h.at)), " ",
        el("span", { class: "kind" }, "machine"), " ",
        verdictChip(h.verdict), ` ${Number(h.confidence).toFixed(2)} · ${h.reason}`,
        cause ? " · " : null, cause));
    } else {
      const r = e.r;
      list.append(el("li", { class: "h-review" },
        el("span", { class: "muted" }, fmtDate(r.created_at)), " ",
        el("span", { class: "kind" }, `review by ${r.reviewer}`), " ",
        verdictChip(r.verdict), r.machine_verdict ? ` (machine said ${r.machine_verdict})` : "",
        r.note ? el("div", { class: "small" }, r.note) : null));
    }
  }
  if (!entries.length) list.append(el("li", { class: "muted" }, "No recorded changes."));
}

async function submitReview(event) {
  event.preventDefault();
  const claimId = $("panel-body").dataset.claimId;
  const reviewer = $("r-reviewer").value.trim();
  const body = { verdict: $("r-verdict").value, reviewer, note: $("r-note").value };
  const button = $("r-submit");
  button.disabled = true;
  $("r-status").textContent = "Saving…";
  try {
    await api(`/v1/claims/${encodeURIComponent(claimId)}/reviews`, { method: "POST", body });
    localStorage.setItem(REVIEWER_STORE, reviewer);
    $("r-note").value = "";
    $("r-status").textContent = "Review saved.";
    await loadDocument(state.doc.id);
  } catch (e) {
    $("r-status").textContent = `Not saved: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

async function toggleClaimReview() {
  const pre = $("p-claimreview-json");
  if (!pre.hidden) { pre.hidden = true; return; }
  const claimId = $("panel-body").dataset.claimId;
  try {
    const body = await api(`/v1/claims/${encodeURIComponent(claimId)}/claimreview`);
    pre.textContent = JSON.stringify(body, null, 2);
  } catch (e) {
    pre.textContent = `Unavailable: ${e.message}`;
  }
  pre.hidden = false;
}

// ---- Live updates (SSE over fetch, so the API key can go in a header) -------------------------

async function followEvents() {
  const live = $("live");
  let delay = 1000;
  for (;;) {
    const since = state.eventCursor;
    const url = since === null ? "/v1/events" : `/v1/events?since=${encodeURIComponent(since)}`;
    try {
      const response = await fetch(url, { headers: { Accept: "text/event-stream", ...authHeaders() } });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      live.dataset.state = "on";
      live.textContent = "live";
      delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const raw = buffer.slice(0, cut);
          buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
          handleEventBlock(raw);
        }
      }
    } catch (e) {
      // fall through to the retry below
    }
    live.dataset.state = "retrying";
    live.textContent = "live: reconnecting";
    await new Promise((resolve) => {
      state.wakeStream = resolve; // a newly entered API key retries at once
      setTimeout(resolve, delay);
    });
    delay = Math.min(delay * 2, 15000);
  }
}

function handleEventBlock(raw) {
  let id = null;
  let type = "message";
  const data = [];
  for (const line of raw.split(/\r?\n/)) {
    if (!line || line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
    if (field === "id") id = value;
    else if (field === "event") type = value;
    else if (field === "data") data.push(value);
  }
  if (id !== null) state.eventCursor = id;
  if (!data.length) return;
  let payload = {};
  try { payload = JSON.parse(data.join("\n")); } catch { return; }
  onEvent(type, payload);
}

function onEvent(type, payload) {
  const r = state.route || {};
  const touchesDoc = state.doc && (
    payload.document_id === state.doc.id || payload.cause_document_id === state.doc.id ||
    (payload.claim_id && state.claimsById.has(payload.claim_id)));
  if (r.view === "doc" && touchesDoc) scheduleReload(() => loadDocument(state.doc.id));
  else if (r.view === "list") scheduleReload(() => loadList());
  else if (r.view === "queue") scheduleReload(() => loadQueue());
}

function scheduleReload(fn) {
  clearTimeout(state.reloadTimer);
  state.reloadTimer = setTimeout(() => fn().catch((e) => notice(`Could not refresh: ${e.message}`)), 300);
}

// ---- Wiring ----------------------------------------------------------------------------------

function onTextActivate(event) {
  const mark = event.target.closest("mark.claim");
  if (!mark) return;
  if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
  event.preventDefault();
  selectClaim(mark.dataset.claimId).catch((e) => notice(`Could not load the claim: ${e.message}`));
}

document.addEventListener("DOMContentLoaded", () => {
  $("doc-text").addEventListener("click", onTextActivate);
  $("doc-text").addEventListener("keydown", onTextActivate);
  $("claim-list").addEventListener("click", (event) => {
    const li = event.target.closest("li[data-claim-id]");
    if (li) selectClaim(li.dataset.claimId).catch((e) => notice(`Could not load the claim: ${e.message}`));
  });
  $("review-form").addEventListener("submit", submitReview);
  $("p-claimreview").addEventListener("click", toggleClaimReview);
  $("doc-more").addEventListener("click", () => loadList(true).catch((e) => notice(e.message)));
  for (const id of [...Object.values(QUEUE_FIELDS), "queue-unreviewed"]) $(id).addEventListener("change", onQueueForm);
  $("queue-more").addEventListener("click", () => loadQueue(true).catch((e) => notice(e.message)));
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(KEY_STORE, $("key-input").value.trim());
    $("key-form").hidden = true;
    if (state.wakeStream) state.wakeStream();
    loadTitles().catch(() => {}).finally(route);
  });
  window.addEventListener("hashchange", route);
  loadTitles().catch(() => {}).finally(route);
  followEvents();
});

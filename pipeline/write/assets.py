"""Style sheets and scripts inlined into the pages, so that each page is one offline file.

The scripts only add to a page that works without them: the review page's filters and, when
`curate review --web` serves it, its decision buttons; the audit page's highlighting of the
lines an evidence link names.
"""

from __future__ import annotations

# An empty icon: without it a served page asks for /favicon.ico, and the 404 is a console error.
ICON = '<link rel="icon" href="data:,">'

BASE_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 76em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
a { color: #1a5fb4; } code { background: #f3f3f3; padding: 0 0.2em; }
.meta { color: #666; font-size: 0.9em; }
table.data { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
table.data td, table.data th { padding: 0.15em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
table.data td.n, table.data th.n { text-align: right; font-variant-numeric: tabular-nums; }
nav.pages { font-size: 0.9em; margin-bottom: 1em; } nav.pages a { margin-right: 1em; }
[hidden] { display: none !important; }
"""

REVIEW_CSS = """
section.conflict { border: 1px solid #ddd; border-radius: 6px; margin: 1em 0; padding: 0.6em 1em; }
section.conflict.resolved { background: #f6fbf6; }
section.conflict.current { outline: 3px solid #1a5fb4; outline-offset: 2px; }
section.conflict.pending { border-color: #c88a00; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(20em, 1fr)); gap: 1em; }
.side h4 { margin: 0.4em 0; } blockquote { margin: 0.3em 0 0.6em; padding-left: 0.8em; border-left: 3px solid #ccc; }
table.forms { border-collapse: collapse; font-size: 0.9em; } table.forms td, table.forms th { padding: 0 0.6em; }
.filters { position: sticky; top: 0; background: #fff; padding: 0.5em 0; border-bottom: 1px solid #ddd; z-index: 1; }
.filters label { margin-right: 1em; }
.decide { margin: 0.6em 0 0.2em; } .decide button { margin: 0 0.3em 0.3em 0; }
.decide input.note { width: 24em; max-width: 100%; }
.recorded { display: block; color: #7a5200; font-weight: 600; margin-top: 0.3em; }
.served-only { display: none; } body.served .served-only { display: block; } body.served .static-only { display: none; }
#banner { background: #fff6db; border: 1px solid #e0c068; border-radius: 6px; padding: 0.3em 1em; margin-top: 0.4em; }
#help { background: #f6f6f6; border-radius: 6px; padding: 0.4em 1em; }
"""

REVIEW_JS = r"""
(function () {
  "use strict";
  var token = (document.querySelector('meta[name="curate-token"]') || {}).content || "";
  var conflicts = Array.prototype.slice.call(document.querySelectorAll("section.conflict"));
  var kindSel = document.getElementById("filter-kind"), statusSel = document.getElementById("filter-status");
  var current = null;

  function visible() { return conflicts.filter(function (c) { return !c.hidden; }); }
  function applyFilter(save) {
    var kind = kindSel.value, status = statusSel.value;
    conflicts.forEach(function (c) {
      c.hidden = (kind && c.dataset.kind !== kind) || (status && c.dataset.status !== status);
    });
    document.querySelectorAll("section.kind-group").forEach(function (g) {
      g.hidden = !g.querySelector("section.conflict:not([hidden])");
    });
    document.getElementById("filter-count").textContent = visible().length + " of " + conflicts.length + " shown";
    if (save) {
      var query = new URLSearchParams();
      if (kind) query.set("kind", kind);
      if (status) query.set("status", status);
      var search = query.toString();
      history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }
  }
  var params = new URLSearchParams(location.search);
  kindSel.value = params.get("kind") || "";
  statusSel.value = params.get("status") || "";
  kindSel.addEventListener("change", function () { applyFilter(true); });
  statusSel.addEventListener("change", function () { applyFilter(true); });
  applyFilter(false);
  if (!token) return;  // a static page: decisions are made with `curate review` or `curate decide`

  document.body.classList.add("served");
  var banner = document.getElementById("banner"), bannerText = document.getElementById("banner-text");
  var rebuild = document.getElementById("rebuild"), help = document.getElementById("help");
  var state = {decisions: "the decisions file", pending: {}};

  function api(path, body) {
    return fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: {"Content-Type": "application/json", "X-Curate-Token": token},
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (data) { data.status = r.status; return data; }); });
  }
  function showPending(pending) {
    var n = 0;
    conflicts.forEach(function (c) {
      var p = pending[c.id], out = c.querySelector(".recorded");
      c.classList.toggle("pending", !!p);
      if (p) { n += 1; out.textContent = "recorded: " + p.action + (p.label ? " (" + p.label + ")" : "") + "; applies on the next build"; }
    });
    bannerText.textContent = n ? n + " decision(s) recorded in " + state.decisions + " since this page was built: rebuild to apply them."
                               : "Every decision in " + state.decisions + " is applied in this page.";
    rebuild.hidden = !n;
  }
  function refresh() {
    return api("/api/state").then(function (data) { state = data; showPending(data.pending); });
  }
  function setCurrent(c) {
    if (current) current.classList.remove("current");
    current = c;
    if (c) { c.classList.add("current"); c.scrollIntoView({block: "nearest"}); }
  }
  function step(delta) {
    var shown = visible();
    if (!shown.length) return;
    var i = shown.indexOf(current);
    setCurrent(shown[Math.max(0, Math.min(shown.length - 1, i < 0 ? 0 : i + delta))]);
  }
  function nextUndecided(from) {
    var shown = visible(), i = shown.indexOf(from);
    for (var j = i + 1; j < shown.length; j++) {
      if (shown[j].dataset.status === "open" && !state.pending[shown[j].id]) return shown[j];
    }
    return from;
  }
  function decide(conflict, action) {
    var out = conflict.querySelector(".recorded"), note = conflict.querySelector("input.note");
    out.textContent = "recording " + action + "...";
    api("/api/decide", {conflict_id: conflict.id, action: action, note: note.value}).then(function (data) {
      if (data.error) { out.textContent = "not recorded: " + data.error; return; }
      note.value = "";
      state.pending[conflict.id] = data.decision;
      showPending(state.pending);
      setCurrent(nextUndecided(conflict));
    }).catch(function (err) { out.textContent = "not recorded: " + err; });
  }
  conflicts.forEach(function (c) {
    c.addEventListener("click", function () { setCurrent(c); });
    c.querySelectorAll(".decide button").forEach(function (b) {
      b.addEventListener("click", function (event) { event.stopPropagation(); setCurrent(c); decide(c, b.dataset.action); });
    });
  });
  rebuild.addEventListener("click", function () {
    rebuild.disabled = true;
    bannerText.textContent = "Rebuilding: running the pipeline with the recorded decisions...";
    api("/api/rebuild", {}).then(function (data) {
      if (data.ok) { location.reload(); return; }
      rebuild.disabled = false;
      bannerText.textContent = "The rebuild failed (exit status " + data.exit_code + "): " + (data.output || data.error || "");
    });
  });
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) {
      if (event.key === "Escape") t.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key.toLowerCase();
    if (key === "s" || key === "j") { step(1); }
    else if (key === "p") { step(-1); }
    else if (key === "?") { help.hidden = !help.hidden; }
    else if (key === "e" && current) { current.querySelector("input.note").focus(); }
    else if (current && current.querySelector(".decide")) {
      var form = current.querySelector(".decide");
      var keys = JSON.parse(form.dataset.keys), why = JSON.parse(form.dataset.why);
      if (keys[key]) { decide(current, keys[key]); }
      else if (why[key]) { current.querySelector(".recorded").textContent = why[key]; }
      else { return; }
    } else { return; }
    event.preventDefault();
  });
  refresh().then(function () { setCurrent(nextUndecided(null) || visible()[0]); });
})();
"""

AUDIT_CSS = """
.doc { border-top: 1px solid #ddd; }
.blk { display: grid; grid-template-columns: 5.5em minmax(0, 1fr) minmax(0, 22em); gap: 0 1em; padding: 0.15em 0; border-bottom: 1px solid #f2f2f2; }
.blk .ln { color: #888; font: 0.8em/1.9 ui-monospace, monospace; text-align: right; text-decoration: none; }
.blk.removed .tx { color: #999; } .blk.heading .tx, .blk.title .tx { font-weight: 600; }
.blk.raw .tx { color: #999; font-style: italic; }
.reason { display: inline-block; font-size: 0.75em; color: #fff; background: #999; border-radius: 3px; padding: 0 0.4em; margin-right: 0.5em; }
mark.m { background: #ffe08a; border-radius: 2px; padding: 0 1px; }
mark.m.flagged { background: #ffb3a7; }
.s.claimed { text-decoration: underline dotted #1a5fb4; text-underline-offset: 3px; }
ul.cl { margin: 0; padding: 0; list-style: none; font-size: 0.8em; color: #1a5fb4; }
ul.cl li { margin-bottom: 0.2em; } ul.cl .rule { color: #777; }
.blk.hit, .blk:target, li.hit { background: #fff3b0; }
.blk.hit { box-shadow: inset 4px 0 0 #e0a800; }
.legend span { margin-right: 1.2em; } .note { background: #fff6db; padding: 0.4em 0.8em; border-radius: 4px; }
"""

AUDIT_JS = r"""
(function () {
  "use strict";
  function highlight() {
    document.querySelectorAll(".hit").forEach(function (el) { el.classList.remove("hit"); });
    var hash = decodeURIComponent(location.hash.slice(1)), first = null;
    var lines = /^L(\d+)(?:-L?(\d+))?$/.exec(hash);
    if (lines) {
      var from = +lines[1], to = +(lines[2] || lines[1]);
      document.querySelectorAll(".blk[data-l1]").forEach(function (blk) {
        if (+blk.dataset.l1 <= to && +blk.dataset.l2 >= from) {
          blk.classList.add("hit");
          first = first || blk;
        }
      });
    } else if (hash.indexOf("claim-") === 0) {
      var item = document.getElementById(hash);
      if (item) { item.classList.add("hit"); first = item.closest(".blk"); first.classList.add("hit"); }
    }
    if (first) first.scrollIntoView({block: "center"});
  }
  window.addEventListener("hashchange", highlight);
  window.addEventListener("load", highlight);  // again after the browser's own jump to the anchor
  highlight();
})();
"""

REPORT_CSS = """
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(34em, 1fr)); gap: 1em 2em; align-items: start; }
svg.chart { max-width: 100%; height: auto; }
.figures { display: flex; flex-wrap: wrap; gap: 0.5em 2.5em; margin: 0.5em 0 1em; }
.figures div { font-size: 0.85em; color: #555; } .figures b { display: block; font-size: 1.5em; color: #222; }
details { margin: 0.4em 0 1em; } details summary { cursor: pointer; color: #1a5fb4; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em; vertical-align: -0.1em; }
ul.compact { columns: 2; font-size: 0.9em; } .empty { color: #777; font-style: italic; }
"""

// The operator dashboard (GET /admin): one self-contained page that reads /admin/overview and
// /admin/metrics with the bearer token the operator types (kept in this tab's sessionStorage only).
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Polycool · operator</title>
<style>
  :root { --bg:#0f1419; --card:#1a2129; --muted:#8b98a5; --text:#e7edf3; --ok:#3ecf8e; --warn:#f5a524; --bad:#f25f5c; --accent:#5b9cf5; }
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  body { margin:0; font:14px/1.45 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; background:var(--bg); color:var(--text); }
  header { display:flex; align-items:center; gap:12px; padding:14px 20px; border-bottom:1px solid #26313c; }
  header h1 { font-size:17px; margin:0; }
  .pill { padding:2px 10px; border-radius:99px; font-weight:600; font-size:12px; }
  .ok { background:rgba(62,207,142,.15); color:var(--ok); } .warn { background:rgba(245,165,36,.15); color:var(--warn); } .bad { background:rgba(242,95,92,.15); color:var(--bad); }
  main { padding:18px 20px; display:grid; gap:14px; grid-template-columns:repeat(auto-fill, minmax(250px, 1fr)); }
  .card { background:var(--card); border-radius:10px; padding:14px 16px; }
  .card h2 { margin:0 0 8px; font-size:12px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); font-weight:600; }
  .big { font-size:26px; font-weight:700; }
  .sub { color:var(--muted); font-size:12px; }
  .wide { grid-column:1 / -1; }
  table { width:100%; border-collapse:collapse; font-size:13px; }
  th, td { text-align:left; padding:5px 6px; border-bottom:1px solid #26313c; }
  th { color:var(--muted); font-weight:600; }
  svg { width:100%; height:auto; aspect-ratio: 600 / 90; display:block; }
  form { display:flex; gap:8px; max-width:520px; margin:80px auto; padding:0 20px; }
  input { flex:1; padding:10px 12px; border-radius:8px; border:1px solid #33414f; background:#0b0f13; color:var(--text); }
  button { padding:10px 16px; border-radius:8px; border:0; background:var(--accent); color:white; font-weight:600; cursor:pointer; }
  #error { color:var(--bad); text-align:center; }
  #exit-form { margin:0 0 8px; padding:0; max-width:360px; } #exit-form input, #exit-form button { padding:6px 10px; }
  .alerts { border:1px solid var(--bad); } .alerts li { margin:4px 0; }
</style>
</head>
<body>
<header><h1>Polycool · operator</h1><span id="health" class="pill warn" data-testid="health">…</span><span class="sub" id="updated"></span></header>
<div id="login" hidden>
  <form id="login-form"><input id="token" type="password" placeholder="Admin token" autocomplete="current-password" aria-label="Admin token"><button>Open dashboard</button></form>
  <p id="error"></p>
</div>
<main id="dash" hidden>
  <section class="card wide alerts" id="alerts" data-testid="alerts" hidden><h2>Operator alerts</h2><ul id="alertrows"></ul></section>
  <section class="card"><h2>Stream</h2><div class="big" data-testid="connected" id="connected">–</div><div class="sub" id="shards"></div></section>
  <section class="card"><h2>Subscriptions</h2><div class="big" data-testid="subscriptions" id="subs">–</div><div class="sub">tokens watched: both outcomes of every market with an open position</div></section>
  <section class="card"><h2>Message rate</h2><div class="big" data-testid="rate" id="rate">–</div><div class="sub" id="msgtypes"></div></section>
  <section class="card"><h2>Last message</h2><div class="big" data-testid="last-message" id="age">–</div><div class="sub" id="lastat"></div></section>
  <section class="card"><h2>Reconnects · parse errors</h2><div class="big" id="recon" data-testid="reconnects">–</div><div class="sub" id="parse"></div></section>
  <section class="card"><h2>Polling fallback</h2><div class="big" id="poll" data-testid="poll">–</div><div class="sub" id="pollsub"></div></section>
  <section class="card"><h2>Price flushes</h2><div class="big" id="flush" data-testid="flush">–</div><div class="sub" id="flushsub"></div></section>
  <section class="card"><h2>Streamer object</h2><div class="big" id="uptime" data-testid="uptime">–</div><div class="sub" id="restarts" data-testid="restarts"></div></section>
  <section class="card"><h2>Trading region</h2><div class="big" id="region" data-testid="region">–</div><div class="sub" id="regionsub"></div></section>
  <section class="card"><h2>Positions</h2><div class="big" id="positions" data-testid="positions">–</div><div class="sub" id="possub"></div></section>
  <section class="card wide"><h2>Trigger latency, frame → sell answer (last 15 min)</h2><svg id="chart" data-testid="latency-chart" viewBox="0 0 600 90" preserveAspectRatio="xMidYMid meet"></svg><div class="sub" id="latsub"></div></section>
  <section class="card wide"><h2>Connections</h2><table data-testid="shards"><thead><tr><th>shard</th><th>state</th><th>tokens</th><th>last data</th><th>reconnects</th></tr></thead><tbody id="shardrows"></tbody></table></section>
  <section class="card wide"><h2>Recent trigger fires</h2><div class="sub" id="firesrc"></div><table data-testid="fires"><thead><tr><th>time</th><th>position</th><th>kind</th><th>outcome</th><th>price seen</th><th>source</th><th>age</th><th>latency</th><th>reason</th></tr></thead><tbody id="firerows"></tbody></table></section>
  <section class="card wide"><h2>Exit log of a position</h2><form id="exit-form"><input id="exitpos" data-testid="exit-position" inputmode="numeric" placeholder="position id" size="12"> <button>Show</button></form><table data-testid="exit-log"><thead><tr><th>time</th><th>kind</th><th>outcome</th><th>price seen</th><th>source</th><th>age</th><th>latency</th><th>reason</th></tr></thead><tbody id="exitrows"></tbody></table></section>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  let token = sessionStorage.getItem("polycool-admin") || "";
  let prev = null;
  // Every time on the page in one format: the local clock, with the date when it is not today.
  const pad = (n) => String(n).padStart(2, "0");
  const when = (iso) => {
    if (!iso) return "never";
    const d = new Date(iso), t = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    return d.toDateString() === new Date().toDateString() ? t : d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + t;
  };
  const ago = (ms) => ms == null ? "never" : ms < 1000 ? ms + " ms" : ms < 60000 ? (ms / 1000).toFixed(1) + " s" : Math.round(ms / 60000) + " min";
  async function get(path) {
    const r = await fetch(path, { headers: { authorization: "Bearer " + token } });
    if (r.status === 401) throw Object.assign(new Error("unauthorized"), { auth: true });
    if (!r.ok) throw new Error(path + ": HTTP " + r.status);
    return r.json();
  }
  function chart(series) {
    const svg = $("chart");
    if (!series.length) { svg.innerHTML = '<text x="8" y="50" fill="#8b98a5" font-size="13">no fires yet</text>'; return; }
    const t0 = Date.now() - 15 * 60000, max = Math.max(1, ...series.map((p) => p[1]));
    // Inside a margin, so the newest point (at "now") is drawn whole.
    const pts = series.map(([t, v]) => [6 + ((t - t0) / (15 * 60000)) * 588, 86 - (v / max) * 72]);
    svg.innerHTML = '<line x1="0" y1="86.5" x2="600" y2="86.5" stroke="#33414f"/><line x1="0" y1="14.5" x2="600" y2="14.5" stroke="#26313c" stroke-dasharray="3 4"/>' +
      pts.map(([x, y]) => '<circle cx="' + x.toFixed(1) + '" cy="' + y.toFixed(1) + '" r="2.5" fill="#5b9cf5"/>').join("") +
      '<text x="4" y="11" fill="#8b98a5" font-size="10">' + max.toFixed(1) + ' ms</text><text x="596" y="84" fill="#8b98a5" font-size="10" text-anchor="end">now</text>';
  }
  function render(o) {
    const s = o.streamer, now = Date.now();
    const health = !s.enabled ? ["disabled", "warn"] : s.healthy ? ["healthy", "ok"] : s.subscribedCount === 0 ? ["idle", "ok"] : s.poll.active ? ["degraded: polling", "warn"] : ["down", "bad"];
    $("health").textContent = health[0]; $("health").className = "pill " + health[1];
    $("connected").textContent = s.connected ? "connected" : s.subscribedCount ? "not connected" : "idle";
    $("shards").textContent = s.shards.length + " connection(s)";
    $("subs").textContent = s.subscribedCount;
    const total = Object.values(s.messages).reduce((a, b) => a + b, 0);
    $("rate").textContent = prev ? Math.max(0, ((total - prev.total) / ((now - prev.at) / 1000))).toFixed(1) + "/s" : "…";
    prev = { total, at: now };
    $("msgtypes").textContent = Object.entries(s.messages).map(([k, v]) => k + " " + v).join(" · ") || "no messages yet";
    $("age").textContent = ago(s.lastMessageAgeMs);
    $("lastat").textContent = s.lastMessageAt ? "at " + when(s.lastMessageAt) : "";
    $("recon").textContent = s.reconnects;
    $("parse").textContent = s.parseErrors + " frames failed to parse of " + s.frames;
    $("poll").textContent = s.poll.active ? "active" : "idle";
    const plural = (n, one) => n + " " + one + (n === 1 ? "" : "s");
    $("pollsub").textContent = plural(s.poll.requests, "request") + ", " + plural(s.poll.errors, "error") + ", last " + when(s.poll.lastAt);
    $("flush").textContent = s.flush.msP50 == null ? "–" : s.flush.msP50 + " ms p50";
    $("flushsub").textContent = "p99 " + (s.flush.msP99 ?? "–") + " ms · ok " + s.flush.ok + " · errors " + s.flush.errors + " · pending " + s.flush.pending;
    $("uptime").textContent = s.startedAt ? "up " + ago(now - Date.parse(s.startedAt)) : "–";
    const r = s.restarts || { count: 0, recent: [] };
    $("restarts").textContent = "started " + when(s.startedAt) + " · " + (r.count === 0 ? "no restart" : plural(r.count, "restart")) + (r.recent.length > 1 ? " · before: " + r.recent.slice(1, 4).map(when).join(", ") : "");
    // Polymarket's verdict on where this Worker trades from (its geoblock endpoint; /healthz shows the same).
    const pm = (o.placement || {}).polymarket || { access: "unknown" };
    const regionWords = { allowed: ["trading allowed", "ok"], close_only: ["close-only", "warn"], blocked: ["blocked", "bad"], unknown: ["unknown", "warn"] }[pm.access] || ["unknown", "warn"];
    $("region").textContent = regionWords[0]; $("region").className = "big " + regionWords[1];
    $("regionsub").textContent = [pm.country ? "country " + pm.country + (pm.region ? "-" + pm.region : "") : "", pm.access === "blocked" ? "Polymarket refuses orders from here: run the Worker where it allows trading" : pm.access === "close_only" ? "live buys refused, sells and exits allowed" : "", pm.checkedAt ? "checked " + when(pm.checkedAt) : "", pm.error || ""].filter(Boolean).join(" · ");
    $("positions").textContent = o.positions.active;
    $("possub").textContent = o.positions.closing + " being sold · " + plural(s.triggers.armed, "armed trigger");
    chart(s.triggers.latencySeries || []);
    $("latsub").textContent = "p50 " + (s.triggers.latencyMsP50 ?? "–") + " ms · p99 " + (s.triggers.latencyMsP99 ?? "–") + " ms";
    $("shardrows").innerHTML = s.shards.map((x) => "<tr><td>" + x.id + "</td><td>" + esc(x.state) + (x.healthy ? "" : " (stale)") + "</td><td>" + x.tokens + "</td><td>" + esc(x.lastDataAt ? when(x.lastDataAt) : "–") + "</td><td>" + x.reconnects + "</td></tr>").join("") || '<tr><td colspan="5">no connections</td></tr>';
    // Postgres's trigger_events (every fire and refusal, across restarts); the object's memory only when the database did not answer.
    const fires = o.fires ? o.fires : s.triggers.recentFires.map((f) => ({ at: f.at, positionId: f.positionId, kind: f.kind, outcome: f.outcome, price: (f.bid / 1e6).toFixed(6), source: f.source, priceAgeMs: f.priceAgeMs, latencyMs: f.latencyMs, reason: f.reason }));
    $("firesrc").textContent = o.fires ? "from trigger_events, newest first" : "the database did not answer: fires this streamer object saw since it started";
    $("firerows").innerHTML = fires.map((f) => "<tr><td>" + esc(when(f.at)) + "</td><td>" + esc(f.positionId) + "</td><td>" + esc(f.kind || "–") + "</td><td>" + esc(f.outcome) + "</td><td>" + esc(f.price ?? "–") + "</td><td>" + esc(f.source ?? "–") + "</td><td>" + esc(f.priceAgeMs ?? "–") + " ms</td><td>" + esc(f.latencyMs ?? "–") + " ms</td><td>" + esc(f.reason ?? "") + "</td></tr>").join("") || '<tr><td colspan="9">none yet</td></tr>';
    const alerts = o.alerts || [];
    $("alerts").hidden = alerts.length === 0;
    $("alertrows").innerHTML = alerts.map((a) => "<li><b>" + esc(a.name) + "</b> " + esc(a.status) + " since " + esc(a.since) + ": " + esc(a.detail) + "</li>").join("");
    $("updated").textContent = "updated " + when(new Date().toISOString());
  }
  async function refresh() {
    try { render(await get("/admin/overview")); $("dash").hidden = false; $("login").hidden = true; }
    catch (e) {
      if (!e.auth) { $("updated").textContent = e.message; return; }
      $("dash").hidden = true; $("login").hidden = false;
      if (token) $("error").textContent = "That token was refused.";
      // A refused token is not retried every 2 s: the next attempt is the next one typed.
      token = ""; sessionStorage.removeItem("polycool-admin");
    }
  }
  async function exitLog(id) {
    try {
      const r = await get("/admin/positions/" + encodeURIComponent(id) + "/exit-log");
      $("exitrows").innerHTML = r.events.map((e) => "<tr><td>" + esc(when(e.at)) + "</td><td>" + esc(e.kind || "–") + "</td><td>" + esc(e.outcome) + "</td><td>" + esc(e.price ?? "–") + "</td><td>" + esc(e.source ?? "–") + "</td><td>" + esc(e.priceAgeMs ?? "–") + " ms</td><td>" + esc(e.latencyMs ?? "–") + " ms</td><td>" + esc(e.reason ?? "") + "</td></tr>").join("") || '<tr><td colspan="8">no fires or refusals for this position</td></tr>';
    } catch (e) { $("exitrows").innerHTML = '<tr><td colspan="8">' + esc(e.message) + "</td></tr>"; }
  }
  $("exit-form").addEventListener("submit", (ev) => { ev.preventDefault(); exitLog($("exitpos").value.trim()); });
  $("login-form").addEventListener("submit", (ev) => { ev.preventDefault(); token = $("token").value.trim(); sessionStorage.setItem("polycool-admin", token); $("error").textContent = ""; refresh(); });
  if (!token) $("login").hidden = false;
  refresh();
  setInterval(() => token && refresh(), 2000);
})();
</script>
</body>
</html>`;

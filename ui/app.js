// The Katara dashboard: polls the admin API and draws what it measures. No build step and no
// dependencies beyond uPlot, which the binary serves beside this file.
'use strict';

const REFRESH_MS = 2000;
const COLORS = ['#4c9ddb', '#3fb27f', '#e0a43a', '#e5534b', '#a371f7', '#39c5cf', '#f778ba', '#8a96a3'];
const KEY_STORAGE = 'katara.adminKey';

const $ = (sel) => document.querySelector(sel);
const state = { key: localStorage.getItem(KEY_STORAGE) || '', charts: {}, selected: null, filters: {} };

// ---- the admin API ----

class Unauthorized extends Error {}

async function api(path) {
  const headers = state.key ? { authorization: `Bearer ${state.key}` } : {};
  const res = await fetch(path, { headers, cache: 'no-store' });
  if (res.status === 401) throw new Unauthorized('the admin API wants a key');
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : `HTTP ${res.status}`);
  return body;
}

// ---- formatting ----

const fmtMs = (v) => (v == null ? '–' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`);
const fmtUs = (us) => (us == null ? '–' : fmtMs(us / 1000));
const fmtPct = (v) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1)} %`;
const fmtUsd = (v) => (v === 0 ? '$0' : v < 0.01 ? `$${v.toFixed(6)}` : `$${v.toFixed(2)}`);
const fmtRate = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
const pair = (a, b) => `${fmtMs(a)} / ${fmtMs(b)}`;
const time = (ms) => new Date(ms).toLocaleTimeString();

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// ---- windows ----

const SPANS = { '5m': 300, '15m': 900, '1h': 3600, '6h': 21600, '24h': 86400 };
function windowChoice() {
  const w = $('#window').value;
  const seconds = SPANS[w];
  return { w, seconds, step: `${Math.max(5, Math.round(seconds / 60))}s`, stepSeconds: Math.max(5, Math.round(seconds / 60)) };
}

// ---- providers table ----

function renderTargets(stats, health) {
  const win = windowChoice();
  const circuits = new Map(health.targets.map((t) => [`${t.provider}/${t.model}`, t.health]));
  const rows = new Map(stats.targets.map((t) => [`${t.provider}/${t.model}`, t]));
  // Every configured target shows, with or without traffic in the window.
  const keys = [...new Set([...circuits.keys(), ...rows.keys()])].sort();
  const body = $('#targets tbody');
  body.replaceChildren(...keys.map((key) => {
    const t = rows.get(key) || { attempts: 0, errors: 0, error_rate: 0, cost_usd: 0 };
    const h = circuits.get(key) || {};
    const [provider, ...model] = key.split('/');
    const circuit = h.circuit || 'unknown';
    return el('tr', { 'data-target': key, 'data-circuit': circuit },
      el('td', {}, provider), el('td', {}, model.join('/')),
      el('td', {}, el('span', { class: 'badge', 'data-state': circuit }, circuit.replace('_', '-'))),
      el('td', {}, fmtRate(t.attempts / win.seconds)),
      el('td', { class: t.error_rate > 0.05 ? 'status-5' : '' }, fmtPct(t.error_rate)),
      el('td', {}, pair(t.ttft_p50_ms, t.ttft_p95_ms)),
      el('td', {}, pair(t.latency_p50_ms, t.latency_p95_ms)),
      el('td', {}, h.tokens_per_second_ewma ? h.tokens_per_second_ewma.toFixed(0) : '–'),
      el('td', {}, fmtUsd(t.cost_usd)));
  }));
}

function renderTotals(stats) {
  const t = stats.totals;
  $('#total-requests').textContent = t.requests;
  $('#total-errors').textContent = t.requests ? `${t.errors} (${fmtPct(t.errors / t.requests)})` : '0';
  $('#total-failovers').textContent = t.failovers;
  $('#total-recoveries').textContent = `${t.retries} · ${t.hedges} · ${t.continuations}`;
  $('#total-cost').textContent = fmtUsd(t.cost_usd);
}

// ---- charts ----

// One x axis for every chart: each step of the window, in seconds.
function stepAxis(stats) {
  const xs = [];
  for (let t = stats.since_ms; t < stats.until_ms; t += stats.step_ms) xs.push(t / 1000);
  return xs;
}

function drawChart(id, labels, data, opts = {}) {
  const node = document.getElementById(id);
  const width = Math.max(300, node.clientWidth || 460);
  const signature = labels.join('|');
  const existing = state.charts[id];
  if (existing && existing.signature === signature) {
    existing.plot.setData(data);
    return;
  }
  if (existing) existing.plot.destroy();
  // Points as well as lines: a burst of traffic may fill a single step.
  const series = [{}, ...labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
                                                    points: { show: true, size: 5, fill: COLORS[i % COLORS.length] } }))];
  const axis = { stroke: '#8a96a3', grid: { stroke: '#26303b' }, ticks: { stroke: '#26303b' } };
  const plot = new uPlot({ width, height: 200, series, axes: [axis, { ...axis, ...opts.y }], scales: { x: { time: true } },
                           legend: { live: false } }, data, node);
  state.charts[id] = { plot, signature };
}

function seriesOf(stats, xs, pick) {
  return stats.targets.map((t) => {
    const at = new Map((t.series || []).map((p) => [p.unix_ms / 1000, p]));
    return xs.map((x) => (at.has(x) ? pick(at.get(x)) : null));
  });
}

function renderCharts(stats) {
  const xs = stepAxis(stats);
  const labels = stats.targets.map((t) => `${t.provider}/${t.model}`);
  const stepS = stats.step_ms / 1000;
  drawChart('chart-rate', labels, [xs, ...seriesOf(stats, xs, (p) => p.attempts / stepS)]);
  drawChart('chart-errors', labels, [xs, ...seriesOf(stats, xs, (p) => (p.attempts ? p.errors / p.attempts : null))]);
  drawChart('chart-ttft', labels, [xs, ...seriesOf(stats, xs, (p) => p.ttft_p95_ms)]);
  drawChart('chart-latency', labels, [xs, ...seriesOf(stats, xs, (p) => p.latency_p95_ms)]);
  drawChart('chart-cost', labels, [xs, ...seriesOf(stats, xs, (p) => p.cost_usd)]);
  const traffic = new Map((stats.traffic || []).map((p) => [p.unix_ms / 1000, p]));
  const kinds = ['failovers', 'retries', 'hedges', 'continuations'];
  drawChart('chart-failovers', kinds, [xs, ...kinds.map((k) => xs.map((x) => (traffic.has(x) ? traffic.get(x)[k] : 0)))]);
}

// ---- the request browser ----

function requestQuery() {
  const params = new URLSearchParams({ limit: '50' });
  for (const k of ['alias', 'provider', 'status']) if (state.filters[k]) params.set(k, state.filters[k]);
  return `/admin/requests?${params}`;
}

function renderRequests(page) {
  // Rows are rebuilt only when the page changed: a row under the pointer stays put.
  const signature = page.data.map((r) => `${r.id}:${r.status}`).join(',') + `|${state.selected}`;
  if (signature === state.requestsSignature) return;
  state.requestsSignature = signature;
  const body = $('#requests tbody');
  body.replaceChildren(...page.data.map((r) => {
    const row = el('tr', { 'data-request-id': r.id, class: r.id === state.selected ? 'selected' : '' },
      el('td', {}, time(r.unix_ms)), el('td', {}, r.id), el('td', {}, r.alias || '–'),
      el('td', {}, r.provider ? `${r.provider}/${r.model}` : '–'),
      el('td', { class: `status-${String(r.status)[0]}` }, r.status),
      el('td', {}, r.attempts.length), el('td', {}, fmtUs(r.duration_us)), el('td', {}, fmtUs(r.first_token_us)),
      el('td', {}, fmtUsd(r.cost_usd)));
    row.addEventListener('click', () => showRequest(r.id));
    return row;
  }));
}

function outcomeClass(a) {
  if (['circuit_open', 'disabled', 'untranslatable'].includes(a.outcome)) return 'skipped';
  return a.outcome === 'ok' ? 'ok' : 'failed';
}

function renderDetail(r) {
  $('#detail').hidden = false;
  $('#detail').setAttribute('data-request-id', r.id);
  $('#detail-title').textContent = r.id;
  const facts = [
    ['time', new Date(r.unix_ms).toISOString()], ['path', `${r.method} ${r.path}`], ['alias', r.alias || '–'],
    ['status', r.status + (r.error ? ` — ${r.error}` : '')], ['served by', r.provider ? `${r.provider}/${r.model}` : '–'],
    ['duration', fmtUs(r.duration_us)], ['time to first token', fmtUs(r.first_token_us)],
    ['gateway overhead', fmtUs(r.overhead_us)],
    ['tokens', `${r.usage.input_tokens} in · ${r.usage.output_tokens} out${r.usage_estimated ? ' (estimated)' : ''}`],
    ['cost', fmtUsd(r.cost_usd) + (r.cost_estimated ? ' (estimated)' : '')],
    ['key', r.key_hash || '–'],
  ];
  $('#detail-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  // The attempt timeline: each attempt a bar, placed by when it started and how long it ran.
  const span = Math.max(r.duration_us, ...r.attempts.map((a) => a.start_us + a.duration_us), 1);
  $('#timeline').replaceChildren(...r.attempts.map((a, i) => {
    const bar = el('div', { class: `bar ${outcomeClass(a)}`, title: a.message || a.outcome },
      `${a.provider}/${a.model} · ${a.outcome}`);
    bar.style.left = `${(100 * a.start_us) / span}%`;
    bar.style.width = `${Math.max(0.5, (100 * a.duration_us) / span)}%`;
    if (a.first_token_us != null && a.duration_us > 0) {
      const mark = el('span', { class: 'ttft' });
      mark.style.left = `${(100 * a.first_token_us) / a.duration_us}%`;
      bar.append(mark);
    }
    return el('div', { class: 'lane', 'data-attempt': i }, bar);
  }));
  // One row per attempt, and beneath it what it was and why it failed, across the table.
  $('#attempts tbody').replaceChildren(...r.attempts.flatMap((a, i) => {
    const row = el('tr', {},
      el('td', {}, i + 1), el('td', {}, `${a.provider}/${a.model}`),
      el('td', { class: outcomeClass(a) === 'ok' ? 'status-2' : 'status-5' }, a.outcome),
      el('td', {}, a.status || '–'), el('td', {}, fmtUs(a.start_us)), el('td', {}, fmtUs(a.duration_us)),
      el('td', {}, fmtUs(a.first_token_us)));
    const note = [a.hedge && 'hedge', a.continued && 'continued a broken stream', a.translated && 'translated', a.message]
      .filter(Boolean).join(' · ');
    return note ? [row, el('tr', { class: 'note' }, el('td', {}), el('td', { colSpan: 6 }, note))] : [row];
  }));
}

async function showRequest(id) {
  state.selected = id;
  try {
    renderDetail(await api(`/admin/requests/${encodeURIComponent(id)}`));
    $('#requests-error').hidden = true;
  } catch (e) {
    $('#requests-error').textContent = e.message;
    $('#requests-error').hidden = false;
  }
  for (const row of document.querySelectorAll('#requests tbody tr')) row.classList.toggle('selected', row.dataset.requestId === id);
  state.requestsSignature = null;
}

// ---- the loop ----

function setStatus(text, cls) {
  const s = $('#status');
  s.textContent = text;
  s.className = `status ${cls}`;
}

async function refresh() {
  const win = windowChoice();
  try {
    const [health, stats, page] = await Promise.all([
      api('/admin/health'), api(`/admin/stats?window=${win.w}&step=${win.step}`), api(requestQuery()),
    ]);
    renderTotals(stats);
    renderTargets(stats, health);
    renderCharts(stats);
    renderRequests(page);
    $('#key-form').hidden = true;
    setStatus(`live · ${time(Date.now())}`, 'live');
  } catch (e) {
    if (e instanceof Unauthorized) $('#key-form').hidden = false;
    setStatus(e.message, 'down');
  }
}

$('#key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.key = $('#key').value;
  localStorage.setItem(KEY_STORAGE, state.key);
  refresh();
});
$('#window').addEventListener('change', refresh);
$('#filters').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  state.filters = Object.fromEntries([...form.entries()].filter(([, v]) => v));
  if (state.filters.id) showRequest(state.filters.id.trim());
  refresh();
});
$('#filters').addEventListener('reset', () => {
  state.filters = {};
  setTimeout(refresh, 0);
});

refresh();
setInterval(refresh, REFRESH_MS);

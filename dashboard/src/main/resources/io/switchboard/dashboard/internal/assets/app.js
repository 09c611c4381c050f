// The Switchboard dashboard: renders the state that /api/events pushes, and tails a channel through /api/tail.
// Sections it knows: node (channels, clients), mesh (peers and links), services (gateway); any other section is
// shown as a table of its fields. Shapes: docs/observability.md.
'use strict';

const $ = (id) => document.getElementById(id);
let previous = null; // the last state, for rates
let tail = null; // the open tail EventSource
const MAX_TAIL_ROWS = 200;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'width') e.style.width = v; // through the CSSOM: the page's CSP forbids style attributes
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

const number = (n) => (n === undefined || n === null ? '–' : Number(n).toLocaleString('en-US'));
const rate = (n) => (n === null ? '–' : n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'));

function uptime(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24;
  const m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** Events per second between the previous state and this one, for a counter found by `pick`. */
function perSecond(state, pick) {
  if (!previous) return null;
  const seconds = (Date.parse(state.time) - Date.parse(previous.time)) / 1000;
  const before = pick(previous), now = pick(state);
  if (!(seconds > 0) || before === undefined || now === undefined || now < before) return null;
  return (now - before) / seconds;
}

function replaceRows(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows);
}

function renderNode(state, node) {
  $('node-id').textContent = node.id;
  $('endpoints').textContent = (node.endpoints || []).join('  ');
  $('kpi-clients').textContent = number(node.clients.length);
  $('kpi-channels').textContent = number(node.channels.length);
  $('kpi-in').textContent = number(node.eventsIn);
  $('kpi-dropped').textContent = number(node.dropped);
  $('kpi-errors').textContent = number(node.errors);
  $('kpi-uptime').textContent = uptime(node.uptimeSeconds);
  $('kpi-in-rate').textContent = rate(perSecond(state, (s) => s.sections.node && s.sections.node.eventsIn));
  $('kpi-out-rate').textContent = rate(perSecond(state, (s) => s.sections.node && s.sections.node.eventsOut));

  const channelOf = (s, name) => s.sections.node && s.sections.node.channels.find((c) => c.name === name);
  const rates = node.channels.map((c) => ({
    in: perSecond(state, (s) => (channelOf(s, c.name) || {}).eventsIn),
    out: perSecond(state, (s) => (channelOf(s, c.name) || {}).eventsOut),
  }));
  const top = Math.max(1, ...rates.map((r) => r.in || 0));
  replaceRows($('channels'), node.channels.map((c, i) => el('tr', {'data-channel': c.name, 'data-clients': c.clients.join(' ')},
    el('td', {}, el('b', {}, c.name), c.trace ? el('span', {class: 'muted'}, ' traced') : null),
    el('td', {}, ...(c.clients.length ? c.clients.map((id) => el('span', {class: 'chip'}, id)) : [el('span', {class: 'muted'}, 'none')])),
    el('td', {class: 'num'}, rate(rates[i].in), el('span', {class: 'bar', width: `${Math.round(40 * (rates[i].in || 0) / top)}px`})),
    el('td', {class: 'num'}, rate(rates[i].out)),
    el('td', {class: 'num', 'data-events-in': c.eventsIn}, number(c.eventsIn)),
    el('td', {class: 'num' + (c.dropped ? ' bad' : '')}, number(c.dropped)),
    el('td', {class: 'muted'}, c.propagateTo.join(', ')))));

  replaceRows($('clients'), node.clients.map((c) => el('tr', {'data-client': c.id},
    el('td', {}, el('span', {class: 'chip'}, c.id)),
    el('td', {class: 'muted'}, c.address),
    el('td', {}, c.channels.join(', ')),
    el('td', {class: 'num'}, number(c.eventsIn)),
    el('td', {class: 'num'}, number(c.eventsOut)),
    el('td', {class: 'num' + (c.dropped ? ' bad' : '')}, number(c.dropped)),
    el('td', {class: 'muted'}, new Date(c.connectedAt).toLocaleTimeString()))));

  const select = $('tail-channel');
  const names = node.channels.map((c) => c.name);
  const shown = [...select.options].map((o) => o.value);
  if (names.join('\n') !== shown.join('\n')) {
    const chosen = select.value;
    select.replaceChildren(...names.map((n) => el('option', {value: n}, n)));
    if (names.includes(chosen)) select.value = chosen;
  }
}

/** The mesh: this node in the middle, its peers around it, one line per link (dashed when down). */
function renderMesh(node, mesh) {
  const svg = $('mesh');
  const ns = 'http://www.w3.org/2000/svg';
  const make = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  const self = (mesh && mesh.self) || (node && node.id) || 'this node';
  const peers = (mesh && mesh.peers) || [];
  const cx = 200, cy = 130, r = 95;
  const parts = [];
  peers.forEach((p, i) => {
    const a = (2 * Math.PI * i) / peers.length - Math.PI / 2;
    const x = cx + r * Math.cos(a), y = cy + r * Math.sin(a);
    const up = (p.state || 'up').toLowerCase() === 'up' || (p.state || '').toLowerCase() === 'connected';
    parts.unshift(make('line', {x1: cx, y1: cy, x2: x, y2: y, class: up ? '' : 'down'}));
    parts.push(make('circle', {cx: x, cy: y, r: 14, class: 'peer' + (up ? '' : ' down')}));
    parts.push(make('text', {x, y: y + 28}, p.id + (p.rttMillis !== undefined ? ` ${p.rttMillis} ms` : '')));
  });
  parts.push(make('circle', {cx, cy, r: 18, class: 'self'}));
  parts.push(make('text', {x: cx, y: cy + 34}, self));
  svg.replaceChildren(...parts);
  $('mesh-note').textContent = mesh ? `${peers.length} peer${peers.length === 1 ? '' : 's'}`
    : 'this node alone: no mesh section on this node';
}

function renderServices(services) {
  const panel = $('services-panel');
  panel.hidden = !services;
  if (!services) return;
  const list = Array.isArray(services) ? services : services.services || [];
  replaceRows($('services'), list.map((s) => {
    const instances = s.instances || [];
    const healthy = instances.filter((i) => i.healthy !== false).length;
    return el('tr', {},
      el('td', {}, el('b', {}, s.name)),
      el('td', {}, ...instances.map((i) => el('span', {class: 'chip'}, i.id || i))),
      el('td', {class: healthy === instances.length && healthy > 0 ? '' : 'bad'}, `${healthy}/${instances.length} healthy`),
      el('td', {class: 'num'}, number(s.requests)));
  }));
}

/** A section this page has no view for: its fields, one row each. */
function renderOther(sections) {
  const known = new Set(['node', 'mesh', 'services']);
  const box = $('other-sections');
  box.replaceChildren(...Object.entries(sections).filter(([name]) => !known.has(name)).map(([name, value]) =>
    el('section', {class: 'panel'}, el('h2', {}, name),
      el('table', {}, el('tbody', {}, ...Object.entries(value || {}).map(([k, v]) =>
        el('tr', {}, el('th', {}, k), el('td', {}, typeof v === 'object' ? JSON.stringify(v) : v))))))));
}

function render(state) {
  const sections = state.sections || {};
  if (sections.node && !sections.node.error) renderNode(state, sections.node);
  renderMesh(sections.node, sections.mesh);
  renderServices(sections.services);
  renderOther(sections);
  previous = state;
}

function connect() {
  const source = new EventSource('/api/events');
  source.addEventListener('state', (e) => {
    $('status').textContent = 'live';
    $('status').className = 'status live';
    render(JSON.parse(e.data));
  });
  source.onerror = () => {
    $('status').textContent = 'reconnecting';
    $('status').className = 'status connecting';
  };
}

function addTailRow(cells) {
  const body = $('tail').tBodies[0];
  body.prepend(el('tr', {}, ...cells.map((c) => el('td', {}, c))));
  while (body.rows.length > MAX_TAIL_ROWS) body.deleteRow(body.rows.length - 1);
}

function toggleTail() {
  if (tail) {
    tail.close();
    tail = null;
    $('tail-toggle').textContent = 'watch';
    $('tail-note').textContent = '';
    return;
  }
  const channel = $('tail-channel').value;
  if (!channel) return;
  tail = new EventSource('/api/tail?channel=' + encodeURIComponent(channel));
  $('tail-toggle').textContent = 'stop';
  $('tail-note').textContent = `joining ${channel}…`;
  tail.addEventListener('joined', () => { $('tail-note').textContent = `watching ${channel}`; });
  tail.addEventListener('failed', (e) => {
    $('tail-note').textContent = JSON.parse(e.data).error;
    tail.close();
    tail = null;
    $('tail-toggle').textContent = 'watch';
  });
  tail.addEventListener('event', (e) => {
    const ev = JSON.parse(e.data);
    if (ev.skipped) $('tail-note').textContent = `watching ${channel}; ${ev.skipped} events skipped (rate limit)`;
    addTailRow([new Date(ev.time).toLocaleTimeString(), ev.channel, ev.event, ev.from, ev.preview]);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  $('tail-toggle').addEventListener('click', toggleTail);
  connect();
});

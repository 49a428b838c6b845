// The catalogue page of `mert serve`: plain JavaScript, no libraries, so it works offline.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { info: null, tracks: [], points: null, screen: null, grid: null, cell: 10, base: null,
  size: { w: 0, h: 0 }, colours: null, highlight: new Map(), selected: -1, hover: -1, keyIndex: new Map() };

function trackUrl(key, what) {
  return '/v1/tracks/' + encodeURIComponent(key) + '/' + what;
}

// "1 track", "2 tracks"
function count(n, noun) {
  return n + ' ' + noun + (n === 1 ? '' : 's');
}

function setStatus(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

// One query at a time: a new upload or a click on the map supersedes the one before, whose upload is
// stopped and whose answer is dropped, so that the status line and the list speak of the latest only.
const query = { id: 0, xhr: null };

function newQuery() {
  if (query.xhr) query.xhr.abort();
  query.xhr = null;
  $('progress').hidden = true;
  return ++query.id;
}

async function getJson(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

// ---- query: upload with progress, then the results

// The clip's length as the browser reads it, for the embedding's share done (null when it cannot tell).
function duration(blob) {
  return new Promise((resolve) => {
    const a = new Audio();
    const url = URL.createObjectURL(blob);
    const done = (d) => { URL.revokeObjectURL(url); resolve(Number.isFinite(d) && d > 0 ? d : null); };
    a.preload = 'metadata';
    a.onloadedmetadata = () => done(a.duration);
    a.onerror = () => done(null);
    setTimeout(() => done(null), 3000);
    a.src = url;
  });
}

// Uploads with XHR (upload progress), asking for progress lines (application/x-ndjson): one per embedded
// window, {"progress": {"seconds"}}, then the answer, or {"error"}, as the last line.
async function upload(blob, name) {
  const id = newQuery();
  const searchable = state.info && state.info.index;
  const url = searchable ? '/v1/search?k=10' : '/v1/embed';
  const bar = $('progress');
  const fill = bar.firstElementChild;
  bar.hidden = false;
  bar.classList.remove('busy');
  fill.style.width = '0%';
  setStatus('Uploading ' + name + '…');
  const seconds = await duration(blob);
  if (id !== query.id) return;
  const xhr = new XMLHttpRequest();
  query.xhr = xhr;
  xhr.open('POST', url);
  xhr.withCredentials = true;
  xhr.setRequestHeader('Accept', 'application/x-ndjson');
  xhr.upload.onprogress = (e) => {
    if (e.lengthComputable) fill.style.width = Math.round(100 * e.loaded / e.total) + '%';
  };
  xhr.upload.onload = () => {
    if (seconds) { fill.style.width = '0%'; } else { bar.classList.add('busy'); }
    setStatus('Embedding ' + name + '…');
  };
  const lines = () => xhr.responseText.split('\n').filter((l) => l.trim() !== '');
  xhr.onprogress = () => {
    const done = lines().map((l) => { try { return JSON.parse(l); } catch (e) { return {}; } })
      .filter((o) => o.progress).pop();
    if (!done) return;
    const s = done.progress.seconds;
    if (seconds) fill.style.width = Math.min(100, Math.round(100 * s / seconds)) + '%';
    setStatus('Embedding ' + name + ': ' + s.toFixed(0) + (seconds ? ' of ' + seconds.toFixed(0) : '') + ' s…');
  };
  const started = performance.now();
  xhr.onload = () => {
    bar.hidden = true;
    let body;
    try { body = JSON.parse(lines().pop()); } catch (e) { body = { error: xhr.statusText || 'no answer' }; }
    if (xhr.status !== 200 || body.error) {
      setStatus(body.error || ('HTTP ' + xhr.status), true);
      return;
    }
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    if (searchable) {
      setStatus(name + ': ' + count(body.results.length, 'nearest track') + ' in ' + secs + ' s');
      showResults('Nearest to ' + name, body.results);
    } else {
      setStatus(name + ': embedding ' + body.shape.join(' × ') + ' in ' + secs + ' s (no index loaded)');
    }
  };
  xhr.onerror = () => { bar.hidden = true; setStatus('The server cannot be reached', true); };
  xhr.send(blob);
}

function showResults(title, results) {
  $('results-title').textContent = title;
  const list = $('results');
  list.replaceChildren();
  if (results.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty muted';
    li.textContent = 'No tracks found.';
    list.append(li);
  }
  state.highlight = new Map();
  for (const r of results) {
    const li = document.createElement('li');
    li.dataset.track = r.track;
    const main = document.createElement('div');
    const name = document.createElement('div');
    name.className = 'name';
    name.textContent = r.track;
    name.title = r.track;
    const bar = document.createElement('div');
    bar.className = 'bar';
    const fill = document.createElement('i');
    fill.style.width = Math.max(0, Math.min(100, 100 * r.score)).toFixed(1) + '%';
    bar.append(fill);
    main.append(name, bar);
    const right = document.createElement('div');
    const score = document.createElement('span');
    score.className = 'score';
    score.textContent = r.score.toFixed(3);
    const play = document.createElement('button');
    play.type = 'button';
    play.textContent = '▶';
    play.title = 'Play ' + r.track;
    play.addEventListener('click', () => play_(r.track));
    right.append(score, play);
    li.append(main, right);
    list.append(li);
    const i = state.keyIndex.get(r.track);
    if (i !== undefined) state.highlight.set(i, r.score);
  }
  drawMap();
}

function play_(track) {
  const player = $('player');
  player.src = trackUrl(track, 'audio');
  player.play().catch(() => {});
  $('now').textContent = '▶ ' + track;
  for (const li of $('results').children) li.classList.toggle('playing', li.dataset.track === track);
}

$('player').addEventListener('error', () => {
  if ($('player').src) $('now').textContent = 'No audio for this track on the server';
});

// ---- file input, drag and drop, microphone

$('file').addEventListener('change', (e) => {
  const f = e.target.files[0];
  e.target.value = ''; // picking the same file again is a change too: a new search
  if (f) upload(f, f.name);
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const f = e.dataTransfer.files[0];
  if (f) upload(f, f.name);
});
drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') $('file').click(); });

let recorder = null;
$('record').addEventListener('click', async () => {
  const button = $('record');
  if (recorder) { recorder.stop(); return; }
  if (!navigator.mediaDevices || !window.MediaRecorder) {
    setStatus('This browser cannot record here (a secure origin is needed)', true);
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      recorder = null;
      button.textContent = '● Record';
      button.classList.remove('live');
      upload(new Blob(chunks, { type: chunks[0] ? chunks[0].type : 'audio/webm' }), 'recording');
    };
    recorder.start();
    button.textContent = '■ Stop';
    button.classList.add('live');
    setStatus('Recording… press Stop to ' + (state.info && state.info.index ? 'search' : 'embed'));
  } catch (err) {
    setStatus('Microphone: ' + err.message, true);
  }
});

// ---- the map: one canvas, a spatial grid for hover

const canvas = $('map');
const ctx2d = canvas.getContext('2d');

async function loadMap() {
  if (!state.info.index) {
    $('map-note').textContent = 'no index loaded';
    $('map-empty').hidden = false;
    return;
  }
  const [meta, buf] = await Promise.all([getJson('/v1/map'),
    fetch('/v1/map/points', { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error('map points: HTTP ' + r.status);
      return r.arrayBuffer();
    })]);
  state.tracks = meta.tracks;
  state.points = new Float32Array(buf);
  state.keyIndex = new Map(meta.tracks.map((t, i) => [t, i]));
  $('map-note').textContent = meta.count.toLocaleString() + ' tracks · hover to name, click to play';
  $('legend').hidden = false;
  layout();
}

function layout() {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  state.size = { w, h };
  state.colours = mapColours();
  canvas.width = Math.max(1, Math.round(w * dpr));
  canvas.height = Math.max(1, Math.round(h * dpr));
  ctx2d.setTransform(dpr, 0, 0, dpr, 0, 0);
  const p = state.points;
  if (!p) { drawMap(); return; }
  const n = p.length / 2;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = p[2 * i], y = p[2 * i + 1];
    if (x < minX) minX = x; if (x > maxX) maxX = x;
    if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  const pad = 18;
  const sx = (w - 2 * pad) / ((maxX - minX) || 1), sy = (h - 2 * pad) / ((maxY - minY) || 1);
  const s = Math.min(sx, sy);
  const ox = (w - s * (maxX - minX)) / 2, oy = (h - s * (maxY - minY)) / 2;
  const screen = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    screen[2 * i] = ox + s * (p[2 * i] - minX);
    screen[2 * i + 1] = h - (oy + s * (p[2 * i + 1] - minY));
  }
  state.screen = screen;
  // grid of cells of state.cell pixels: hover looks at the 3 x 3 cells around the pointer only
  const cols = Math.ceil(w / state.cell) + 1, rows = Math.ceil(h / state.cell) + 1;
  const grid = new Map();
  for (let i = 0; i < n; i++) {
    const c = Math.floor(screen[2 * i] / state.cell) + cols * Math.floor(screen[2 * i + 1] / state.cell);
    const list = grid.get(c);
    if (list) list.push(i); else grid.set(c, [i]);
  }
  state.grid = { cells: grid, cols, rows };
  drawBase(dpr);
  drawMap();
}

// The map's colours are the style sheet's, which the legend under the map shows too.
function mapColours() {
  const style = getComputedStyle(document.documentElement);
  const get = (name) => style.getPropertyValue(name).trim();
  return { track: get('--track'), near: get('--near'), picked: get('--picked'), under: get('--under') };
}

// The catalogue's points are drawn once per layout into an offscreen canvas; hover and selection only
// copy it back and draw a few dots on top, so they stay instant with 100,000 tracks.
function drawBase(dpr) {
  const base = document.createElement('canvas');
  base.width = canvas.width;
  base.height = canvas.height;
  const g = base.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  const sc = state.screen;
  const n = sc.length / 2;
  const size = n > 20000 ? 1.5 : n > 2000 ? 2.5 : 5;
  g.fillStyle = state.colours.track;
  g.globalAlpha = n > 20000 ? 0.45 : 0.8;
  for (let i = 0; i < n; i++) g.fillRect(sc[2 * i] - size / 2, sc[2 * i + 1] - size / 2, size, size);
  state.base = base;
}

// Draws in the coordinates of the last layout, which the bitmap, the offscreen points and the dots share:
// the canvas's size now may differ until the resize observer lays it out again.
function drawMap() {
  const { w, h } = state.size;
  ctx2d.clearRect(0, 0, w, h);
  if (!state.screen || !state.base) return;
  ctx2d.drawImage(state.base, 0, 0, w, h);
  const c = state.colours;
  for (const [i] of state.highlight) dot(i, 4.5, c.near);
  if (state.selected >= 0) dot(state.selected, 6, c.picked);
  if (state.hover >= 0) dot(state.hover, 5, c.under);
}

function dot(i, r, color) {
  const sc = state.screen;
  ctx2d.beginPath();
  ctx2d.arc(sc[2 * i], sc[2 * i + 1], r, 0, 2 * Math.PI);
  ctx2d.fillStyle = color;
  ctx2d.fill();
}

function nearest(x, y) {
  const g = state.grid;
  if (!g) return -1;
  const cx = Math.floor(x / state.cell), cy = Math.floor(y / state.cell);
  let best = -1, bestD = 8 * 8;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const list = g.cells.get(cx + dx + g.cols * (cy + dy));
      if (!list) continue;
      for (const i of list) {
        const ddx = state.screen[2 * i] - x, ddy = state.screen[2 * i + 1] - y;
        const d = ddx * ddx + ddy * ddy;
        if (d < bestD) { bestD = d; best = i; }
      }
    }
  }
  return best;
}

// Where the tooltip of the point at (x, y) goes in a map of w x h: below and right of the point, to its left
// near the right edge and above it near the bottom, so that it stays inside the map.
function tipPlace(x, y, tipW, tipH, w, h) {
  const gap = 10;
  const left = x + gap + tipW <= w ? x + gap : x - gap - tipW;
  const top = y + gap + tipH <= h ? y + gap : y - gap - tipH;
  return { left: Math.max(0, Math.min(left, w - tipW)), top: Math.max(0, Math.min(top, h - tipH)) };
}

canvas.addEventListener('mousemove', (e) => {
  const r = canvas.getBoundingClientRect();
  const x = e.clientX - r.left, y = e.clientY - r.top;
  const i = nearest(x, y);
  const tip = $('tip');
  if (i !== state.hover) { state.hover = i; drawMap(); }
  if (i >= 0) {
    tip.hidden = false;
    tip.textContent = state.tracks[i];
    const at = tipPlace(state.screen[2 * i], state.screen[2 * i + 1], tip.offsetWidth, tip.offsetHeight,
      state.size.w, state.size.h);
    tip.style.left = at.left + 'px';
    tip.style.top = at.top + 'px';
  } else {
    tip.hidden = true;
  }
});
canvas.addEventListener('mouseleave', () => { state.hover = -1; $('tip').hidden = true; drawMap(); });
canvas.addEventListener('click', async (e) => {
  const r = canvas.getBoundingClientRect();
  const i = nearest(e.clientX - r.left, e.clientY - r.top);
  if (i < 0) return;
  const track = state.tracks[i];
  state.selected = i;
  play_(track);
  const id = newQuery();
  setStatus('Finding the neighbours of ' + track + '…');
  const started = performance.now();
  try {
    const body = await getJson(trackUrl(track, 'neighbours') + '?k=10');
    if (id !== query.id) return;
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(track + ': ' + count(body.results.length, 'neighbour') + ' in ' + secs + ' s');
    showResults('Neighbours of ' + track, body.results);
  } catch (err) {
    if (id === query.id) setStatus(err.message, true);
  }
});
// The canvas changes size without the window doing so too (a scrollbar comes or goes, the panel beside it
// grows): lay out again whenever the canvas's own size changes, or the pixel ratio with the window (zoom).
// A single change is laid out at once, before the stretched bitmap is shown; while the window is dragged
// larger or smaller, at most every 100 ms (a layout of 100,000 tracks takes about as long).
let resizeTimer = 0, lastLayout = -Infinity;
function relayout() {
  clearTimeout(resizeTimer);
  const wait = lastLayout + 100 - performance.now();
  const run = () => { lastLayout = performance.now(); layout(); };
  if (wait <= 0) run(); else resizeTimer = setTimeout(run, wait);
}
new ResizeObserver(relayout).observe(canvas);
window.addEventListener('resize', relayout);

// ---- start

(async () => {
  try {
    state.info = await getJson('/v1/info');
    const i = state.info;
    $('info').textContent = i.model + (i.index ? ' · ' + i.index.tracks.toLocaleString() + ' tracks, layer '
      + i.index.layer : ' · no index') + (i.audio ? '' : ' · no audio');
    // without an index there is nothing to search: say so instead of offering nearest tracks
    $('results-title').hidden = !i.index;
    $('results').hidden = !i.index;
    $('no-index').hidden = !!i.index;
    layout();
    await loadMap();
  } catch (err) {
    $('info').textContent = err.message;
    $('info').classList.add('error');
  }
})();

// StrideKit web app: screens, IndexedDB, uploads; Web Bluetooth in ble.js, the
// firmware codec in the MicroPython WebAssembly interpreter (codec.js).
import { loadCodec, summarize } from "./codec.js";
import { Pod, proto } from "./ble.js";
import * as store from "./store.js";

const $ = (id) => document.getElementById(id);
const FLAG_NAMES = [[1, "UNEVEN_LOAD"], [2, "UNSTABLE"], [4, "HARD_IMPACT"], [8, "SENSOR_FAULT"], [16, "DEGRADED"]];
const flagText = (bits) => FLAG_NAMES.filter(([b]) => bits & b).map(([, n]) => n).join(", ") || "none";
const FOOT = ["left", "right"];
const pods = new Map(); // name -> Pod
const live = { steps: [0, 0], rsc: [null, null], firstLiveMs: null };
const t0 = performance.now();

function status(text, bad = false) {
  $("status").textContent = text;
  $("status").className = bad ? "bad" : "";
}

function show(screen) {
  for (const s of document.querySelectorAll(".screen")) s.hidden = s.id !== "screen-" + screen;
  for (const b of document.querySelectorAll("nav .tab")) b.classList.toggle("active", b.dataset.screen === screen);
}

// ------------------------------------------------------------------ token
function token() {
  const m = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (m) {
    localStorage.setItem("stride-token", m[1]);
    history.replaceState(null, "", location.pathname);
  }
  return localStorage.getItem("stride-token") || "";
}

// ------------------------------------------------------------------ pods
function renderPods() {
  const tb = $("pods").tBodies[0];
  tb.innerHTML = "";
  for (const p of pods.values()) {
    const tr = tb.insertRow();
    for (const v of [FOOT[p.foot] ?? "?", p.name, p.battery != null ? p.battery + " %" : "–", p.connected ? "connected" : "disconnected"]) {
      tr.insertCell().textContent = v;
    }
    tr.dataset.pod = p.name;
  }
}

const hooks = {
  onState: (p, s) => { renderPods(); if (s !== "connected" && s !== "connecting") status(`${p.name}: ${s}`); },
  onDisconnect: () => renderPods(),
  onRsc: (p, v) => {
    if (v.error || p.foot < 0) return;
    live.rsc[p.foot] = v.cadence_per_min;
    $("rsc-" + FOOT[p.foot]).textContent = String(v.cadence_per_min);
    // each pod sends steps/min of both feet (the watches' convention): show their mean
    const [l, r] = live.rsc;
    $("spm-both").textContent = l != null && r != null ? String(Math.round((l + r) / 2)) : String(l ?? r);
    firstLive();
  },
  onLive: (p, ev) => {
    for (const e of ev.events) {
      const f = e.foot;
      if (e.type === "step") {
        live.steps[FOOT.indexOf(f)]++;
        live.last = { ...(live.last || {}), [f]: { index: e.index, stance_us: e.stance_us, si_pm: e.impulse_si_pm } };
        $("stance-" + f).textContent = (e.stance_us / 1000).toFixed(1);
        $("steps-" + f).textContent = String(live.steps[FOOT.indexOf(f)]);
        $("flags-" + f).textContent = flagText(e.flags);
        const si = e.impulse_si_pm / 10;
        $("balance").textContent = `${si >= 0 ? "+" : ""}${si.toFixed(1)} %${e.uneven ? " (UNEVEN_LOAD)" : ""}`;
        firstLive();
      } else if (e.type === "flag") {
        $("flags-" + f).textContent = flagText(e.flags);
      }
    }
  },
};

function firstLive() {
  if (live.firstLiveMs == null) live.firstLiveMs = performance.now() - t0;
}

async function connectPod() {
  const p = await proto();
  const device = await navigator.bluetooth.requestDevice({
    filters: [{ namePrefix: p.name_prefix }, { services: [p.service] }, { services: [p.rsc_service] }],
    optionalServices: [p.service, p.rsc_service, p.battery_service],
  });
  let pod = pods.get(device.name || device.id);
  if (!pod) {
    pod = new Pod(device, hooks);
    pods.set(pod.name, pod);
  }
  await pod.connect();
  await pod.setTime();
  renderPods();
  status(`${pod.name}: ${FOOT[pod.foot]} pod connected`);
  return pod;
}

async function setLive(on) {
  for (const p of pods.values()) if (p.connected) await p.setLive(on);
  $("live-toggle").textContent = on ? "Stop live stream" : "Start live stream";
  $("live-toggle").dataset.on = on ? "1" : "";
}

// ------------------------------------------------------------------ sync
const keyOf = (pod, sid) => `${pod.name}/${sid}`;

async function syncPod(pod, progress) {
  const entries = await pod.list();
  const stats = { bytes: 0, ms: 0, sessions: 0 };
  for (const e of entries) {
    if (!e.closed) continue; // being recorded: next time
    const key = keyOf(pod, e.sid);
    let rec = (await store.get(key)) || {
      key, pod: pod.name, foot: pod.foot, session_id: e.sid, name: `${pod.name}-${e.sid}.strd`,
      bytes: new Uint8Array(0), complete: false, uploaded: false,
    };
    if (rec.bytes.length < e.size) {
      const tStart = performance.now();
      const have = rec.bytes.length;
      await pod.read(e.sid, have, async (chunk) => {
        const joined = new Uint8Array(rec.bytes.length + chunk.length);
        joined.set(rec.bytes);
        joined.set(chunk, rec.bytes.length);
        rec = { ...rec, bytes: joined, size: joined.length, complete: joined.length >= e.size };
        await store.put(rec); // on the phone before the pod may forget it
      }, (next) => progress?.(pod, e, next));
      stats.ms += performance.now() - tStart;
      stats.bytes += rec.bytes.length - have;
    }
    if (rec.bytes.length >= e.size && e.synced < e.size) await pod.mark(e.sid, e.size);
    stats.sessions++;
  }
  return stats;
}

async function syncAll() {
  const out = {};
  for (const p of pods.values()) {
    if (!p.connected) continue;
    status(`syncing ${p.name}…`);
    out[p.name] = await syncPod(p, (pod, e, next) => status(`${pod.name} session ${e.sid}: ${next}/${e.size} bytes`));
  }
  await renderStored();
  status("sync done");
  return out;
}

async function renderStored() {
  const tb = $("stored").tBodies[0];
  tb.innerHTML = "";
  for (const r of await store.all()) {
    const s = await summarize(r.bytes);
    const steps = s.sessions.reduce((a, x) => a + x.steps, 0);
    const tr = tb.insertRow();
    for (const v of [r.name, String(r.bytes.length), String(steps), r.uploaded ? "yes" : r.complete ? "no" : "partial"]) {
      tr.insertCell().textContent = v;
    }
  }
}

async function uploadAll() {
  const tok = $("token").value.trim() || token();
  const results = [];
  for (const r of await store.all()) {
    if (r.uploaded || !r.complete) continue;
    const resp = await fetch(`/api/upload?name=${encodeURIComponent(r.name)}&source=web`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", ...(tok ? { "x-stride-token": tok } : {}) },
      body: r.bytes,
    });
    const body = await resp.json().catch(() => ({ error: `HTTP ${resp.status}` }));
    if (resp.ok) await store.put({ ...r, uploaded: true, library_ids: body.session_ids });
    results.push({ name: r.name, status: resp.status, ...body });
  }
  await renderStored();
  const bad = results.filter((x) => x.status !== 201);
  status(bad.length ? `upload: ${bad[0].name}: ${bad[0].error}` : `uploaded ${results.length} session(s)`, bad.length > 0);
  return results;
}

// ------------------------------------------------------------------ check a file
let lastFile = null;
async function checkFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const s = await summarize(bytes);
  lastFile = { name: file.name, bytes };
  const lines = [`${file.name}: ${s.bytes} bytes, ${s.records} records`];
  for (const x of s.sessions) lines.push(`${x.foot} pod ${x.device_id} session ${x.session_id}: ${x.steps} steps, ${x.flags} flag records${x.ended ? "" : " (no SessionEnd)"}`);
  lines.push("records: " + Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(", "));
  if (s.n_errors) lines.push(`DAMAGED: ${s.n_errors} bad frames, first at byte ${s.errors[0][0]}: ${s.errors[0][1]}`);
  if (s.n_skipped) lines.push(`skipped ${s.n_skipped} records of unknown types`);
  $("summary").textContent = lines.join("\n");
  $("keep-file").disabled = s.sessions.length === 0;
  return s;
}

async function keepFile() {
  if (!lastFile) return;
  await store.put({ key: "file/" + lastFile.name, name: lastFile.name, bytes: lastFile.bytes, complete: true, uploaded: false });
  await renderStored();
}

// ------------------------------------------------------------------ start
async function start() {
  for (const b of document.querySelectorAll("nav .tab")) b.addEventListener("click", () => show(b.dataset.screen));
  $("token").value = token();
  const bt = "bluetooth" in navigator;
  $("ble-support").textContent = bt ? "Web Bluetooth available." : "This browser has no Web Bluetooth (use Chrome on Android or desktop, over https or localhost).";
  $("connect").disabled = !bt;
  $("connect").addEventListener("click", () => connectPod().catch((e) => status(String(e.message || e), true)));
  $("live-toggle").addEventListener("click", () => setLive(!$("live-toggle").dataset.on).catch((e) => status(String(e), true)));
  $("sync-all").addEventListener("click", () => syncAll().catch((e) => status(String(e.message || e), true)));
  $("upload-all").addEventListener("click", () => uploadAll().catch((e) => status(String(e), true)));
  $("file").addEventListener("change", (ev) => ev.target.files[0] && checkFile(ev.target.files[0]).catch((e) => status(String(e), true)));
  $("keep-file").addEventListener("click", () => keepFile());
  show("pods");
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch((e) => console.warn("service worker:", e));
  const { files } = await loadCodec();
  await proto();
  await renderStored();
  status(`ready: firmware codec loaded (${files.length} stridefw files in MicroPython)`);
  document.body.dataset.ready = "1";
}

// For the browser tests and for debugging from the console.
window.strideKit = {
  ready: start(),
  summarize, syncAll, uploadAll, checkFile, connectPod, setLive, pods, live, store,
  show,
  deliver: (name, uuid, arr) => pods.get(name)?.deliver(uuid, new Uint8Array(arr)) ?? false,
  reconnect: async (name) => { const p = pods.get(name); await p.connect(); await p.setTime(); renderPods(); return p.foot; },
  podNames: () => [...pods.keys()],
  timing: () => ({ firstLiveMs: live.firstLiveMs }),
};
window.strideKit.ready.catch((e) => status("failed to start: " + (e.message || e), true));

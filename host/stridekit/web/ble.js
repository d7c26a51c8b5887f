// Web Bluetooth side of a pod: connect, RSC + live stream, and the resumable,
// credit-based sync of stridefw/syncproto.py. Every protocol byte is built and
// parsed in Python (py/stride_web.py on stridefw.syncproto, in the MicroPython
// WebAssembly interpreter); this file only moves bytes and keeps time.
import { loadCodec } from "./codec.js";

let P = null; // protocol constants from stridefw.syncproto
let nTmp = 0;

export async function proto() {
  if (P) return P;
  const { mp } = await loadCodec();
  mp.runPython("import stride_web\n_live = stride_web.Live()\n_r = stride_web.uuids()");
  P = JSON.parse(mp.globals.get("_r"));
  return P;
}

async function py(code, bytes) {
  const { mp } = await loadCodec();
  let path = null;
  if (bytes) {
    path = `/n${nTmp++ % 8}.bin`;
    mp.FS.writeFile(path, bytes);
  }
  mp.runPython("_r = " + code.replace("$PATH", JSON.stringify(path)));
  return JSON.parse(mp.globals.get("_r"));
}

const hex = (h) => new Uint8Array(h.match(/../g)?.map((x) => parseInt(x, 16)) ?? []);
const u8 = (dv) => new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength).slice();
const uuid16 = (n) => BluetoothUUID.getCharacteristic(n);

export const CREDIT_WINDOW = 32; // notifications in flight; refilled at half

export class Pod {
  constructor(device, hooks) {
    this.device = device;
    this.name = device.name || device.id;
    this.hooks = hooks; // {onLive(events), onRsc(value), onState(text), onDisconnect()}
    this.reqId = 0;
    this.waiting = new Map(); // "op/req_id" -> {resolve, reject, timer}
    this.rx = null; // Python PodRx name
    this.foot = -1;
    this.connected = false;
    this.onDataHook = null;
    device.addEventListener("gattserverdisconnected", () => this._lost());
  }

  async connect() {
    const p = await proto();
    this.hooks.onState?.(this, "connecting");
    const server = await this.device.gatt.connect();
    const stride = await server.getPrimaryService(p.service);
    this.control = await stride.getCharacteristic(p.control);
    this.data = await stride.getCharacteristic(p.data);
    this.status = await stride.getCharacteristic(p.status);
    this._listen(this.control, (b) => this.onControl(b));
    this._listen(this.data, (b) => this.onData(b));
    await this.control.startNotifications();
    await this.data.startNotifications();
    const st = await py("stride_web.status($PATH)", u8(await this.status.readValue()));
    if (st.error) throw new Error(`${this.name}: status: ${st.error}`);
    this.foot = st.foot;
    this.battery = st.battery_pct;
    this.statusInfo = st;
    const key = this.foot === 1 ? "R" : "L";
    this.rx = "_rx_" + key;
    await py(`None\n${this.rx} = stride_web.PodRx(${this.foot}, _live)\n_r = '{}'`);
    try {
      const rsc = await server.getPrimaryService(p.rsc_service);
      this.rsc = await rsc.getCharacteristic(uuid16(p.rsc_measurement));
      this._listen(this.rsc, (b) => this.onRsc(b));
      await this.rsc.startNotifications();
    } catch (e) {
      this.rsc = null; // RSC is optional for sync; the live view says so
    }
    this.connected = true;
    this.hooks.onState?.(this, "connected");
    return this;
  }

  // One entry point per characteristic for bytes from the pod: the real
  // 'characteristicvaluechanged' listener calls it, and so can a test bridge
  // (see deliver() in app.js) where the browser's emulation cannot notify.
  _listen(ch, fn) {
    ch.addEventListener("characteristicvaluechanged", (ev) => fn(u8(ev.target.value)));
  }

  // Bytes from the pod on a characteristic, by UUID: the same path as a notification.
  // Used by the browser tests' bridge, because Chromium's Bluetooth emulation (CDP
  // BluetoothEmulation) answers reads/writes/subscriptions but cannot send a
  // notification or indication on its own.
  deliver(uuid, bytes) {
    if (!this.connected && !this.control) return false;
    const u = uuid.toLowerCase();
    if (this.control?.uuid === u) this.onControl(bytes);
    else if (this.data?.uuid === u) this.onData(bytes);
    else if (this.rsc?.uuid === u) this.onRsc(bytes);
    else return false;
    return true;
  }

  _lost() {
    this.connected = false;
    for (const [, w] of this.waiting) { clearTimeout(w.timer); w.reject(new Error("disconnected")); }
    this.waiting.clear();
    this.hooks.onState?.(this, "disconnected");
    this.hooks.onDisconnect?.(this);
  }

  async onControl(bytes) {
    const r = await py("stride_web.response($PATH)", bytes);
    if (r.error) { this.hooks.onState?.(this, r.error); return; }
    const w = this.waiting.get(`${r.op}/${r.req_id}`);
    if (!w) return;
    this.waiting.delete(`${r.op}/${r.req_id}`);
    clearTimeout(w.timer);
    w.resolve(r);
  }

  async onData(bytes) {
    const r = await py(`${this.rx}.data($PATH)`, bytes);
    if (r.live) { this.hooks.onLive?.(this, r.live); return; }
    this.onDataHook?.(r);
  }

  async onRsc(bytes) {
    this.hooks.onRsc?.(this, await py("stride_web.rsc_measurement($PATH)", bytes));
  }

  _expect(op, rid, ms = 15000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(`${op}/${rid}`);
        reject(new Error(`${this.name}: no ${op} response in ${ms} ms`));
      }, ms);
      this.waiting.set(`${op}/${rid}`, { resolve, reject, timer });
    });
  }

  async request(op, args, { expectDone = false, noResponse = false } = {}) {
    const rid = (this.reqId = (this.reqId + 1) & 0xff);
    const msg = await py(`stride_web.request(${JSON.stringify(op)}, ${rid}, ${JSON.stringify(args)})`);
    if (msg.error) throw new Error(msg.error);
    if (noResponse) {
      await this.control.writeValueWithoutResponse(hex(msg.hex));
      return null;
    }
    const resp = this._expect(op, rid);
    const done = expectDone ? this._expect("DONE", rid, 120000) : null;
    done?.catch(() => {}); // awaited by the caller; avoid an unhandled rejection on disconnect
    await this.control.writeValueWithResponse(hex(msg.hex));
    const r = await resp;
    if (r.status !== "OK") throw new Error(`${this.name}: ${op} -> ${r.status}`);
    return expectDone ? { r, done } : r;
  }

  async list() {
    const out = [];
    let from = 0;
    for (;;) {
      const r = await this.request("LIST", [from]);
      for (const [sid, size, synced, closed] of r.entries) out.push({ sid, size, synced, closed: !!closed });
      if (!r.more || !r.entries.length) return out;
      from = r.entries[r.entries.length - 1][0] + 1;
    }
  }

  async setLive(on) { await this.request("LIVE", [on ? 1 : 0]); }

  async setTime(ms = Date.now()) {
    await this.request("TIME", [Math.floor(ms / 1000), (ms % 1000) * 1000]);
  }

  // Read [offset, end) of a session; calls keep(bytes) with what arrived, also when
  // the link drops half-way (those bytes are contiguous and each frame CRC-checked).
  async read(sid, offset, keep, progress) {
    await py(`None\n${this.rx}.start(${sid}, ${offset})\n_r = '{}'`);
    let received = 0;
    let fault = null;
    this.onDataHook = (r) => {
      if (r.error) { fault = r.error; return; }
      if (!r.ok) return;
      received++;
      progress?.(r.next);
      if (received % (CREDIT_WINDOW / 2) === 0 && this.connected) {
        this.request("CREDIT", [CREDIT_WINDOW / 2], { noResponse: true }).catch(() => {});
      }
    };
    try {
      const { r, done } = await this.request("READ", [sid, offset, CREDIT_WINDOW], { expectDone: true });
      const end = r.values[0];
      const d = await done;
      if (fault) throw new Error(fault);
      const [dsid, dend, crc] = d.values;
      if (dsid !== sid || dend !== end) throw new Error(`DONE for ${dsid}@${dend}, asked ${sid}@${end}`);
      const ok = await py(`${this.rx}.done(${dend}, ${crc})`);
      if (ok.error) throw new Error(ok.error);
      await keep(await this._taken());
      return end;
    } catch (e) {
      const part = await py(`${this.rx}.take()`);
      if (part.bytes) await keep(await this._taken());
      throw e;
    } finally {
      this.onDataHook = null;
    }
  }

  async _taken() {
    const { mp } = await loadCodec();
    return mp.FS.readFile("/xfer.bin");
  }

  async mark(sid, upTo) { return (await this.request("MARK", [sid, upTo])).values[0]; }
}

// IndexedDB: synced sessions stay on the phone until `stride serve` has taken them.
// One object store "sessions", key "pod/session_id"; value {key, name, pod, session_id,
// bytes (Uint8Array), size, complete, uploaded, library_ids}. Partial transfers are kept
// too, so a sync resumes from the stored length after a disconnect or a reload.
const DB = "stridekit", STORE = "sessions";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const out = fn(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(out && "result" in out ? out.result : undefined); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
}

export const put = (rec) => tx("readwrite", (s) => s.put(rec));
export const get = (key) => tx("readonly", (s) => s.get(key));
export const all = () => tx("readonly", (s) => s.getAll());
export const remove = (key) => tx("readwrite", (s) => s.delete(key));

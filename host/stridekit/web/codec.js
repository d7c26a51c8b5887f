// The firmware codec in the browser: loads the MicroPython WebAssembly interpreter
// from the npm package served by `stride serve` (/mp/), writes the firmware's own
// stridefw/*.py into its file system and imports the page's Python glue
// (py/stride_web.py). JavaScript only moves bytes in and JSON out.
let mpPromise = null;

async function fetchText(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.text();
}

function mkdirs(FS, path) {
  let cur = "";
  for (const part of path.split("/").filter(Boolean)) {
    cur += "/" + part;
    try { FS.mkdir(cur); } catch (e) { /* exists */ }
  }
}

export function loadCodec() {
  if (!mpPromise) mpPromise = (async () => {
    const { loadMicroPython } = await import("/mp/micropython.mjs");
    const log = [];
    const mp = await loadMicroPython({
      heapsize: 16 * 1024 * 1024,
      stdout: (s) => log.push(s),
      stderr: (s) => log.push(s),
    });
    const index = JSON.parse(await fetchText("/fw/index.json"));
    mkdirs(mp.FS, "/lib/stridefw");
    await Promise.all(index.files.map(async (name) => {
      mp.FS.writeFile("/lib/stridefw/" + name, await fetchText("/fw/stridefw/" + name));
    }));
    mp.FS.writeFile("/lib/stride_web.py", await fetchText("/py/stride_web.py"));
    for (const name of ["stride_web.py"]) {
      try { mp.FS.writeFile("/lib/" + name, await fetchText("/py/" + name)); } catch (e) { /* optional */ }
    }
    mp.runPython("import sys\nsys.path.insert(0, '/lib')\nimport stride_web");
    return { mp, log, files: index.files };
  })();
  return mpPromise;
}

let tmpN = 0;
// Hand bytes to Python through a file and call fn(path, ...args); returns parsed JSON.
export async function callWithBytes(expr, bytes) {
  const { mp } = await loadCodec();
  const path = `/tmp_${tmpN++ % 4}.bin`;
  mp.FS.writeFile(path, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const out = mp.runPython(`_r = ${expr.replace("$PATH", JSON.stringify(path))}`) ;
  void out;
  return JSON.parse(mp.globals.get("_r"));
}

export async function summarize(bytes) {
  return callWithBytes("stride_web.summarize_file($PATH)", bytes);
}

// Run a Python script inside the official MicroPython WebAssembly interpreter.
//   node mprun.mjs [--heap BYTES] [--copy HOSTDIR:MPDIR]... [--in HOST:MP]... [--out MP:HOST]... SCRIPT
// Directories are copied into the interpreter's in-memory file system (MEMFS) and
// MPDIR added to sys.path; --out files are copied back after the script ends.
// Exit code 1 (with the Python traceback on stderr) if the script raises.
// MICROPYTHON_MJS (set by stridekit.mpy) points at the npm package when this file
// is not inside the repository tree.
const { loadMicroPython } = await import(
  process.env.MICROPYTHON_MJS ?? "@micropython/micropython-webassembly-pyscript"
);
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
let heap = 8 * 1024 * 1024;
const copies = [], ins = [], outs = [];
let script = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--heap") heap = parseInt(args[++i], 10);
  else if (a === "--copy") copies.push(args[++i].split(":"));
  else if (a === "--in") ins.push(args[++i].split(":"));
  else if (a === "--out") outs.push(args[++i].split(":"));
  else script = a;
}
if (!script) {
  console.error("usage: mprun.mjs [--heap N] [--copy H:M] [--in H:M] [--out M:H] SCRIPT");
  process.exit(2);
}

const mp = await loadMicroPython({
  heapsize: heap,
  stdout: (s) => process.stdout.write(s + "\n"),
  stderr: (s) => process.stderr.write(s + "\n"),
});

function mkdirs(p) {
  let cur = "";
  for (const part of p.split("/").filter(Boolean)) {
    cur += "/" + part;
    try { mp.FS.mkdir(cur); } catch (e) { /* exists */ }
  }
}
function copyTree(host, target) {
  mkdirs(target);
  for (const ent of fs.readdirSync(host, { withFileTypes: true })) {
    const h = path.join(host, ent.name), m = target + "/" + ent.name;
    if (ent.isDirectory()) { if (ent.name !== "__pycache__") copyTree(h, m); }
    else if (ent.name.endsWith(".py")) mp.FS.writeFile(m, fs.readFileSync(h));
  }
}
const sysPaths = [];
for (const [h, m] of copies) { copyTree(h, m); sysPaths.push(m); }
for (const [h, m] of ins) { mkdirs(path.posix.dirname(m)); mp.FS.writeFile(m, fs.readFileSync(h)); }

const prelude = "import sys\n" + sysPaths.map((p) => `sys.path.insert(0, ${JSON.stringify(p)})\n`).join("");
try {
  mp.runPython(prelude + fs.readFileSync(script, "utf8"));
} catch (e) {
  console.error(String(e && e.message ? e.message : e));
  process.exit(1);
}
for (const [m, h] of outs) fs.writeFileSync(h, mp.FS.readFile(m));

// The checker's Web Worker: boots Pyodide from this folder, loads the calculator wheel through the lockfile in
// manifest.json (sha256 checked by fetch integrity), fetches the policy data of the jurisdictions a profile
// needs, and answers evaluation requests. Nothing leaves the browser: the only requests are for the files next
// to this one.
const here = new URL("./", import.meta.url).href;
const PACKAGE = "bj-ai-policy-calculator";
const CITY = "beijing"; // calculator.bundle.CITY
const started = performance.now();
let chain = null; // evaluations, one at a time, once Python is ready
let pending = null; // the latest request that came before

function progress(stage) {
  postMessage({ type: "progress", stage, ms: Math.round(performance.now() - started) });
}

async function get(name, as = "text") {
  const r = await fetch(here + name, name === "manifest.json" ? { cache: "no-cache" } : {});
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
  return as === "json" ? r.json() : as === "bytes" ? r.arrayBuffer() : r.text();
}

// Everything is asked for at once. The manifest, always fresh, names this build's lockfile and data index, so
// a calculator never meets another build's data; the files it names carry their hash in their name.
const manifest = get("manifest.json", "json");
const indexText = manifest.then((m) => get(m.index));
const index = indexText.then(JSON.parse);
const parts = new Map(); // jurisdiction → its part's text (a promise)
const partFile = async (name) => "data/" + (await index).parts[name];
function part(name) {
  if (!parts.has(name)) parts.set(name, partFile(name).then((file) => get(file)));
  return parts.get(name);
}
// While Python boots: the parts the first profile will need. calculator.bundle.needed_parts decides; this is
// the same rule, only to start early.
async function prefetch(profile) {
  const district = profile && typeof profile === "object" ? profile.district : null;
  for (const name of Object.keys((await index).parts)) if (district == null || name === CITY || name === district) part(name);
}

onmessage = (event) => {
  if (event.data?.type !== "evaluate") return;
  if (chain === null) {
    if (pending === null) prefetch(event.data.profile).catch(() => {});
    pending = event.data; // only the latest request matters
  } else {
    chain = chain.then(() => answer(event.data));
  }
};

// The full standard library, for a module the slim one left out (checker/full_stdlib.py): synchronous, since
// an import cannot wait; a worker may do that.
function fetchFullStdlib(pyodide) {
  return () => {
    const xhr = new XMLHttpRequest();
    xhr.open("GET", here + "python_stdlib.zip", false);
    xhr.responseType = "arraybuffer";
    xhr.send();
    if (xhr.status !== 200) throw new Error(`python_stdlib.zip: HTTP ${xhr.status}`);
    pyodide.FS.writeFile(pyodide.pyimport("_full_stdlib").FULL, new Uint8Array(xhr.response));
  };
}

const GLUE = `
import json
from calculator.session import Session

def start(index):
    global _session
    _session = Session(index=json.loads(index))
    return _session
`;
let session = null;

// An error in one evaluation answers that request; it never reads as Python failing to load.
async function answer({ id, profile, today, base }) {
  const text = JSON.stringify(profile);
  try {
    const needs = session.needs(text);
    const names = needs.toJs();
    needs.destroy();
    if (names.length) {
      session.add_parts(...(await Promise.all(names.map(part))));
      // For the service worker to keep (checker.js passes them on): what a later visit offline will need.
      postMessage({ type: "files", urls: await Promise.all(names.map(async (n) => here + (await partFile(n)))) });
    }
    // The answer stays JSON text: one parse in the page is cheaper than a parse here plus a structured clone.
    postMessage({ type: "result", id, json: session.answer(text, today, id, base ?? null) });
  } catch (err) {
    postMessage({ type: "result", id, failure: String(err) });
  }
}

// Pyodide waits for ever when one of its files is missing (a 404 for pyodide.asm.wasm never rejects its
// promise). Each file is asked for without its body, alongside the start, and a file the server says it
// does not have ends the start at once, named. No answer at all (offline, with the runtime kept by the
// service worker) is left to the start, and a stalled connection to the page's time limit (checker.js).
const RUNTIME_FILES = ["pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib_slim.zip"];
function missingFile() {
  return Promise.all(RUNTIME_FILES.map(async (name) => {
    const response = await fetch(here + name, { method: "HEAD" }).catch(() => null);
    if (response && !response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  })).then(() => new Promise(() => {})); // all there: the start decides
}

async function start() {
  progress("runtime");
  const { loadPyodide } = await import("./pyodide.mjs");
  const boot = (stdLibURL) => loadPyodide({
    indexURL: here, stdLibURL, packageBaseUrl: here, lockFileContents: manifest.then((m) => m.lock),
    packages: [PACKAGE], // fetched while Python starts
  });
  let pyodide, stdlib = "slim";
  try {
    pyodide = await boot(here + "python_stdlib_slim.zip");
    pyodide.pyimport("_full_stdlib").install(fetchFullStdlib(pyodide));
  } catch (err) {
    // The slim library could not even start Python (a file from another build?): the full one can.
    stdlib = `full (${err})`;
    pyodide = await boot(here + "python_stdlib.zip");
  }
  progress("package");
  if (!pyodide.loadedPackages[PACKAGE]) throw new Error(`${PACKAGE} did not load`);
  progress("data");
  pyodide.runPython(GLUE);
  session = pyodide.globals.get("start")(await indexText);
  postMessage({ type: "ready", ms: Math.round(performance.now() - started), stdlib,
                python: pyodide.runPython("import sys; sys.version.split()[0]"), policies: (await index).policies });
  chain = Promise.resolve();
  if (pending !== null) chain = chain.then(() => answer(pending));
}

try {
  await Promise.race([start(), missingFile()]);
} catch (err) {
  postMessage({ type: "failed", message: String(err && err.message ? err.message : err) });
}

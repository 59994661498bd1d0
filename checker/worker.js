// The checker's Web Worker: boots Pyodide from this folder, loads the calculator wheel through the site's
// pyodide-lock.json (sha256 checked by fetch integrity), and answers evaluation requests. Nothing leaves the
// browser: the only requests are for the files next to this one.
import { loadPyodide } from "./pyodide.mjs";

const here = new URL("./", import.meta.url).href;
const PACKAGE = "bj-ai-policy-calculator";
const started = performance.now();
const queue = [];
let handle = null;

function progress(stage) {
  postMessage({ type: "progress", stage, ms: Math.round(performance.now() - started) });
}

// The calculator's Session answers in JSON text and sends in full only the rows that differ from the
// answer the page holds (`base`): typing usually changes a few of the rows.
const GLUE = `
import json
from calculator import default_bundle
from calculator.session import Session

_bundle = default_bundle()
_session = Session(_bundle)
json.dumps([{"id": p["id"], "title": p["title"], "short_title": p.get("short_title"),
             "jurisdiction": p["jurisdiction"]} for p in _bundle["policies"]], ensure_ascii=False)
`;

// The answer stays JSON text: one parse in the page is cheaper than a parse here plus a structured clone.
// An error in one evaluation answers that request; it never reads as Python failing to load.
function answer({ id, profile, today, base }) {
  try {
    postMessage({ type: "result", id, json: handle(JSON.stringify(profile), today, id, base ?? null) });
  } catch (err) {
    postMessage({ type: "result", id, failure: String(err) });
  }
}

onmessage = (event) => {
  if (event.data?.type !== "evaluate") return;
  if (handle === null) {
    queue.length = 0; // only the latest request matters
    queue.push(event.data);
  } else {
    answer(event.data);
  }
};

// Pyodide waits for ever when one of its files is missing (a 404 for pyodide.asm.wasm never rejects its
// promise). Each file is asked for without its body, alongside the start, and a file the server says it
// does not have ends the start at once, named. No answer at all (offline, with the runtime cached) is left
// to the start, and a stalled connection to the page's time limit (checker.js).
const RUNTIME_FILES = ["pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"];
function missingFile() {
  return Promise.all(RUNTIME_FILES.map(async (name) => {
    const response = await fetch(here + name, { method: "HEAD" }).catch(() => null);
    if (response && !response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  })).then(() => new Promise(() => {})); // all there: the start decides
}

async function start() {
  progress("runtime");
  // The lockfile is fetched afresh: a cached old one would name a wheel that is no longer there.
  const lockFileContents = fetch(here + "pyodide-lock.json", { cache: "no-cache" }).then((r) => {
    if (!r.ok) throw new Error(`pyodide-lock.json: HTTP ${r.status}`);
    return r.text();
  });
  const pyodide = await loadPyodide({ indexURL: here, lockFileContents, packageBaseUrl: here });
  progress("package");
  const problems = [];
  await pyodide.loadPackage(PACKAGE, { checkIntegrity: true, messageCallback: () => {},
                                      errorCallback: (m) => problems.push(m) });
  if (!pyodide.loadedPackages[PACKAGE]) throw new Error(problems.join("\n") || `${PACKAGE} did not load`);
  progress("data");
  const policies = JSON.parse(pyodide.runPython(GLUE));
  handle = pyodide.globals.get("_session").answer;
  postMessage({ type: "ready", ms: Math.round(performance.now() - started),
                python: pyodide.runPython("import sys; sys.version.split()[0]"), policies });
  for (const request of queue.splice(0)) answer(request);
}

try {
  await Promise.race([start(), missingFile()]);
} catch (err) {
  postMessage({ type: "failed", message: String(err && err.message ? err.message : err) });
}

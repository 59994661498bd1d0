// Evaluate profiles with the calculator inside Pyodide under Node, from a staged checker folder.
//   node run_cases.mjs STAGE_DIR PROFILES.json  →  stdout: {"boot_ms", "load_ms", "eval_ms", "results": [...]}
// PROFILES.json is a list of {"profile": {...}, "today": "YYYY-MM-DD"}; each result is {"report": ...} or
// {"errors": [...]} (a ProfileError), exactly as the browser worker answers.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [stageArg, profilesPath] = process.argv.slice(2);
const stage = path.resolve(stageArg) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(stage, "pyodide.mjs")).href);

const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: stage,
  lockFileURL: path.join(stage, "pyodide-lock.json"),
  // Wheels are read from here in Node; anything missing would be a CDN download, so fail instead.
  packageCacheDir: stage,
  stdout: (line) => process.stderr.write(line + "\n"),
});
const t1 = performance.now();
const loaded = [];
await pyodide.loadPackage("bj-ai-policy-calculator", {
  messageCallback: (m) => loaded.push(m),
  errorCallback: (m) => { throw new Error(m); },
});
const t2 = performance.now();
const where = pyodide.runPython("import calculator, sys; calculator.__file__ + ' on Python ' + sys.version.split()[0]");

pyodide.globals.set("CASES_JSON", await readFile(profilesPath, "utf-8"));
const out = pyodide.runPython(`
import json
from calculator import ProfileError, evaluate

def run(case):
    try:
        return {"report": evaluate(case["profile"], today=case["today"])}
    except ProfileError as err:
        return {"errors": err.errors}

json.dumps([run(case) for case in json.loads(CASES_JSON)], ensure_ascii=False)
`);
const t3 = performance.now();
process.stdout.write(JSON.stringify({
  boot_ms: Math.round(t1 - t0), load_ms: Math.round(t2 - t1), eval_ms: Math.round(t3 - t2),
  messages: loaded, where, results: JSON.parse(out),
}));

// Evaluate profiles with the calculator inside Pyodide under Node, from a staged checker folder, on the
// checker's slim standard library with its fallback, and the data parts as the site ships them.
//   node run_cases.mjs STAGE_DIR PROFILES.json [PROBE.py]
//   →  stdout: {"boot_ms", "load_ms", "eval_ms", "results": [...], "full_stdlib_used": [...], "probe": ...}
// PROFILES.json is a list of {"profile": {...}, "today": "YYYY-MM-DD"}; each result is {"report": ...} or
// {"errors": [...]} (a ProfileError), exactly as the browser worker answers. PROBE.py, when given, runs last;
// the value of its last expression is "probe".
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [stageArg, profilesPath, probePath] = process.argv.slice(2);
const stage = path.resolve(stageArg) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(stage, "pyodide.mjs")).href);

const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: stage,
  stdLibURL: path.join(stage, "python_stdlib_slim.zip"),
  lockFileURL: path.join(stage, "pyodide-lock.json"),
  // Wheels are read from here in Node; anything missing would be a CDN download, so fail instead.
  packageCacheDir: stage,
  stdout: (line) => process.stderr.write(line + "\n"),
});
const fallback = pyodide.pyimport("_full_stdlib");
fallback.install(() => pyodide.FS.writeFile(fallback.FULL, readFileSync(path.join(stage, "python_stdlib.zip"))));
const t1 = performance.now();
const loaded = [];
await pyodide.loadPackage("bj-ai-policy-calculator", {
  messageCallback: (m) => loaded.push(m),
  errorCallback: (m) => { throw new Error(m); },
});
const t2 = performance.now();
const where = pyodide.runPython("import calculator, sys; calculator.__file__ + ' on Python ' + sys.version.split()[0]");

const manifest = JSON.parse(await readFile(path.join(stage, "manifest.json"), "utf-8"));
const index = JSON.parse(await readFile(path.join(stage, manifest.index), "utf-8"));
const parts = {};
for (const [name, file] of Object.entries(index.parts)) {
  parts[name] = JSON.parse(await readFile(path.join(stage, "data", file), "utf-8"));
}
pyodide.globals.set("DATA_JSON", JSON.stringify({ index, parts }));
pyodide.globals.set("CASES_JSON", await readFile(profilesPath, "utf-8"));
const out = pyodide.runPython(`
import json
from calculator import Calculator, ProfileError
from calculator.bundle import join_parts

data = json.loads(DATA_JSON)
calc = Calculator(join_parts(data["index"], data["parts"]))

def run(case):
    try:
        return {"report": calc.evaluate(case["profile"], today=case["today"])}
    except ProfileError as err:
        return {"errors": err.errors}

json.dumps([run(case) for case in json.loads(CASES_JSON)], ensure_ascii=False)
`);
const t3 = performance.now();
const used = pyodide.runPython("import _full_stdlib; list(_full_stdlib.used)").toJs();
const probe = probePath ? pyodide.runPython(await readFile(probePath, "utf-8")) : null;
process.stdout.write(JSON.stringify({
  boot_ms: Math.round(t1 - t0), load_ms: Math.round(t2 - t1), eval_ms: Math.round(t3 - t2),
  messages: loaded, where, results: JSON.parse(out), full_stdlib_used: used,
  probe: probe && probe.toJs ? probe.toJs() : probe,
}));

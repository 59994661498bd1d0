// Calculator speed inside Pyodide under Node: node pyodide_calc.mjs STAGE_DIR PROFILES.json
// stdout: {"boot_ms", "load_ms", "timings_ms": [...]} — one timing per profile, measured inside Python.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [stageArg, profilesPath] = process.argv.slice(2);
const stage = path.resolve(stageArg) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(stage, "pyodide.mjs")).href);
const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: stage, lockFileURL: path.join(stage, "pyodide-lock.json"), packageCacheDir: stage,
  stdout: (line) => process.stderr.write(line + "\n"),
});
const t1 = performance.now();
await pyodide.loadPackage("bj-ai-policy-calculator", { messageCallback: () => {}, errorCallback: (m) => { throw new Error(m); } });
const t2 = performance.now();
pyodide.globals.set("PROFILES_JSON", await readFile(profilesPath, "utf-8"));
const timings = pyodide.runPython(`
import json, time
from calculator import Calculator, default_bundle
calc = Calculator(default_bundle())
profiles = json.loads(PROFILES_JSON)
for p in profiles[:100]:  # warm-up, as on CPython
    calc.evaluate(p)
out = []
for p in profiles:
    start = time.perf_counter_ns()
    calc.evaluate(p)
    out.append((time.perf_counter_ns() - start) / 1e6)
json.dumps(out)
`);
process.stdout.write(JSON.stringify({ boot_ms: t1 - t0, load_ms: t2 - t1, timings_ms: JSON.parse(timings) }));

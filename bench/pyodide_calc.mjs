// Calculator speed inside Pyodide under Node: node pyodide_calc.mjs STAGE_DIR PROFILES.json TIMING.py
// (TIMING.py is bench/timing.py: the same timing loop as on CPython).
// stdout: {"boot_ms", "load_ms", "timings_ms": [...]} — one timing per profile, measured inside Python.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [stageArg, profilesPath, timingPath] = process.argv.slice(2);
const stage = path.resolve(stageArg) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(stage, "pyodide.mjs")).href);
const t0 = performance.now();
const pyodide = await loadPyodide({
  indexURL: stage, stdLibURL: path.join(stage, "python_stdlib_slim.zip"), lockFileURL: path.join(stage, "pyodide-lock.json"), packageCacheDir: stage,
  stdout: (line) => process.stderr.write(line + "\n"),
});
const t1 = performance.now();
await pyodide.loadPackage("bj-ai-policy-calculator", { messageCallback: () => {}, errorCallback: (m) => { throw new Error(m); } });
const t2 = performance.now();
pyodide.globals.set("PROFILES_JSON", await readFile(profilesPath, "utf-8"));
// The data as the site ships it: every part of the bundle, joined.
const manifest = JSON.parse(await readFile(path.join(stage, "manifest.json"), "utf-8"));
const index = JSON.parse(await readFile(path.join(stage, manifest.index), "utf-8"));
const parts = {};
for (const [name, file] of Object.entries(index.parts)) parts[name] = JSON.parse(await readFile(path.join(stage, "data", file), "utf-8"));
pyodide.globals.set("DATA_JSON", JSON.stringify({ index, parts }));
pyodide.FS.writeFile("/home/pyodide/timing.py", await readFile(timingPath, "utf-8"));
const timings = pyodide.runPython(`
import json
from calculator import Calculator
from calculator.bundle import join_parts
from timing import time_profiles
data = json.loads(DATA_JSON)
json.dumps(time_profiles(Calculator(join_parts(data["index"], data["parts"])), json.loads(PROFILES_JSON)))
`);
process.stdout.write(JSON.stringify({ boot_ms: t1 - t0, load_ms: t2 - t1, timings_ms: JSON.parse(timings) }));

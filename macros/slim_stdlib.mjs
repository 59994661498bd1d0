// The checker's slim standard library, traced and compiled by Pyodide itself under Node:
//   node slim_stdlib.mjs STAGE_DIR WORK.json OUT.zip  →  stdout: {"modules": [...], "files": N}
// STAGE_DIR holds the stock runtime, pyodide-lock.json with the calculator wheel, and the data parts.
// WORK.json: {"index": FILE, "profiles": [JSON text, ...], "fallback": SOURCE}. Pyodide boots on the full
// library, loads the calculator as the checker's worker does, answers every profile through the session,
// then zips every module of the library that was imported, as bytecode compiled by this very interpreter
// (exact: the same code it would compile at start-up), plus the fallback finder with the full library's names.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [stageArg, workPath, outPath] = process.argv.slice(2);
const stage = path.resolve(stageArg) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(stage, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: stage, lockFileURL: path.join(stage, "pyodide-lock.json"), packageCacheDir: stage,
  stdout: (line) => process.stderr.write(line + "\n"),
});
await pyodide.loadPackage("bj-ai-policy-calculator", { messageCallback: () => {},
                                                        errorCallback: (m) => { throw new Error(m); } });
const work = JSON.parse(await readFile(workPath, "utf-8"));
const index = JSON.parse(await readFile(path.join(stage, "data", work.index), "utf-8"));
const parts = {};
for (const [name, file] of Object.entries(index.parts)) parts[name] = await readFile(path.join(stage, "data", file), "utf-8");
pyodide.globals.set("WORK", JSON.stringify({ index, parts, profiles: work.profiles, fallback: work.fallback }));
const summary = pyodide.runPython(`
import json, sys
work = json.loads(WORK)
exec(compile(work["fallback"], "_full_stdlib", "exec"), {"__name__": "_full_stdlib"})  # its imports count
from calculator.session import Session
session = Session(index=work["index"])
for n, text in enumerate(work["profiles"], 1):
    session.add_parts(*[work["parts"][name] for name in session.needs(text)])
    session.answer(text, "2026-06-30", n, n - 1)

LIB = "/lib/python%d%d.zip/" % sys.version_info[:2]
used = sorted({m.__spec__.origin[len(LIB):] for m in list(sys.modules.values())
               if getattr(m, "__spec__", None) and (m.__spec__.origin or "").startswith(LIB)})
import importlib.util, zipfile  # after the trace: the build's own needs are not the checker's
from importlib._bootstrap_external import _code_to_hash_pyc
full = zipfile.ZipFile(LIB[:-1])
modules = sorted(n[:-3].replace("/", ".").removesuffix(".__init__") for n in full.namelist() if n.endswith(".py"))
fallback = work["fallback"].replace("MODULES = frozenset()", "MODULES = frozenset(%r)" % modules, 1)
assert fallback != work["fallback"], "the fallback's MODULES line was not found"

def pyc(name, source):
    # Unchecked hash-based bytecode: no source beside it to check, none needed.
    code = compile(source, LIB + name, "exec", dont_inherit=True)
    return _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)

with zipfile.ZipFile("/tmp/slim.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
    for name in used + ["_full_stdlib.py"]:
        source = fallback.encode() if name == "_full_stdlib.py" else full.read(name)
        info = zipfile.ZipInfo(name[:-3] + ".pyc", date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        out.writestr(info, pyc(name, source))
json.dumps({"modules": used, "files": len(used) + 1, "version": sys.version.split()[0]})
`);
await writeFile(outPath, pyodide.FS.readFile("/tmp/slim.zip"));
process.stdout.write(summary);

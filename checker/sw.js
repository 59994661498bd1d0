// The checker's service worker (macros/offline.py writes it to the site's root as sw.js, with this build's
// VERSION and FILES: path → sha256). It keeps exactly this build's checker: both checker pages with what they
// load, Pyodide, the slim standard library, the wheel, the manifest and data index; and the data parts the
// worker fetched (checker.js passes their names on). A second visit then downloads nothing it has, and the
// checker works offline. Every file is checked against its hash, so a cache never mixes builds: a new build
// is a new sw.js, whose cache takes over from the old one once no page uses the old, reusing what is unchanged.
const VERSION = "{{VERSION}}";
const FILES = {{FILES}};
const CACHE = `checker-${VERSION}`;
const ROOT = new URL("./", self.location).href;
const DATA = "pyodide/data/"; // parts: names carry their hash, kept as the worker fetches them
// Pyodide's runtime comes through the browser's HTTP cache while it answers (no bytes: fresh, or a 304): served
// from Cache Storage, a second visit took 1.5-2x as long in paired runs, as if Chromium compiled it afresh. The
// kept copy serves offline. These change only with Pyodide itself; a slim library of another build makes the worker
// start on the full one.
const COMPILED = new Set(["pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "pyodide/pyodide.asm.wasm"]);

function integrity(hex) {
  return "sha256-" + btoa(String.fromCharCode(...hex.match(/../g).map((h) => parseInt(h, 16))));
}

async function sha256(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// An unchanged file from an older build's cache, else the network (the HTTP cache first, then afresh).
async function fetchExactly(path, hash, old) {
  for (const cache of old) {
    const hit = await cache.match(ROOT + path, { ignoreVary: true });
    if (hit && (await sha256(hit)) === hash) return hit;
  }
  const request = (mode) => fetch(new Request(ROOT + path, { cache: mode, integrity: integrity(hash) }));
  return request("default").catch(() => request("reload"));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith("checker-") && n !== CACHE);
    const old = await Promise.all(names.map((n) => caches.open(n)));
    const cache = await caches.open(CACHE);
    for (const [path, hash] of Object.entries(FILES)) {
      if (!(await cache.match(ROOT + path, { ignoreVary: true }))) await cache.put(ROOT + path, await fetchExactly(path, hash, old));
    }
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("checker-") && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  const path = request.url.slice(ROOT.length).split(/[?#]/)[0];
  const isData = path.startsWith(DATA) && !path.includes("/", DATA.length);
  if (!(path in FILES) && !isData) return; // everything else: the browser as usual
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (COMPILED.has(path)) return fetch(request).catch(() => cache.match(ROOT + path, { ignoreVary: true }));
    const hit = await cache.match(ROOT + path, { ignoreVary: true });
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok && isData) await cache.put(ROOT + path, response.clone());
    return response;
  })());
});

// checker.js: {type: "keep", urls} with a port, answered once the data parts named are kept.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep") return;
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of event.data.urls) {
      const path = String(url).startsWith(ROOT) ? url.slice(ROOT.length) : null;
      if (path && path.startsWith(DATA) && !(await cache.match(url))) await cache.add(url);
    }
    event.ports[0]?.postMessage({ type: "kept" });
  })());
});

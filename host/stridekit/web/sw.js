// Service worker: the page works offline once loaded. Everything the page needs,
// including the MicroPython interpreter (.mjs + .wasm) and the firmware sources,
// is cached at install. The interpreter (a pinned npm version) is served cache-first;
// the rest network-first so a new `stride serve` build is picked up when online.
// /api/ (uploads, session list) always goes to the network.
const CACHE = "stridekit-v1";
const SHELL = [
  "/", "/index.html", "/app.js", "/codec.js", "/ble.js", "/store.js", "/app.css",
  "/manifest.webmanifest", "/icon.svg", "/py/stride_web.py",
  "/mp/micropython.mjs", "/mp/micropython.wasm", "/fw/index.json",
];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    const index = await (await fetch("/fw/index.json")).json();
    await cache.addAll(index.files.map((n) => "/fw/stridefw/" + n));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/sessions")) return;
  if (url.pathname.startsWith("/mp/")) {
    event.respondWith(caches.match(event.request).then((hit) => hit || fetch(event.request)));
    return;
  }
  event.respondWith((async () => {
    try {
      const resp = await fetch(event.request);
      if (resp.ok) (await caches.open(CACHE)).put(event.request, resp.clone());
      // Refused for want of the token (a new `stride serve` run, the cookie gone): the
      // installed app still opens from its cache; its uploads then say what to do.
      // Not when a token was given in the URL: a wrong one is shown as such.
      if ((resp.status === 401 || resp.status === 403) && !url.searchParams.has("token")) {
        const hit = await caches.match(event.request, { ignoreSearch: true });
        if (hit) return hit;
      }
      return resp;
    } catch (e) {
      const hit = await caches.match(event.request, { ignoreSearch: true });
      if (hit) return hit;
      throw e;
    }
  })());
});

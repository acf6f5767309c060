// The border lane's service worker (served as /customs/sw.js, scope /customs/): it keeps the
// app shell (the verify page and the files it loaded) and the public lists, so that the page
// opens and verifies without a network. It never keeps any other page: those carry personal
// data, and a shared PC must not show them to the next person.
const CACHE = "lane-v1";
const SHELL = "/customs/verify";
const LISTS = ["/api/v1/trust-list", "/api/v1/revocations"];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// The page names what it loaded (its own address and its static files): kept for offline.
// Once every one is kept, the page is told how many were, so that it can say it opens offline.
self.addEventListener("message", (event) => {
  const urls = (event.data?.keep ?? []).filter((u) => {
    const url = new URL(u, self.location.origin);
    return url.origin === self.location.origin &&
      (url.pathname === SHELL || url.pathname.startsWith("/static/"));
  });
  event.waitUntil(keepAll(urls).then((kept) =>
    event.source?.postMessage({ kept, asked: urls.length })));
});

async function keepAll(urls) {
  const cache = await caches.open(CACHE);
  const done = await Promise.all(urls.map((u) =>
    fetch(u, { credentials: "same-origin" }).then((r) => keep(cache, u, r)).catch(() => false)));
  return done.filter(Boolean).length;
}

async function keep(cache, request, response) {
  // Only a page answered as itself: a redirect to the sign-in page is not the shell.
  if (response.ok && !response.redirected && response.type === "basic") {
    await cache.put(request, response.clone());
    return true;
  }
  return false;
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    await keep(cache, key, response);
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  const fresh = fetch(request).then((r) => keep(cache, request, r).then(() => r));
  if (kept) {
    fresh.catch(() => null);
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    // Only the bare page is the shell: with ?payload= it holds a verdict, never kept.
    event.respondWith(url.search ? fetch(request).catch(() => caches.match(SHELL))
      : networkFirst(request, SHELL));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(request));
  } else if (LISTS.includes(url.pathname)) {
    event.respondWith(networkFirst(request, request));
  }
});

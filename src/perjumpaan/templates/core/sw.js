/* Perjumpaan service worker (rendered by perjumpaan/core/pwa.py; see its docstring).
   Keeps the static shell and an offline page. Pages are never stored (each is somebody's own) and
   anything but GET goes to the network untouched. */
"use strict";

const VERSION = {{ version|safe }};
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};
const PREFIX = "perjumpaan-shell-";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.concat([OFFLINE_URL])))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

function offlinePage() {
  return caches.match(OFFLINE_URL).then((page) => page || new Response(
    "Tidak ada sambungan internet.", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } }
  ));
}

function staticFile(event) {
  // Stale-while-revalidate: the stored copy at once, a fresh one stored behind it for the next time.
  const request = event.request;
  return caches.open(CACHE).then((cache) => cache.match(request).then((stored) => {
    const fresh = fetch(request).then((response) => {
      if (response.ok && response.type === "basic") {
        cache.put(request, response.clone());
      }
      return response;
    });
    if (stored) {
      event.waitUntil(fresh.catch(() => undefined));
      return stored;
    }
    return fresh;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(event));
  }
});

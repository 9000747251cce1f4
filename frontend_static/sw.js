/* Jan Shikayat service worker (served at /sw.js, scope /).
 * Bump VERSION whenever any precached shell file changes. */
const VERSION = "shell-v6";
const CACHE_NAME = `jan-shikayat-${VERSION}`;

const SHELL_FILES = [
  "/",
  "/css/app.css",
  "/js/app.js",
  "/js/i18n.js",
  "/js/api.js",
  "/js/views.js",
  "/js/offline.js",
  "/js/dom.js",
  "/js/pickers.js",
  "/manifest.webmanifest",
  "/icons/icon.svg",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/icon-maskable-512.png",
  "/icons/apple-touch-icon.png",
  "/icons/badge-96.png",
];

// API and probes: always go to the network, never cached.
const NETWORK_ONLY = ["/graphql", "/healthz", "/readyz"];
const STATIC_PREFIXES = ["/css/", "/js/", "/icons/"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // cache: "reload" bypasses the HTTP cache so a new VERSION gets fresh files.
      await cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("jan-shikayat-") && name !== CACHE_NAME)
          .map((name) => caches.delete(name)),
      );
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })(),
  );
});

const isNetworkOnly = (path) =>
  NETWORK_ONLY.some((p) => path === p || path.startsWith(`${p}/`));

const isStaticAsset = (path) =>
  SHELL_FILES.includes(path) || STATIC_PREFIXES.some((p) => path.startsWith(p));

async function networkFirstNavigation(event) {
  const url = new URL(event.request.url);
  try {
    const response = (await event.preloadResponse) || (await fetch(event.request));
    if (url.pathname === "/" && response.ok && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHE_NAME).then((cache) => cache.put("/", copy)));
    }
    return response;
  } catch (error) {
    const cached = await caches.match("/", { cacheName: CACHE_NAME });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(event) {
  const cached = await caches.match(event.request, { cacheName: CACHE_NAME });
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE_NAME).then((cache) => cache.put(event.request, copy)));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // POST /graphql etc.: browser default
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isNetworkOnly(url.pathname)) return; // network only, no respondWith
  if (request.mode === "navigate") {
    event.respondWith(networkFirstNavigation(event));
  } else if (isStaticAsset(url.pathname)) {
    event.respondWith(cacheFirst(event));
  }
});

// Only same-origin URLs may be opened from a notification.
function safeUrl(raw) {
  try {
    const url = new URL(raw || "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : new URL("/", self.location.origin).href;
  } catch {
    return new URL("/", self.location.origin).href;
  }
}

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      const parsed = event.data.json();
      if (parsed && typeof parsed === "object") data = parsed;
    } catch {
      const text = event.data.text();
      if (text) data = { body: text };
    }
  }
  const title =
    typeof data.title === "string" && data.title.trim() ? data.title : "Jan Shikayat / जन शिकायत";
  const body =
    typeof data.body === "string" && data.body.trim()
      ? data.body
      : "There is an update on your grievance. / आपकी शिकायत पर नई जानकारी उपलब्ध है।";
  const grievanceId = data.grievanceId != null ? String(data.grievanceId) : null;
  const options = {
    body,
    icon: "/icons/icon-192.png",
    badge: "/icons/badge-96.png", // monochrome, for the Android status bar
    data: { url: safeUrl(data.url), grievanceId },
  };
  if (grievanceId) {
    options.tag = `grievance-${grievanceId}`; // replace older updates for the same grievance
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = safeUrl(event.notification.data?.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const exact = windows.find((client) => client.url === target);
      if (exact) return exact.focus();
      const existing = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (existing) {
        try {
          const focused = await existing.focus();
          return await (focused || existing).navigate(target);
        } catch {
          /* not controlled by this worker: fall through and open a window */
        }
      }
      return self.clients.openWindow(target);
    })(),
  );
});

// The register's service worker: keeps the register pages and their CSS and script, so a
// register opened once opens again with no signal. Marks never pass through here: they go
// straight from the page to the API (and wait in IndexedDB while offline). Its scope is
// `/register`, so the list of workshops opens offline too.
'use strict';
const ASSETS = ['__CSS_URL__', '__JS_URL__'];
const STATIC = 'cssd-static-' + ASSETS.join('|');
const PAGES = 'cssd-register-pages';

// The kept pages, rosters and log go; marks not yet sent stay (their trainer sends or
// discards them after signing in again).
function forgetKept() {
  const stores = new Promise((resolve) => {
    const open = indexedDB.open('cssd-register', 1);
    open.onupgradeneeded = () => {
      const d = open.result;
      d.createObjectStore('rosters', { keyPath: 'key' });
      d.createObjectStore('pending', { keyPath: 'key' });
      d.createObjectStore('log', { keyPath: 'id', autoIncrement: true });
    };
    open.onsuccess = () => {
      const t = open.result.transaction(['rosters', 'log'], 'readwrite');
      t.objectStore('rosters').clear();
      t.objectStore('log').clear();
      t.oncomplete = () => { open.result.close(); resolve(); };
      t.onerror = () => resolve();
    };
    open.onerror = () => resolve();
  });
  return Promise.all([caches.delete(PAGES), stores]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cssd-static-') && k !== STATIC).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/')) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode === 'navigate' && url.pathname.startsWith('/register')) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.headers.get('x-cssd-offline') === 'keep') {
            const copy = response.clone();
            caches.open(PAGES).then((cache) => cache.put(url.pathname, copy));
          } else if (response.ok) {
            // The server answered a register address with something else (the sign-in form):
            // nobody is signed in, so nothing of the last trainer's stays on the phone.
            event.waitUntil(forgetKept());
          }
          return response;
        })
        .catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
    );
  }
});

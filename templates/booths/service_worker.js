{#- (Jinja comments: not sent to phones.)
The booth staff page, kept for reopening offline (issue 16.4). Scope /b/: every staff link /b/<token>.
- The page: the network's answer first, always; a copy per URL (its token), replaced by each answer that is the
  booth page and forgotten on the app's PIN page or unknown-link 404 (views/offline.py, PAGE_HEADER). The copy
  answers only when there is no network or no app (a 5xx from the proxy in front).
- Its CSS and JS: kept under a name that carries their content hashes; a deploy brings a new worker and name.
- Anything else, the JSON API above all, is never answered here: an entry shows as uploaded only on the
  server's own answer.
-#}
'use strict';
const FILES = {{ files|tojson }};
const KEEP = 'booth-files-{{ version }}';
const PAGES = 'booth-pages';
const PAGE = /^\/b\/[\w-]+$/;
const MARK = '{{ mark }}';

function key(url) { const u = new URL(url); return u.origin + u.pathname; }

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(KEEP).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.indexOf('booth-files-') === 0 && name !== KEEP)
    .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

async function page(request) {
  const pages = await caches.open(PAGES);
  let answer;
  try {
    answer = await fetch(request);
  } catch (offline) {
    const copy = await pages.match(key(request.url), {ignoreVary: true});
    if (copy) return copy;
    throw offline;
  }
  const mark = answer.headers.get(MARK);
  if (mark === '{{ keep }}') await pages.put(key(request.url), answer.clone());
  else if (mark === '{{ forget }}') await pages.delete(key(request.url));
  else if (answer.status >= 500) return (await pages.match(key(request.url), {ignoreVary: true})) || answer;
  return answer;
}

async function file(request) {
  const kept = await caches.match(request);
  if (kept) return kept;
  try {
    return await fetch(request);
  } catch (offline) {
    {#- A page kept before a deploy names the old hash: the current file serves it. #}
    const current = await caches.match(request, {ignoreSearch: true});
    if (current) return current;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (request.mode === 'navigate' && PAGE.test(url.pathname)) event.respondWith(page(request));
  else if (FILES.some((name) => name.split('?')[0] === url.pathname)) event.respondWith(file(request));
});

{# A first visit comes before the worker: the page hands over its own HTML, as the server sent it. #}
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (typeof data.html !== 'string' || typeof data.page !== 'string') return;
  const url = new URL(data.page);
  if (url.origin !== location.origin || !PAGE.test(url.pathname)) return;
  const headers = {'Content-Type': 'text/html; charset=utf-8'};
  headers[MARK] = '{{ keep }}';
  event.waitUntil(caches.open(PAGES).then((pages) => pages.put(key(url), new Response(data.html, {headers: headers}))));
});

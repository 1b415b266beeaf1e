// Opspor service worker, shell version {{ version }}.
// Keeps the app shell: the static files and the offline page, which renders Mine borgere, the
// citizen pages and the forms from the phone's own copy (IndexedDB) when there is no coverage.
// Pages with citizen data are never put in the cache: they are served with no-store.
//
// A form for an observation, a TOBS or a request to a nurse that cannot reach the server is
// queued here, under the form's own id, and the person sees the receipt; the queue is sent
// when the connection returns (Background Sync where the browser has it, else from the page).
importScripts(...{{ scripts | tojson }});
const CACHE = "opspor-shell-{{ version }}";
const SHELL = {{ (shell + ["/offline"]) | tojson }};
const QUEUEABLE = /^\/borgere\/(\d+)\/(observation|tobs|kontakt)$/;
const KINDS = { observation: "observation", tobs: "tobs", kontakt: "kontakt" };

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("opspor-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function shell() {
  return caches.match("/offline");
}

function fieldsOf(form) {
  const fields = {};
  for (const [name, value] of form.entries()) {
    if (name === "csrf_token" || typeof value !== "string") continue;
    (fields[name] = fields[name] || []).push(value);
  }
  return fields;
}

function newId() {
  return self.crypto.randomUUID();
}

// A queueable form that did not reach the server: keep it, and show its receipt.
async function queueForm(request, citizenId, kind) {
  const form = await request.formData();
  const fields = fieldsOf(form);
  // The form's own id (observation and TOBS: client_id, Kontakt sygeplejerske: client_key):
  // if the form did reach the server before the connection died, the replay is the same row.
  const id = ((fields.client_id || fields.client_key || [])[0] || newId()).toLowerCase();
  delete fields.client_id;
  delete fields.client_key;
  if (fields.retter) return shell(); // a correction needs the server: not queued
  const user = (await self.OpsporStore.metaGet("user")) || {};
  const copy = await self.OpsporStore.copyGet();
  const citizen = copy && copy.citizens.find((c) => c.id === citizenId);
  const existing = await self.OpsporStore.queueGet(id);
  if (!existing) {
    await self.OpsporStore.queuePut({
      id, kind, citizen_id: citizenId, at: new Date().toISOString(), fields,
      user_id: user.id || null, user_name: user.name || "", state: "waiting",
      citizen_name: citizen ? citizen.name : "",
    });
  }
  if (self.registration.sync) self.registration.sync.register("opspor-sync").catch(() => {});
  return Response.redirect(`/koe/${id}`, 303);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    const match = QUEUEABLE.exec(url.pathname);
    if (request.mode !== "navigate" || !match || url.search) return;
    const copy = request.clone();
    event.respondWith(fetch(request).catch(() => queueForm(copy, Number(match[1]), KINDS[match[2]])));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(shell));
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "opspor-sync") event.waitUntil(self.OpsporSync.run());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "sync") event.waitUntil(self.OpsporSync.run());
});

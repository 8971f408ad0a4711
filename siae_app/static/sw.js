// Parcours SIAE service worker: keeps the app shell and the ETI's rosters of the day for use
// without network. Never caches anything else (no salarié file, no observation feed).
"use strict";

// The shell is served from this cache whatever the ?v= of the page: a new name each time a
// shell file changes makes installed phones fetch it again (v2: a refused record can be sent again as new).
var SHELL_CACHE = "parcours-shell-v2";
var ROSTER_CACHE = "parcours-rosters-v1";
var SHELL = [
  "/static/css/app.css",
  "/static/css/chantier.css",
  "/static/js/app.js",
  "/static/js/chantier.js",
  "/static/vendor/htmx.min.js",
  "/static/favicon.svg",
  "/static/manifest.webmanifest"
];
// The « Aujourd'hui » page and one team's roster, without a day in the query string.
var ROSTER_PATH = /^\/s\/[^/]+\/presences\/(equipes\/[0-9a-f-]+)?$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k !== SHELL_CACHE && k !== ROSTER_CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function rosterRequest(request, url) {
  return request.method === "GET" && url.origin === self.location.origin &&
    ROSTER_PATH.test(url.pathname) && !url.search && !request.headers.get("HX-Request");
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (SHELL.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(url.pathname).then(function (hit) {
      return hit || fetch(request);
    }));
    return;
  }
  if (rosterRequest(request, url)) {
    // Network first; the copy of the day is used only when the network is gone.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(ROSTER_CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) {
        return hit || new Response("Hors connexion : cette page n'est pas disponible.", {
          status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" }
        });
      });
    }));
  }
});

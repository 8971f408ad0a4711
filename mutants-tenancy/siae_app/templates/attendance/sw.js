// Parcours SIAE service worker: keeps the app shell and the ETI's rosters of the day for use
// without network. Never caches anything else (no salarié file, no observation feed).
// Rendered by /sw.js (attendance/offline.py): the shell is the versioned URLs the pages ask
// for, and the cache is named after them, so a deployment that changes a shell file changes
// this script, the phone installs it, and its activation deletes the old cache.
"use strict";

var SHELL_CACHE = {{ shell_cache|tojson }};
var ROSTER_CACHE = "parcours-rosters-v1";
var SHELL = {{ shell|tojson }};
var SHELL_PATHS = SHELL.map(function (u) { return new URL(u, self.location.href).pathname; });
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

// The kept copy of this very version; another version (a page newer than this worker) comes
// from the network, and only without network does any kept version of the file do.
function shellResponse(request, url) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(url.href).then(function (hit) {
      return hit || fetch(request).catch(function (error) {
        return cache.match(url.pathname, { ignoreSearch: true }).then(function (old) {
          if (old) { return old; }
          throw error;
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (SHELL_PATHS.indexOf(url.pathname) !== -1) {
    event.respondWith(shellResponse(request, url));
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

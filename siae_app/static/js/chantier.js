// Chantier offline queue: attendance marks and observations made without network are kept in
// IndexedDB (with ids created on the phone) and sent when the network is back.
(function () {
  "use strict";
  var DB_NAME = "parcours-chantier";
  var STORE = "queue";
  var QUEUED = "form[data-offline-queue]";

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
  function remove(id) { return withStore("readwrite", function (s) { return s.delete(id); }); }
  function clearAll() { return withStore("readwrite", function (s) { return s.clear(); }); }

  function csrfToken() {
    var page = document.getElementById("page");
    var headers = page && page.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function status(text) {
    var box = document.getElementById("offline-status");
    if (!box && !text) { return; }
    if (!box) {
      box = document.createElement("p");
      box.id = "offline-status";
      box.className = "offline-status";
      box.setAttribute("role", "status");
      var main = document.getElementById("contenu");
      if (main) { main.insertBefore(box, main.firstChild); }
    }
    box.textContent = text;
    box.hidden = !text;
  }

  function currentOwner() {
    var page = document.getElementById("page");
    return (page && page.getAttribute("data-user")) || "";
  }

  function mine(items) {
    var owner = currentOwner();
    return items.filter(function (i) { return owner && i.owner === owner; });
  }

  var needsSignIn = false;

  function statusButton(text, hidden, onClick) {
    var box = document.getElementById("offline-status");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = text;
    if (hidden) {
      var more = document.createElement("span");
      more.className = "visually-hidden";
      more.textContent = hidden;
      button.appendChild(more);
    }
    button.addEventListener("click", onClick);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(button);
  }

  // Refused records stay listed until the person says they have read them.
  function dismissButton(rejected) {
    if (!document.getElementById("offline-status") || !rejected.length) { return; }
    statusButton("J'ai pris connaissance des saisies refusées", "", function () {
      Promise.all(rejected.map(function (i) { return remove(i.id); })).then(showQueue);
    });
  }

  // A record refused because another record holds its id (409) is not lost: the person may
  // send it again as a new record, under new ids.
  function resendButtons(rejected) {
    if (!document.getElementById("offline-status")) { return; }
    rejected.filter(function (i) { return i.idTaken; }).forEach(function (item) {
      statusButton("Renvoyer comme nouvel enregistrement", " : " + item.label, function () {
        renew(item).then(function () { return flush(true); });
      });
    });
  }

  function showQueue() {
    return all().then(function (items) {
      items = mine(items);
      var waiting = items.filter(function (i) { return !i.rejected; });
      var rejected = items.filter(function (i) { return i.rejected; });
      var parts = [];
      if (waiting.length && needsSignIn) {
        parts.push("Session expirée : reconnectez-vous pour envoyer vos saisies (" +
          waiting.length + ")");
      } else if (waiting.length) {
        parts.push("En attente d'envoi (" + waiting.length + ")");
      }
      rejected.forEach(function (i) { parts.push("Refusé : " + i.label + " — " + i.rejected); });
      status(parts.join(" · "));
      resendButtons(rejected);
      dismissButton(rejected);
    });
  }

  // The fields with new record ids: ``id`` for the record, one each for « Tous présents ».
  function withNewIds(fields, id) {
    return fields.map(function (f) {
      if (f[0] === "record_id") { return [f[0], id]; }
      if (f[0].indexOf("rec-") === 0) { return [f[0], newId()]; }
      return f;
    });
  }

  // A form posted while offline: keep its fields, with a record id created here.
  function queue(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, key) { fields.push([key, value]); });
    if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
    var id = newId();
    fields = withNewIds(fields, id);
    var label = form.getAttribute("data-offline-label") || "saisie";
    // Marked with who typed it: it is only ever sent under that person's session.
    var item = { id: id, url: form.action, fields: fields, label: label, at: Date.now(),
                 owner: currentOwner() };
    return put(item)
      .then(function () {
        var row = form.closest("li, section");
        if (row) { row.classList.add("offline-pending"); }
        return showQueue();
      });
  }

  // The refused record becomes a new one waiting to be sent (one transaction: never lost).
  function renew(item) {
    var id = newId();
    var fresh = { id: id, url: item.url, fields: withNewIds(item.fields, id), label: item.label,
                  at: item.at, owner: item.owner };
    return withStore("readwrite", function (s) { s.delete(item.id); return s.put(fresh); });
  }

  var REASONS = {
    403: "votre rôle ne permet plus cette saisie",
    404: "ce salarié n'est plus dans vos équipes, ou sa fiche n'existe plus",
    409: "son identifiant est déjà celui d'un autre enregistrement"
  };

  function reason(status, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var error = doc.querySelector(".error");
    if (error) { return error.textContent.trim(); }
    return REASONS[status] || "refusé par le serveur (code " + status + ")";
  }

  var sending = false;
  function flush(reload) {
    if (sending || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    return all().then(function (items) {
      var chain = Promise.resolve();
      var sent = 0;
      needsSignIn = false;
      mine(items).filter(function (i) { return !i.rejected; }).forEach(function (item) {
        chain = chain.then(function () {
          if (needsSignIn) { return null; }
          var body = new URLSearchParams();
          // The token typed with the form may belong to a session that has ended since:
          // the current one goes in the header instead.
          item.fields.forEach(function (f) {
            if (f[0] !== "csrf_token") { body.append(f[0], f[1]); }
          });
          return fetch(item.url, {
            method: "POST", body: body, credentials: "same-origin", redirect: "manual",
            // The server answers 401 (not a redirect to the login page) to a replay whose
            // session has ended, so the record stays queued until the person signs in again.
            headers: { "X-CSRFToken": csrfToken(), "X-Offline-Replay": "1" }
          }).then(function (response) {
            if (response.status === 401) {
              needsSignIn = true;
              return null;
            }
            if (response.type === "opaqueredirect" || response.ok) {
              sent += 1;
              return remove(item.id);
            }
            if (response.status >= 400 && response.status < 500) {
              return response.text().then(function (html) {
                item.rejected = reason(response.status, html);
                item.idTaken = response.status === 409;
                return put(item);
              });
            }
            return null; // a server error: try again later
          });
        });
      });
      return chain.then(function () { return sent; });
    }).then(function (sent) {
      sending = false;
      return showQueue().then(function () {
        if (sent) {
          status("Saisies envoyées (" + sent + ").");
          if (reload) { window.location.reload(); }
        }
      });
    }, function () { sending = false; });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form.matches(QUEUED)) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    queue(form, event.submitter);
  }, true);

  // htmx posts: queue them instead when there is no network.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (navigator.onLine || !form.matches || !form.matches(QUEUED)) { return; }
    event.preventDefault();
    queue(form, event.detail.triggerEvent && event.detail.triggerEvent.submitter);
  });

  // Sign-out: send what can be sent; if something could not be, say what and let the person
  // stay signed in (to retry with the network) or leave and lose it. Then forget this person's
  // queue and the cached pages.
  function forgetMine() {
    return all().then(function (items) {
      return Promise.all(mine(items).map(function (i) { return remove(i.id); }));
    });
  }

  function unsentWarning(items) {
    var labels = items.map(function (i) {
      return "- " + i.label + (i.rejected ? " (refusé : " + i.rejected + ")" : "");
    });
    return items.length + " saisie(s) n'ont pas pu être envoyées :\n" + labels.join("\n") +
      "\n\nSe déconnecter quand même ? Elles seront perdues.";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.action || form.action.indexOf("/deconnexion") === -1 || form.dataset.cleared) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation(); // htmx (boost) must not sign out before the queue is sent
    var done = function () { form.dataset.cleared = "1"; form.submit(); };
    var leave = function () {
      return forgetMine().then(function () {
        return window.caches ? caches.keys().then(function (keys) {
          return Promise.all(keys.map(function (k) { return caches.delete(k); }));
        }) : null;
      }).then(done, done);
    };
    flush(false).then(all).then(function (items) {
      var left = mine(items);
      if (left.length && !window.confirm(unsentWarning(left))) { return null; }
      return leave();
    }, leave);
  }, true);

  window.addEventListener("online", function () { flush(true); });
  window.addEventListener("offline", function () { status("Hors connexion : vos saisies seront envoyées au retour du réseau."); });

  // Only a signed-in page installs the offline shell: after sign-out nothing is cached again.
  var page = document.getElementById("page");
  var signedIn = page && page.hasAttribute("data-user");
  if ("serviceWorker" in navigator && signedIn) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
  if (window.indexedDB) { showQueue().then(function () { return flush(true); }); }
})();

// Chantier offline queue: attendance marks and observations made without network are kept in
// IndexedDB (with ids created on the phone) and sent when the network is back.
(function () {
  "use strict";
  var DB_NAME = "parcours-chantier";
  var STORE = "queue";
  // A roster's list says it once for the forms of its rows.
  var QUEUED = "form[data-offline-queue], [data-offline-queue] form";

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
  function get(id) { return withStore("readonly", function (s) { return s.get(id); }); }
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

  // The name on a roster row (its forms and links do not repeat it), or on the row a panel
  // was opened from.
  function rowName(elt) {
    var panel = elt.closest("dialog");
    var row = elt.closest("li.att-row") || (panel && panel.returnRow);
    var name = row && row.querySelector(".att-name");
    return name ? name.textContent : "";
  }

  // A form posted while offline: keep its fields, with a record id created here.
  function queue(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, key) { fields.push([key, value]); });
    if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
    var id = newId();
    fields = withNewIds(fields, id);
    var label = form.getAttribute("data-offline-label") || rowName(form) || "saisie";
    // Marked with who typed it: it is only ever sent under that person's session.
    var item = { id: id, url: form.action, fields: fields, label: label, at: Date.now(),
                 owner: currentOwner() };
    return put(item)
      .then(function () {
        var panel = form.closest("dialog");
        var row = (panel && panel.returnRow) || form.closest("li, section");
        if (row) { row.classList.add("offline-pending"); }
        if (panel && panel.open) { panel.close(); }
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

  // ---------------------------------------------------------------- the roster's rows
  // After a mark, the roster is swapped in again: the focus goes back to the row just changed
  // (or to the roster after « Tous présents »), not to the top of the page.
  var changed = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var panel = elt.closest && elt.closest("dialog.att-panel");
    var row = panel ? panel.returnRow : elt.closest && elt.closest("li.att-row");
    var roster = elt.closest && elt.closest("section.roster");
    changed = row ? row.id : (roster ? roster.id : null);
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!changed) { return; }
    var target = document.getElementById(changed);
    changed = null;
    if (target) { target.focus({ preventScroll: true }); }
  });

  // ------------------------------------------------------------ the roster's panels
  // « Observation » (and « Situation urgente ») on a row opens the roster's panel for that
  // person. What is typed goes through the queue above: sent at once with network; without,
  // kept on the phone and sent later. The form is cleared either way and says which, next to
  // its button (the form's data-saved and data-kept words).
  var OFFLINE_SAVED = "Enregistrée sur le téléphone, envoi au retour du réseau.";
  var typed = {}; // what was typed for each person and not saved, while the page lives

  function say(form, text, isError) {
    var box = form.querySelector("[data-quick-status]");
    box.textContent = text;
    box.classList.toggle("is-error", !!isError);
  }

  function fill(form, fields) {
    form.reset();
    fields.forEach(function (f) {
      var name = f[0];
      var value = f[1];
      if (name === "text") { form.elements.text.value = value; return; }
      Array.prototype.forEach.call(form.querySelectorAll("input[name='" + name + "']"), function (el) {
        if ((el.type === "checkbox" || el.type === "radio") && el.value === value) { el.checked = true; }
      });
    });
  }

  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, key) { fields.push([key, value]); });
    return fields;
  }

  function keepTyped(form) {
    var text = form && form.elements.text;
    if (text && form.action && text.value.trim()) { typed[form.action] = fieldsOf(form); }
  }

  function openPanel(dialog, link) {
    var form = dialog.querySelector("form");
    if (form.action !== link.href) {
      keepTyped(form);
      if (typed[link.href]) { fill(form, typed[link.href]); } else { form.reset(); }
      say(form, "");
    }
    var name = link.getAttribute("data-name") || rowName(link);
    var from = link.closest("dialog"); // « Situation urgente » in a row's « … » panel
    form.action = link.href;
    form.setAttribute("data-offline-label",
      (form.getAttribute("data-label") || "Saisie") + " : " + name);
    dialog.querySelector("[data-panel-name]").textContent = name;
    dialog.returnRow = link.closest("li") || (from && from.returnRow);
    if (from) { from.close(); }
    dialog.showModal();
    form.elements.text.focus();
  }

  // A row's « Absent » or « … »: the roster's shared panel, filled from the row. The forms get
  // the row's own new record id, so that a mark sent twice (a replay) stays one record.
  function openRowPanel(dialog, link) {
    var row = link.closest("li.att-row");
    var id = row.id.slice(4); // att-<employee id>
    var present = row.querySelector("input[name=record_id]");
    var name = rowName(link);
    Array.prototype.forEach.call(dialog.querySelectorAll("form"), function (form) {
      form.reset();
      form.elements.employee_id.value = id;
      form.elements.record_id.value = present ? present.value : newId();
      form.setAttribute("data-offline-label", name);
    });
    var detail = dialog.querySelector(".att-detail");
    if (detail) { // the row's state, or the day's contract hours
      detail.elements.status.value = link.getAttribute("data-status") || "present";
      detail.elements.late_minutes.value = link.getAttribute("data-late") || "";
      detail.elements.hours_worked.value = link.getAttribute("data-hours") || "";
    }
    var report = dialog.querySelector("a[data-report]");
    if (report) { report.href = report.getAttribute("data-report").replace("{id}", id); }
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-panel-name]"), function (span) {
      span.textContent = name;
    });
    dialog.returnRow = row;
    dialog.showModal();
    var first = dialog.querySelector("form button, form select, a.button");
    if (first) { first.focus(); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-panel], a[data-sheet]");
    if (link) {
      var sheet = link.getAttribute("data-sheet");
      var roster = link.closest("section.roster");
      var panel = link.getAttribute("data-panel");
      // A row names its roster's panel without the team id (« obs-panel »): the roster has it.
      var dialog = sheet ? roster && roster.querySelector("dialog[data-sheet='" + sheet + "']")
        : document.getElementById(panel) ||
          (roster && document.getElementById(panel + "-" + roster.id.replace("roster-", "")));
      // Before htmx: its boost would load the page into the roster (the rows' htmx target).
      event.stopPropagation();
      if (!dialog || typeof dialog.showModal !== "function") { return; } // the page instead
      event.preventDefault();
      if (sheet) { openRowPanel(dialog, link); } else { openPanel(dialog, link); }
      return;
    }
    var close = event.target.closest && event.target.closest("[data-close-panel]");
    if (close) { close.closest("dialog").close(); }
  }, true);

  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (!dialog.matches || !dialog.matches("dialog.quick-panel")) { return; }
    keepTyped(dialog.querySelector("form"));
    if (dialog.returnRow && document.contains(dialog.returnRow)) {
      dialog.returnRow.focus({ preventScroll: true });
    }
  }, true);

  // « Autres compétences »: a filter over the labels in the page (no network needed).
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-filter-toggles]")) { return; }
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(box.parentNode.querySelectorAll(".toggle[data-label]"), function (t) {
      var label = t.getAttribute("data-label");
      var checked = t.querySelector("input").checked;
      t.hidden = !checked && !words.every(function (w) { return label.indexOf(w) !== -1; });
    });
  });

  function saveQuick(form) {
    if (!form.elements.text.value.trim()) {
      say(form, "Écrivez quelques mots avant d'enregistrer.", true);
      form.elements.text.focus();
      return Promise.resolve();
    }
    var id = newId();
    var item = { id: id, url: form.action, fields: withNewIds(fieldsOf(form), id),
                 label: form.getAttribute("data-offline-label") || "Saisie",
                 at: Date.now(), owner: currentOwner() };
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(form, "Enregistrement…");
    return put(item).then(function () {
      form.reset();
      delete typed[form.action];
      var kept = form.getAttribute("data-kept") || OFFLINE_SAVED;
      if (!navigator.onLine) { say(form, kept); return showQueue(); }
      return flush(false).then(function () { return get(id); }).then(function (left) {
        if (!left) { say(form, form.getAttribute("data-saved") || "Enregistré."); return null; }
        if (left.rejected) {
          // Refused (too long, no longer in your teams…): the text comes back to be corrected,
          // and is sent again as a new record.
          return remove(id).then(function () {
            fill(form, left.fields);
            say(form, "Non enregistrée : " + left.rejected, true);
            return showQueue();
          });
        }
        say(form, needsSignIn
          ? "Session expirée : la saisie est gardée sur le téléphone, reconnectez-vous pour l'envoyer."
          : kept);
        return null;
      });
    }).then(function () { button.disabled = false; }, function () {
      button.disabled = false;
      say(form, "La saisie n'a pas pu être gardée sur ce téléphone : réessayez.", true);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-quick]")) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    saveQuick(form);
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

// Small progressive enhancements; the app works without JavaScript.
// Habits every screen inherits: the tab forgets everything at sign-out, a request in flight
// shows it, a failed request says so in French and keeps what was typed, a form sent after the
// session expired is restored after signing in again, menus close on Escape or a tap outside.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function pageData(name) {
    var page = document.getElementById("page");
    return page ? page.getAttribute("data-" + name) : null;
  }
  function pageHas(name) {
    var page = document.getElementById("page");
    return !!(page && page.hasAttribute("data-" + name));
  }
  function say(id, text) {
    var region = document.getElementById(id);
    if (!region) { return; }
    region.textContent = "";
    if (text) {
      var p = document.createElement("p");
      p.className = "flash flash-info";
      p.textContent = text;
      region.appendChild(p);
    }
  }

  // ------------------------------------------------------------ the tab forgets at sign-out
  function clearTab() {
    try { window.sessionStorage.clear(); } catch (e) { /* storage disabled */ }
    try { window.localStorage.clear(); } catch (e) { /* storage disabled */ }
    if (window.caches && window.caches.keys) {
      window.caches.keys().then(function (keys) {
        keys.forEach(function (key) { window.caches.delete(key); });
      }).catch(function () {});
    }
  }

  // ------------------------------------------------------------ drafts (session expiry)
  // Before a form is sent, its fields go to this tab's sessionStorage under the person's
  // marker (data-user, a keyed hash). If the session had expired, the login page says so and
  // the draft waits; after signing in again as the same person, the form page reopens with
  // the fields filled. Any other outcome deletes the draft; another person never gets it.
  var DRAFT = "siae-draft:";
  var SKIPPED = { password: 1, hidden: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function drafts() {
    var store = storage();
    var found = [];
    if (!store) { return found; }
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(DRAFT) === 0) {
        try { found.push({ key: key, draft: JSON.parse(store.getItem(key)) }); } catch (e) { found.push({ key: key, draft: null }); }
      }
    }
    return found;
  }
  function fieldsOf(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || SKIPPED[el.type] || el.name === "csrf_token") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        fields.push({ name: el.name, value: el.value, checked: el.checked });
      } else if (el.tagName === "SELECT" && el.multiple) {
        fields.push({ name: el.name, values: Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) });
      } else {
        fields.push({ name: el.name, value: el.value });
      }
    });
    return fields;
  }
  function saveDraft(form) {
    var owner = pageData("user");
    var store = storage();
    if (!owner || !store || (form.method || "").toLowerCase() !== "post") { return; }
    var fields = fieldsOf(form);
    if (!fields.some(function (f) { return f.value || f.checked || (f.values && f.values.length); })) { return; }
    var draft = {
      owner: owner,
      path: location.pathname + location.search,
      form: Array.prototype.indexOf.call(document.forms, form),
      fields: fields,
      state: "sent"
    };
    try { store.setItem(DRAFT + location.pathname, JSON.stringify(draft)); } catch (e) { /* full */ }
  }
  function markSentDraftsPending() {
    var store = storage();
    var pending = 0;
    drafts().forEach(function (item) {
      if (item.draft && (item.draft.state === "sent" || item.draft.state === "pending")) {
        item.draft.state = "pending";
        store.setItem(item.key, JSON.stringify(item.draft));
        pending++;
      }
    });
    if (pending) {
      say("draft-status", "Votre saisie est gardée dans cet onglet : elle sera restaurée après la reconnexion.");
    }
  }
  function setField(form, field) {
    var named = form.querySelectorAll("[name]");
    Array.prototype.forEach.call(named, function (el) {
      if (el.name !== field.name) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.value === field.value) { el.checked = !!field.checked; }
      } else if (el.tagName === "SELECT" && el.multiple && field.values) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = field.values.indexOf(o.value) >= 0; });
      } else if (field.value !== undefined) {
        el.value = field.value;
      }
    });
  }
  function restoreDraft(draft) {
    var form = document.forms[draft.form];
    if (!form || (form.method || "").toLowerCase() !== "post") { return false; }
    draft.fields.forEach(function (field) { setField(form, field); });
    say("draft-status", "Votre saisie a été restaurée, vérifiez-la puis enregistrez.");
    return true;
  }
  function settleDrafts() {
    var store = storage();
    if (!store) { return; }
    if (pageHas("signed-out")) { clearTab(); return; }
    if (pageHas("session-expired")) { markSentDraftsPending(); return; }
    var owner = pageData("user");
    if (!owner) { return; }
    drafts().forEach(function (item) {
      var draft = item.draft;
      if (!draft || draft.owner !== owner || draft.state !== "pending") {
        store.removeItem(item.key);  // sent while signed in, or someone else's
        return;
      }
      if (draft.path.split("?")[0] === location.pathname) {
        store.removeItem(item.key);
        restoreDraft(draft);
      } else if (!draft.reopened && draft.path.charAt(0) === "/" && draft.path.charAt(1) !== "/") {
        draft.reopened = true;
        store.setItem(item.key, JSON.stringify(draft));
        location.assign(draft.path);
      } else {
        store.removeItem(item.key);
      }
    });
  }
  document.addEventListener("submit", function (event) { saveDraft(event.target); }, true);

  // ------------------------------------------------------------ requests in flight
  // A file upload may take long on a phone network: no time limit for it (the others give
  // up after htmx.config.timeout and say so).
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.tagName === "FORM" && elt.querySelector("input[type=file]")) { event.detail.timeout = 0; }
  });
  var inFlight = 0;
  var lastFailed = null;
  function controlsOf(elt) {
    if (elt.tagName === "FORM") {
      return Array.prototype.slice.call(elt.querySelectorAll("button:not([type=button]), input[type=submit]"));
    }
    return elt.tagName === "BUTTON" ? [elt] : [];
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    hideFailure();
    inFlight++;
    root.classList.add("is-busy");
    elt.setAttribute("aria-busy", "true");
    elt.siaeDraftPath = location.pathname;
    elt.siaeDisabled = controlsOf(elt).filter(function (c) { return !c.disabled; });
    elt.siaeDisabled.forEach(function (c) { c.disabled = true; });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    inFlight = Math.max(0, inFlight - 1);
    if (!inFlight) { root.classList.remove("is-busy"); }
    elt.removeAttribute("aria-busy");
    (elt.siaeDisabled || []).forEach(function (c) { c.disabled = false; });
    elt.siaeDisabled = null;
    var xhr = event.detail.xhr;
    var redirect = xhr && xhr.getResponseHeader && xhr.getResponseHeader("HX-Redirect");
    if (redirect && redirect.indexOf("session=expiree") >= 0) {
      markSentDraftsPending();
    } else if (elt.tagName === "FORM" && xhr && xhr.status && xhr.status < 500) {
      var store = storage();
      if (store) { store.removeItem(DRAFT + (elt.siaeDraftPath || location.pathname)); }
    }
  });

  // ------------------------------------------------------------ failures, said in French
  var MESSAGES = {
    network: "La connexion au serveur a échoué : vérifiez votre réseau. Ce que vous avez saisi est conservé.",
    timeout: "Le serveur ne répond pas assez vite. Ce que vous avez saisi est conservé.",
    server: "Le serveur a rencontré une erreur. Ce que vous avez saisi est conservé ; réessayez dans un instant."
  };
  function hideFailure() {
    var region = document.getElementById("net-status");
    if (region) { region.textContent = ""; region.classList.remove("shown"); }
  }
  function showFailure(kind, detail) {
    lastFailed = { elt: detail.elt, config: detail.requestConfig || null, target: detail.target || null };
    var region = document.getElementById("net-status");
    if (!region) { return; }
    region.textContent = "";
    var text = document.createElement("p");
    text.textContent = MESSAGES[kind];
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "button primary";
    retry.setAttribute("data-net-retry", "");
    retry.textContent = "Réessayer";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button";
    close.setAttribute("data-net-close", "");
    close.textContent = "Fermer";
    var actions = document.createElement("p");
    actions.className = "net-actions";
    actions.appendChild(retry);
    actions.appendChild(close);
    region.appendChild(text);
    region.appendChild(actions);
    region.classList.add("shown");
  }
  function retryLast() {
    var failed = lastFailed;
    hideFailure();
    if (!failed || !document.body.contains(failed.elt)) { location.reload(); return; }
    var elt = failed.elt;
    if (elt.tagName === "FORM") {
      if (elt.requestSubmit) { elt.requestSubmit(); } else { window.htmx.trigger(elt, "submit"); }
    } else if (elt.tagName === "A" || elt.tagName === "BUTTON") {
      elt.click();
    } else if (failed.config && window.htmx) {
      window.htmx.ajax(failed.config.verb.toUpperCase(), failed.config.path, { source: elt, target: failed.target });
    }
  }
  document.addEventListener("htmx:sendError", function (event) { showFailure("network", event.detail); });
  document.addEventListener("htmx:timeout", function (event) { showFailure("timeout", event.detail); });
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 500) { showFailure("server", event.detail); }
  });

  // ------------------------------------------------------------ menus
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.open = false; }
    });
  }
  function setNav(toggle, open) {
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (nav) { nav.classList.toggle("open", open); }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest("[data-net-retry]")) { retryLast(); return; }
    if (target.closest("[data-net-close]")) { hideFailure(); return; }
    var toggle = target.closest(".nav-toggle");
    if (toggle) { setNav(toggle, toggle.getAttribute("aria-expanded") !== "true"); }
    closeMenus(target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.menu[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
      return;
    }
    var toggle = document.querySelector(".nav-toggle[aria-expanded=true]");
    if (toggle) { setNav(toggle, false); toggle.focus(); }
  });

  // ------------------------------------------------------------ each page
  function onPage() {
    try {
      // Nothing of a page is ever kept by htmx (historyCacheSize 0); older copies go too.
      window.sessionStorage.removeItem("htmx-history-cache");
      window.localStorage.removeItem("htmx-history-cache");
    } catch (e) { /* storage disabled */ }
    settleDrafts();
  }
  // After a boosted navigation, move focus to the new content for screen-reader users.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.boosted) {
      var main = document.getElementById("contenu");
      if (main) { main.focus({ preventScroll: true }); }
      onPage();
    }
  });
  // A link to copy is selected entirely on focus.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("copy-field")) {
      event.target.select();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();

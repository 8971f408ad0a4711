// Invitation and password-reset links carry their token after "#": a browser never sends it
// to the server (no access log, no Referer). This reads it, removes it from the address bar
// and the history, and posts it in the body of the page's form (blueprints/auth/link_codes.py).
// Without JavaScript, the same form asks the person to paste the link.
(function () {
  "use strict";
  var code = window.location.hash.slice(1);
  var form = document.querySelector("form[data-link-code]");
  if (!code || !form) { return; }
  window.history.replaceState(window.history.state, "", window.location.pathname);
  try { code = decodeURIComponent(code); } catch (e) { /* sent as it is: the server says */ }
  form.elements.code.value = code;
  form.submit();
})();

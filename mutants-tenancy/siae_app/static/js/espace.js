// « Mon espace »: the personal link carries its secret after « # », which the browser never
// sends to the server (no server log, no Referer). This copies it into the code form; the
// address keeps it, so a bookmark or a home-screen shortcut still opens the same form.
// Without JavaScript, the form asks the person to paste the link.
(function () {
  "use strict";
  var form = document.querySelector("form[data-space-link]");
  if (!form) { return; }
  var secret = window.location.hash.slice(1);
  if (!secret) { return; }
  try { secret = decodeURIComponent(secret); } catch (e) { /* sent as it is: the server says */ }
  form.elements.lien.value = secret;
  var pasted = form.querySelector("[data-link-missing]");
  if (pasted) { pasted.hidden = true; }
})();

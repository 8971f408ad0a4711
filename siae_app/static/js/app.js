// Small progressive enhancements; the app works without JavaScript.
(function () {
  "use strict";
  // After a boosted navigation, move focus to the new content for screen-reader users.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.boosted) {
      var main = document.getElementById("contenu");
      if (main) { main.focus({ preventScroll: true }); }
    }
  });
  // A link to copy is selected entirely on focus.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("copy-field")) {
      event.target.select();
    }
  });
})();

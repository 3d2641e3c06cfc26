// On a narrow screen the site navigation folds behind a "Menu" button, so that a page's own
// content starts near the top of a phone's screen. Without JavaScript the navigation stays open.
(function () {
  "use strict";
  var list = document.getElementById("site-nav");
  var button = document.getElementById("nav-toggle");
  if (!list || !button) return;
  document.documentElement.classList.add("nav-folds");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.classList.toggle("open", open);
  });
})();

// Live updates, without a framework: a page whose <main> has data-live follows
// /api/v1/events and, when a fact it shows is published, fetches itself again and
// swaps in the new <main>. data-live="*" follows every fact; "task:CODE" the facts
// of one task. Without JavaScript (or EventSource) the page simply stays as served.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live]");
  if (!main || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var filter = main.getAttribute("data-live");
  var timer = null;

  function concerns(fact) {
    if (filter === "*") return true;
    var split = filter.indexOf(":");
    var field = filter.slice(0, split);
    return split > 0 && fact.fields && fact.fields[field] === filter.slice(split + 1);
  }

  function busy() {
    // Never replace a form someone is filling in; try again at the next event.
    var active = document.activeElement;
    return active && main.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function refresh() {
    timer = null;
    if (busy()) return;
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html || busy()) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (!fresh) return;
        main.innerHTML = fresh.innerHTML;
        main.setAttribute("data-updated", new Date().toISOString());
      })
      .catch(function () { /* the next event tries again */ });
  }

  function schedule() {
    if (!timer) timer = window.setTimeout(refresh, 100);
  }

  var source = new EventSource("/api/v1/events");
  source.addEventListener("open", function () { main.setAttribute("data-live-connected", "true"); });
  ["report-accepted", "value-approved", "ranking-published", "task-overdue"].forEach(function (name) {
    source.addEventListener(name, function (event) {
      var fact;
      try { fact = JSON.parse(event.data); } catch (error) { return; }
      if (concerns(fact)) schedule();
    });
  });
  source.addEventListener("reload", schedule);
})();

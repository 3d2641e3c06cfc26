// Live updates, without a framework: a page whose <main> has data-live follows
// /api/v1/events and, when a fact it shows is published, fetches itself again and
// swaps in the new <main>. data-live="*" follows every fact; "task:CODE" the facts
// of one task. Without JavaScript (or EventSource) the page simply stays as served.
(function () {
  "use strict";
  var main = document.querySelector("main[data-live]");
  if (!main || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var filter = main.getAttribute("data-live");
  // The kinds of facts the page follows; every kind unless it names some.
  var kinds = (main.getAttribute("data-live-events") ||
    "report-accepted value-approved ranking-published task-overdue").split(" ");
  // Announced politely to screen readers after each update (the layout's live region).
  var status = document.getElementById("live-status");
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
        var focus = focusKey();
        main.innerHTML = fresh.innerHTML;
        restoreFocus(focus);
        main.setAttribute("data-updated", new Date().toISOString());
        if (status) {
          // A change of text is what a live region announces.
          status.textContent = "";
          window.setTimeout(function () { status.textContent = status.getAttribute("data-text"); }, 50);
        }
      })
      .catch(function () { /* the next event tries again */ });
  }

  // Where the keyboard focus is inside <main>, so that the same control has it after an update:
  // by id, else by the link's address or the control's name and its place among its likes.
  function focusKey() {
    var active = document.activeElement;
    if (!active || active === main || !main.contains(active)) return null;
    if (active.id) return { selector: "#" + CSS.escape(active.id), index: 0 };
    var selector = active.tagName.toLowerCase();
    if (active.getAttribute("href")) selector += '[href="' + CSS.escape(active.getAttribute("href")) + '"]';
    else if (active.name) selector += '[name="' + CSS.escape(active.name) + '"]';
    var likes = Array.prototype.slice.call(main.querySelectorAll(selector));
    return { selector: selector, index: Math.max(0, likes.indexOf(active)) };
  }

  function restoreFocus(key) {
    if (!key) return;
    var found = main.querySelectorAll(key.selector)[key.index];
    if (found) { found.focus({ preventScroll: true }); return; }
    // What had the focus is gone: the focus stays in the content, not back at the page's top.
    main.setAttribute("tabindex", "-1");
    main.focus({ preventScroll: true });
  }

  function schedule() {
    if (!timer) timer = window.setTimeout(refresh, 100);
  }

  var source = new EventSource("/api/v1/events");
  source.addEventListener("open", function () { main.setAttribute("data-live-connected", "true"); });
  kinds.forEach(function (name) {
    source.addEventListener(name, function (event) {
      var fact;
      try { fact = JSON.parse(event.data); } catch (error) { return; }
      if (concerns(fact)) schedule();
    });
  });
  source.addEventListener("reload", schedule);
})();

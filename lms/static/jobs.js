// Job run page: polls the run's JSON every 2 s and updates the progress until it finishes,
// then reloads once to show the result. Without JavaScript, a <noscript> refresh does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.getAttribute("data-job-finished") === "true" || !window.fetch) { return; }
  var url = box.getAttribute("data-job-status-url");
  function part(name) { return box.querySelector('[data-job-field="' + name + '"]'); }
  function show(state) {
    var bar = part("bar"), count = part("count"), message = part("message"), waiting = part("waiting");
    var status = part("status"), lang = document.documentElement.lang || undefined;
    if (status && state.status_label) { status.textContent = state.status_label; }
    if (bar && state.total) { bar.max = state.total; bar.value = state.done; }
    if (count && state.total) { count.textContent = state.done.toLocaleString(lang) + " / " + state.total.toLocaleString(lang); }
    if (message) { message.textContent = state.message || ""; }
    if (waiting) { waiting.hidden = !state.waiting_for_worker; }
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        show(state);
        if (state.finished) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();

// Attempt page: saves answers as they change (fetch POST to data-autosave-url, the same fields
// as the form) and counts down from the seconds the server gave. Without JavaScript the form
// still works: its buttons save, move between pages and submit by a normal POST.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("save-status");
  var timerValue = document.getElementById("timer-value");
  var timer = null;
  var inflight = false;
  var dirty = false;
  var finishing = false;
  var deadline = null;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function schedule(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, ms);
  }

  function save() {
    if (inflight) {
      dirty = true;
      return;
    }
    inflight = true;
    dirty = false;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { code: response.status, body: body };
        });
      })
      .then(function (result) {
        if (result.code === 409 && result.body.closed) {
          finishing = true;
          window.location.assign(result.body.review);
          return;
        }
        if (result.body.saved) {
          say(form.dataset.savedText);
          if (typeof result.body.seconds_left === "number") {
            setDeadline(result.body.seconds_left);
          }
        } else {
          dirty = true;
        }
      })
      .catch(function () {
        say(form.dataset.offlineText);
        dirty = true;
      })
      .then(function () {
        inflight = false;
        if (dirty && !finishing) {
          schedule(3000);
        }
      });
  }

  function changed(delay) {
    dirty = true;
    say(form.dataset.savingText);
    schedule(delay);
  }

  form.addEventListener("change", function () {
    changed(200);
  });
  form.addEventListener("input", function (event) {
    var tag = event.target.tagName;
    if (tag === "TEXTAREA" || (tag === "INPUT" && event.target.type === "text")) {
      changed(1500);
    }
  });
  form.addEventListener("submit", function () {
    finishing = true;
    window.clearTimeout(timer);
  });
  window.addEventListener("online", function () {
    if (dirty) {
      save();
    }
  });

  function setDeadline(seconds) {
    deadline = Date.now() + seconds * 1000;
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    timerValue.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    if (left <= 0 && !finishing) {
      finishing = true;
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "finish";
      form.appendChild(action);
      form.submit();
    }
  }

  if (timerValue && form.dataset.secondsLeft !== "") {
    setDeadline(parseInt(form.dataset.secondsLeft, 10));
    window.setInterval(tick, 1000);
  }
})();

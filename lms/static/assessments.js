// Attempt page: saves answers as they change (fetch POST to data-autosave-url, the same fields
// as the form), counts down from the seconds the server gave, keeps the answered counter up to
// date and asks before submitting, naming how many questions are unanswered. Every text comes
// from the template (data-* attributes), translated. Without JavaScript the form still works:
// its buttons save, move between pages and submit by a normal POST.
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

  // The answered counter: the questions answered on this page (as the form holds them now)
  // plus those answered on the test's other pages (from the server).
  var counter = document.getElementById("answered");
  var total = parseInt(form.dataset.questions, 10) || 0;
  var elsewhere = parseInt(form.dataset.answeredElsewhere, 10) || 0;

  function isAnswered(question) {
    var fields = question.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i += 1) {
      var field = fields[i];
      if (field.type === "hidden") {
        continue;
      }
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) {
          return true;
        }
      } else if (field.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function answeredCount() {
    var questions = form.querySelectorAll("fieldset.question:not([data-info])");
    var count = elsewhere;
    for (var i = 0; i < questions.length; i += 1) {
      if (isAnswered(questions[i])) {
        count += 1;
      }
    }
    return Math.min(count, total);
  }

  function showCount() {
    if (counter && form.dataset.answeredText) {
      counter.textContent = form.dataset.answeredText
        .replace("{answered}", String(answeredCount()))
        .replace("{total}", String(total));
    }
  }

  form.addEventListener("change", showCount);
  form.addEventListener("input", showCount);

  // Submitting asks first: a dialog saying how many questions are still unanswered.
  var dialog = document.getElementById("finish-dialog");
  var dialogText = document.getElementById("finish-dialog-text");

  function unansweredText() {
    var missing = total - answeredCount();
    if (missing <= 0) {
      return form.dataset.allAnsweredText;
    }
    var pattern = missing === 1 ? form.dataset.unansweredOne : form.dataset.unansweredOther;
    return pattern.replace("{count}", String(missing));
  }

  function finishNow() {
    finishing = true;
    window.clearTimeout(timer);
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "finish";
    form.appendChild(action);
    form.submit();
  }

  function askToFinish() {
    var text = unansweredText();
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(text + "\n" + (dialog ? dialog.querySelector("h2").textContent : ""))) {
        finishNow();
      }
      return;
    }
    dialogText.textContent = text;
    dialog.showModal();
    document.getElementById("finish-cancel").focus();
  }

  var finishButton = document.getElementById("finish");
  if (finishButton) {
    finishButton.addEventListener("click", function (event) {
      event.preventDefault();
      askToFinish();
    });
  }

  if (dialog) {
    document.getElementById("finish-confirm").addEventListener("click", function () {
      dialog.close();
      finishNow();
    });
    document.getElementById("finish-cancel").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (!finishing && finishButton) {
        finishButton.focus();
      }
    });
  }

  // The status line is sticky: a question reached by a link or by the keyboard scrolls to
  // just below it, never under it.
  var statusLine = document.getElementById("attempt-status");

  function keepClearOfStatus() {
    if (statusLine) {
      document.documentElement.style.scrollPaddingTop = statusLine.offsetHeight + 8 + "px";
    }
  }

  keepClearOfStatus();
  window.addEventListener("resize", keepClearOfStatus);

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
      if (dialog && dialog.open) {
        dialog.close();
      }
      finishNow();
    }
  }

  if (timerValue && form.dataset.secondsLeft !== "") {
    setDeadline(parseInt(form.dataset.secondsLeft, 10));
    window.setInterval(tick, 1000);
  }
})();

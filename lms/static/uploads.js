// Upload forms: a file larger than its field allows (data-max-bytes) is refused at the field
// as soon as it is chosen, with the field's own message (data-too-large, translated by the
// server), and the form is not sent, so nothing else typed is lost and no large upload is
// wasted. Without JavaScript the server refuses it and says the same at the field.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[type=file][data-max-bytes]");
  if (!inputs.length || !window.File) {
    return;
  }

  function errorOf(input) {
    return document.getElementById(input.id + "-error");
  }

  function tooLarge(input) {
    var limit = parseInt(input.dataset.maxBytes, 10);
    var files = input.files || [];
    for (var i = 0; i < files.length; i += 1) {
      if (files[i].size > limit) {
        return true;
      }
    }
    return false;
  }

  function describedBy(input, add) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    var id = input.id + "-error";
    ids = ids.filter(function (each) {
      return each !== id;
    });
    if (add) {
      ids.push(id);
    }
    if (ids.length) {
      input.setAttribute("aria-describedby", ids.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  function check(input) {
    var field = input.closest(".field");
    var error = errorOf(input);
    if (tooLarge(input)) {
      if (!error) {
        error = document.createElement("p");
        error.className = "error";
        error.id = input.id + "-error";
        input.insertAdjacentElement("afterend", error);
      }
      error.textContent = input.dataset.tooLarge;
      error.dataset.client = "1";
      input.setAttribute("aria-invalid", "true");
      describedBy(input, true);
      if (field) {
        field.classList.add("has-error");
      }
      return false;
    }
    if (error && error.dataset.client) {
      error.remove();
      input.removeAttribute("aria-invalid");
      describedBy(input, false);
      if (field) {
        field.classList.remove("has-error");
      }
    }
    return true;
  }

  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("change", function () {
      check(input);
    });
    if (input.form) {
      input.form.addEventListener("submit", function (event) {
        if (!check(input)) {
          event.preventDefault();
          input.focus();
        }
      });
    }
  });
})();

// Question editor: shows only the fields the chosen type uses. The form names them, by element
// id, in data-kind-fields ({"number": ["numerical"], …}); a field's whole block (label, hint,
// input) hides, a hint hides alone. Hidden fields are still sent and the server ignores what a
// type does not use. Without JavaScript every field shows, each label naming its type.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var kind = form && form.querySelector("select[name=kind]");
  if (!kind) {
    return;
  }
  var fields = JSON.parse(form.getAttribute("data-kind-fields") || "{}");

  function show() {
    Object.keys(fields).forEach(function (id) {
      var element = document.getElementById(id);
      if (!element) {
        return;
      }
      var block = element.matches("input, select, textarea") ? element.closest(".field") : element;
      block.hidden = fields[id].indexOf(kind.value) < 0;
    });
  }

  kind.addEventListener("change", show);
  show();
})();

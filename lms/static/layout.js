// The layout on a phone. The main menu folds into its "Menu" button under 40rem (it stays open
// without JavaScript, and opens again when the window grows).
(function () {
  "use strict";
  var menu = document.querySelector("details.nav-menu");
  if (!menu || !window.matchMedia) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fit() {
    menu.open = !narrow.matches;
  }
  fit();
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  }
})();

// Tables on a phone: each cell is labelled with its column's heading (data-label), so that under
// 40rem app.css can show a row as a card of "heading: value" lines instead of squeezing every
// column into a few characters. Tables that lay out something else (a grid of answers, an
// attendance sheet) opt out with data-no-stack. Without JavaScript the table stays a table
// inside its scrolling .table-wrap.
(function () {
  "use strict";
  var tables = document.querySelectorAll("main table");
  Array.prototype.forEach.call(tables, function (table) {
    if (table.hasAttribute("data-no-stack") || !table.tHead || !table.tHead.rows.length) {
      return;
    }
    var headRow = table.tHead.rows[table.tHead.rows.length - 1];
    var labels = [];
    Array.prototype.forEach.call(headRow.cells, function (cell) {
      var span = cell.colSpan || 1;
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < span; i += 1) {
        labels.push(text);
      }
    });
    // The footer's totals are labelled too: "Tổng cộng 32 0 0" says nothing on a phone.
    var sections = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) {
      sections.push(table.tFoot);
    }
    sections.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("stacked");
  });
})();

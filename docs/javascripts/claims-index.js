// Sorting and filtering for the claims index. Without JavaScript the table is complete and
// plain, and the filter form is hidden (a <noscript> style); with it, the form, rendered with
// the page so that nothing moves when this script runs, narrows the table, and each sortable
// column heading gets a button (Enter and Space sort it, as any button).
(function () {
  "use strict";
  function setup() {
    var table = document.getElementById("kb-claims");
    var form = document.getElementById("kb-filters");
    var count = document.getElementById("kb-count");
    if (!table || !form || !count || form.dataset.ready) return;
    form.dataset.ready = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = selects.every(function (select) {
          var want = select.value;
          if (!want) return true;
          return (" " + (row.dataset[select.name] || "") + " ").indexOf(" " + want + " ") >= 0;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " claims shown";
    }
    selects.forEach(function (select) { select.addEventListener("change", apply); });

    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var kind = th.dataset.sort;
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var key = function (row) {
          if (kind !== "text") return Number(row.dataset[kind] || 0);
          var cell = row.cells[col];
          var link = cell.querySelector("a");
          return (link || cell).textContent.trim().toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
      });
    });
    apply();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

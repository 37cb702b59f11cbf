// Sorting and filtering for the claims index. Without JavaScript the table is complete and
// plain; with it, filters appear above the table and column headings sort.
(function () {
  "use strict";
  function setup() {
    var table = document.getElementById("kb-claims");
    var box = document.getElementById("kb-filters");
    var optionsEl = document.getElementById("kb-filter-options");
    if (!table || !box || !optionsEl || box.dataset.ready) return;
    box.dataset.ready = "1";
    var opts = JSON.parse(optionsEl.textContent);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var filters = [
      ["verdict", "Verdict", opts.verdicts, opts.verdict_labels],
      ["flags", "Flag", opts.flags, opts.flag_labels],
      ["topics", "Topic", opts.topics, opts.topics],
      ["articles", "Article", opts.articles, opts.article_labels]
    ];
    var selects = {};
    var count = document.createElement("p");
    count.id = "kb-count";
    count.setAttribute("aria-live", "polite");
    filters.forEach(function (f) {
      var label = document.createElement("label");
      label.textContent = f[1];
      var select = document.createElement("select");
      select.name = f[0];
      select.id = "kb-filter-" + f[0];
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "All";
      select.appendChild(any);
      f[2].forEach(function (value, i) {
        var o = document.createElement("option");
        o.value = value;
        o.textContent = f[3][i];
        select.appendChild(o);
      });
      select.addEventListener("change", apply);
      selects[f[0]] = select;
      label.appendChild(select);
      box.appendChild(label);
    });
    box.appendChild(count);
    box.hidden = false;

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = Object.keys(selects).every(function (name) {
          var want = selects[name].value;
          if (!want) return true;
          return (" " + (row.dataset[name] || "") + " ").indexOf(" " + want + " ") >= 0;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " claims shown";
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var kind = th.dataset.sort;
      if (!kind) return;
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) {
          o.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var key = function (row) {
          return kind === "text" ? row.cells[col].textContent.trim().toLowerCase()
                                 : Number(row.dataset[kind] || 0);
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
    apply();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

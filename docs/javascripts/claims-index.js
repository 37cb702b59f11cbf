// Sorting, filtering and searching for the claims index. Without JavaScript the table is
// complete and plain, and the filter form is hidden (a <noscript> style); with it, the form,
// rendered with the page so that nothing moves when this script runs, narrows the table, and
// each sortable column heading gets a button (Enter and Space sort it, as any button).
//
// The filters are the search's (docs/javascripts/search.js): the same names and values, kept in
// the page's address (?verdict=overstated&article=...&q=...), so a filtered list can be shared
// and survives a reload. Words in the search field keep the claims that the site's search finds
// for them, best first (the first LIMIT of them).
(function () {
  "use strict";
  var LIMIT = 200;

  function setup() {
    var table = document.getElementById("kb-claims");
    var form = document.getElementById("kb-filters");
    var count = document.getElementById("kb-count");
    if (!table || !form || !count || form.dataset.ready) return;
    form.dataset.ready = "1";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var words = form.querySelector("input[name=q]");
    var note = document.getElementById("kb-count-note");
    var found = null;       // with words: {path: rank} of the claims found, else null
    var generation = 0;
    var timer = null;
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    function path(row) {
      var link = row.querySelector("a");
      return link ? new URL(link.getAttribute("href"), location.href).pathname : "";
    }
    var paths = rows.map(path);

    function filters() {
      var out = {};
      selects.forEach(function (s) { if (s.value) out[s.name] = s.value; });
      return out;
    }

    function remember() {
      var params = new URLSearchParams(location.search);
      ["q"].concat(selects.map(function (s) { return s.name; })).forEach(function (name) {
        params.delete(name);
      });
      var query = words ? words.value.trim() : "";
      if (query) params.set("q", query);
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      var text = params.toString();
      history.replaceState(history.state, "", location.pathname + (text ? "?" + text : "") +
                           location.hash);
    }

    function apply() {
      var shown = 0;
      var chosen = filters();
      var names = Object.keys(chosen);
      rows.forEach(function (row, i) {
        var ok = names.every(function (name) {
          return (" " + (row.dataset[name] || "") + " ").indexOf(" " + chosen[name] + " ") >= 0;
        });
        if (ok && found) ok = Object.prototype.hasOwnProperty.call(found, paths[i]);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " claims shown";
    }

    function rank() {  // the claims found, best first, then the others in their order
      var order = rows.map(function (row, i) { return i; });
      order.sort(function (a, b) {
        var x = found[paths[a]], y = found[paths[b]];
        x = x === undefined ? Infinity : x;
        y = y === undefined ? Infinity : y;
        return x - y || a - b;
      });
      order.forEach(function (i) { body.appendChild(rows[i]); });
    }

    function lookUp() {
      var query = words ? words.value.trim() : "";
      var mine = ++generation;
      if (note) note.textContent = "";
      if (!query) {
        found = null;
        apply();
        return;
      }
      if (!window.kbSearch) return;
      var chosen = filters();
      chosen.type = "claim";
      window.kbSearch.search(query, chosen).then(function (answer) {
        var best = answer.results.slice(0, LIMIT);
        return Promise.all(best.map(function (r) { return r.data(); })).then(function (datas) {
          if (mine !== generation) return;
          found = {};
          datas.forEach(function (d, i) {
            found[new URL(d.url, location.href).pathname] = i;
          });
          rank();
          apply();
          if (note && answer.results.length > LIMIT) {
            note.textContent = "The " + LIMIT + " claims that match the words best are shown.";
          }
        });
      }, function () {
        if (mine === generation && note) note.textContent = "The search could not be loaded.";
      });
    }

    selects.forEach(function (select) {
      select.addEventListener("change", function () {
        remember();
        if (found !== null) lookUp();
        else apply();
      });
    });
    if (words) {
      words.addEventListener("input", function () {
        remember();
        clearTimeout(timer);
        timer = setTimeout(lookUp, 150);
      });
    }

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
        var sorted = rows.slice().sort(function (a, b) {
          var x = key(a), y = key(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        sorted.forEach(function (row) { body.appendChild(row); });
      });
    });

    // The address chooses the filters and the words (a shared link, or a reload).
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var value = params.get(s.name);
      if (value && s.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) {
        s.value = value;
      }
    });
    if (words && params.get("q")) words.value = params.get("q");
    apply();
    if (words && words.value.trim()) lookUp();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

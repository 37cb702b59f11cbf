// The site's search: a box in the header that opens a dialog, on Pagefind's index of the built
// site (pagefind/, written after the build by `python -m build_tools search-index SITE`; why
// Pagefind and how it is used: docs/decisions/0005-search.md).
//
// Nothing is fetched until the reader opens the search: then Pagefind's script and the site's
// search settings (data/search.json: the filters and the words a query can do without), and
// for each query only the parts of the index that hold its words. Query and filters are kept in
// the page's address (?q=...&verdict=...), so a search can be shared as a link and survives a
// reload. Without JavaScript there is no search box, and every page works as before.
//
// window.kbSearch is what the claims index (claims-index.js) uses to find claims by words.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.kbSearch) return;
  var ROOT = new URL("../", script.src);  // this file is javascripts/search.js under the site

  var STRINGS = {
    en: {
      search: "Search",
      shortcut: "Press / to search",
      title: "Search the claims, articles and studies",
      label: "Search",
      placeholder: "Words from a claim, a study or an article",
      close: "Close",
      filters: "Filters",
      filtersOn: function (n) { return "Filters (" + n + " on)"; },
      any: "Any",
      clear: "Clear the filters",
      more: "Show more results",
      loading: "Loading the search…",
      failed: "The search could not be loaded.",
      type: "Type to search, or choose a filter.",
      none: function (q) { return q ? "No results for “" + q + "”." : "No results."; },
      count: function (n, q) {
        return (n === 1 ? "1 result" : n + " results") + (q ? " for “" + q + "”" : "") + ".";
      },
      partial: function (n, some, q) {
        return (n === 0 ? "No result has all the words of “" + q + "”"
                : (n === 1 ? "1 result has" : n + " results have") + " all the words of “" + q +
                  "”") + "; " + (some === 1 ? "1 more has" : some + " more have") +
               " some of them.";
      },
      kinds: {claim: "Claim", article: "Article", source: "Study or source"},
      bottomLine: "Bottom line:"
    }
  };
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var T = STRINGS[lang] || STRINGS[lang.split("-")[0]] || STRINGS.en;

  var PAGE = 10;            // results shown at a time
  var FEW = 10;             // fewer results than this for all the words: add partial matches
  var DELAY = 120;          // ms after the last keystroke before searching
  var PAUSE = 700;          // ... or this long, when the last word is shorter than PREFIX
  var PREFIX = 3;           // a word being typed is looked up from its third letter: Pagefind
                            // fetches every chunk of words that start with a shorter one

  // --- loading ---------------------------------------------------------------------------

  var loading = null;
  function load() {
    if (!loading) {
      var settings = fetch(new URL("data/search.json", ROOT).href).then(function (r) {
        if (!r.ok) throw new Error("data/search.json: HTTP " + r.status);
        return r.json();
      });
      var pagefind = import(new URL("pagefind/pagefind.js", ROOT).href);
      loading = Promise.all([pagefind, settings]).then(function (both) {
        var pf = both[0], s = both[1];
        // On the page, not in a Web Worker: one file fewer to fetch (search-index leaves the
        // worker out of the site), and a query takes milliseconds here.
        return pf.options({baseUrl: ROOT.pathname, excerptLength: 24, ranking: s.ranking,
                           noWorker: true})
          .then(function () { return pf.init(); })
          .then(function () { return {pagefind: pf, settings: s}; });
      });
      loading.catch(function () { loading = null; });  // a later attempt may succeed
    }
    return loading;
  }

  // --- queries ---------------------------------------------------------------------------

  function words(query, settings) {
    var all = query.toLowerCase().split(/[^\p{L}\p{N}'’,.-]+/u).map(function (w) {
      return w.replace(/^[',.’-]+|[',.’-]+$/g, "");
    }).filter(Boolean);
    var stop = settings.stop_words || [];
    var kept = all.filter(function (w) { return stop.indexOf(w) < 0; });
    return kept.length ? kept : all;
  }

  // Pagefind finds the pages that hold every word of a query. A reader types a question ("does
  // walking stop back pain coming back"): its small words are dropped, and when the words
  // together find few pages, the pages that hold some of them follow, those with the most
  // words (then the best score) first. The answer: the results in order, and how many of the
  // first have every word.
  function search(query, filters) {
    return load().then(function (s) {
      var pf = s.pagefind;
      var options = {filters: filters || {}};
      var ws = words(query || "", s.settings);
      if (!ws.length) {
        return pf.search(null, options).then(function (r) {
          return {results: r.results, all: r.results.length};
        });
      }
      return pf.search(ws.join(" "), options).then(function (all) {
        var results = all.results.slice();
        var done = {results: results, all: results.length};
        if (results.length >= FEW || ws.length < 2) return done;
        var seen = {};
        results.forEach(function (r) { seen[r.id] = true; });
        return Promise.all(ws.map(function (w) { return pf.search(w, options); }))
          .then(function (each) {
            var partial = {};
            each.forEach(function (r) {
              r.results.forEach(function (hit) {
                if (seen[hit.id]) return;
                var p = partial[hit.id] || (partial[hit.id] = {hit: hit, n: 0, score: 0});
                p.n += 1;
                p.score += hit.score;
              });
            });
            var rest = Object.keys(partial).map(function (k) { return partial[k]; });
            rest.sort(function (a, b) { return b.n - a.n || b.score - a.score; });
            done.results = results.concat(rest.map(function (p) { return p.hit; }));
            return done;
          });
      });
    });
  }

  // --- the address -----------------------------------------------------------------------

  function facetNames(settings) {
    return settings.facets.map(function (f) { return f.name; });
  }

  function readAddress(settings) {
    var params = new URLSearchParams(location.search);
    var filters = {};
    facetNames(settings).forEach(function (name) {
      var value = params.get(name);
      if (value) filters[name] = value;
    });
    return {query: params.get("q") || "", filters: filters};
  }

  function writeAddress(settings, query, filters) {
    var params = new URLSearchParams(location.search);
    params.delete("q");
    facetNames(settings).forEach(function (name) { params.delete(name); });
    if (query) params.set("q", query);
    Object.keys(filters).forEach(function (name) {
      if (filters[name]) params.set(name, filters[name]);
    });
    var text = params.toString();
    history.replaceState(history.state, "", location.pathname + (text ? "?" + text : "") +
                         location.hash);
  }


  // --- building the dialog ---------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  var ICON = "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-" +
    ".79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 " +
    "9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5";

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICON);
    svg.appendChild(path);
    return svg;
  }

  // An excerpt as Pagefind gives it: text with its entities encoded and the query's words in
  // <mark>. It becomes text nodes and <mark> elements, never markup.
  function excerpt(html) {
    var out = document.createDocumentFragment();
    html.split(/(<mark>|<\/mark>)/).reduce(function (marked, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        var text = document.createTextNode(decode(part));
        out.appendChild(marked ? el("mark", {}, [text]) : text);
      }
      return marked;
    }, false);
    return out;
  }

  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, function (m, e) {
      var named = {amp: "&", lt: "<", gt: ">", quot: '"', apos: "'"}[e.toLowerCase()];
      if (named) return named;
      var code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    });
  }

  function labelOf(settings, facet, value) {
    var f = settings.facets.filter(function (x) { return x.name === facet; })[0];
    var pair = f && f.values.filter(function (v) { return v[0] === value; })[0];
    return pair ? pair[1] : value;
  }

  // One result: a claim with its kind, its verdict badge, its statement and its bottom line; an
  // article or a source with its kind, its title and the passage that matched.
  function resultItem(settings, data) {
    var kind = (data.filters.type || [])[0] || "source";
    var link = el("a", {href: data.url, "class": "kb-result__link"}, [
      // a claim is framed as on its page: the "Claim" label (evidence.css), then its verdict
      el("span", {"class": kind === "claim" ? "kb-result__kind kb-claim-label" : "kb-result__kind",
                  text: T.kinds[kind] || kind})
    ]);
    var verdict = (data.filters.verdict || [])[0];
    if (kind === "claim") {
      link.appendChild(el("span", {
        "class": "kb-badge kb-verdict kb-verdict-" + (verdict || "none"),
        text: verdict ? labelOf(settings, "verdict", verdict) : "No verdict"
      }));
    }
    link.appendChild(el("span", {"class": "kb-result__title", text: data.meta.title || data.url}));
    var item = el("li", {"class": "kb-result kb-result--" + kind}, [link]);
    if (kind === "claim" && data.meta.bottom_line) {
      item.appendChild(el("p", {"class": "kb-result__text"}, [
        el("strong", {text: T.bottomLine}), document.createTextNode(" " + data.meta.bottom_line)
      ]));
    } else if (data.excerpt) {
      var p = el("p", {"class": "kb-result__text"});
      p.appendChild(excerpt(data.excerpt));
      item.appendChild(p);
    }
    return item;
  }

  function Dialog() {
    var self = this;
    this.dialog = el("dialog", {"class": "kb-search", "aria-labelledby": "kb-search-title"});
    this.input = el("input", {
      id: "kb-search-input", type: "search", "class": "kb-search__input", name: "q",
      autocomplete: "off", autocapitalize: "off", spellcheck: "false", enterkeyhint: "search",
      placeholder: T.placeholder, "aria-describedby": "kb-search-status",
      "aria-controls": "kb-search-results"
    });
    this.closeButton = el("button", {type: "button", "class": "kb-search__close", text: T.close});
    this.summary = el("summary", {text: T.filters});
    this.filterBox = el("div", {"class": "kb-search__filters"});
    this.details = el("details", {"class": "kb-search__more-filters"}, [this.summary,
                                                                      this.filterBox]);
    this.status = el("p", {id: "kb-search-status", "class": "kb-search__status", role: "status"});
    this.list = el("ol", {id: "kb-search-results", "class": "kb-search__results",
                          "aria-label": T.title});
    this.moreButton = el("button", {type: "button", "class": "kb-search__show-more",
                                    text: T.more});
    this.moreButton.hidden = true;
    this.form = el("form", {role: "search", "class": "kb-search__form"}, [
      el("label", {"for": "kb-search-input", "class": "kb-search__label"}, [
        icon(), el("span", {"class": "kb-visually-hidden", text: T.label})
      ]),
      this.input, this.closeButton
    ]);
    this.dialog.appendChild(el("h2", {id: "kb-search-title", "class": "kb-visually-hidden",
                                      text: T.title}));
    [this.form, this.details, this.status, this.list, this.moreButton].forEach(function (e) {
      self.dialog.appendChild(e);
    });
    document.body.appendChild(this.dialog);
    this.selects = {};
    this.results = [];
    this.shown = 0;
    this.generation = 0;
    this.timer = null;

    this.form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (self.typing()) {  // Enter searches a short word too
        self.run();
        return;
      }
      var first = self.list.querySelector("a");
      if (first) first.click();
    });
    this.input.addEventListener("input", function () {
      var early = self.typing();  // the last word is a letter or two: wait longer
      self.schedule(early ? PAUSE : DELAY);
      if (early) return;
      load().then(function (s) {
        var ws = words(self.input.value, s.settings);
        if (ws.length) s.pagefind.preload(ws.join(" "));
      }, function () {});
    });
    this.closeButton.addEventListener("click", function () { self.close(); });
    this.dialog.addEventListener("close", function () { self.closed(); });
    this.dialog.addEventListener("click", function (e) {  // a click on the backdrop
      if (e.target === self.dialog) self.close();
    });
    this.dialog.addEventListener("keydown", function (e) { self.arrows(e); });
    this.moreButton.addEventListener("click", function () { self.more(true); });
  }

  Dialog.prototype.open = function (opener, fromAddress) {
    var self = this;
    this.opener = opener || document.activeElement;
    // Closed, the search leaves the address as it found it, or without the search it came in
    // with (a shared link).
    this.address = fromAddress ? null : location.search;
    if (!this.dialog.open) this.dialog.showModal();
    this.input.focus();
    if (!this.settings) this.status.textContent = T.loading;
    return load().then(function (s) {
      self.settings = s.settings;
      self.buildFilters();
      var state = readAddress(s.settings);
      if (state.query && !self.input.value) self.input.value = state.query;
      Object.keys(state.filters).forEach(function (name) {
        if (self.selects[name]) self.selects[name].value = state.filters[name];
      });
      self.countFilters();
      self.run();
    }, function () {
      self.status.textContent = T.failed;
    });
  };

  Dialog.prototype.close = function () {
    if (this.dialog.open) this.dialog.close();
  };

  Dialog.prototype.closed = function () {
    clearTimeout(this.timer);  // a search still scheduled must not write the address again
    if (this.address !== null && this.address !== undefined) {
      history.replaceState(history.state, "", location.pathname + this.address + location.hash);
    } else if (this.settings) {
      writeAddress(this.settings, "", {});
    }
    if (this.opener && this.opener.focus) this.opener.focus();
  };

  Dialog.prototype.buildFilters = function () {
    var self = this;
    if (this.filterBox.childNodes.length) return;
    this.settings.facets.forEach(function (f) {
      var select = el("select", {id: "kb-search-filter-" + f.name, name: f.name});
      select.appendChild(el("option", {value: "", text: T.any}));
      f.values.forEach(function (v) {
        select.appendChild(el("option", {value: v[0], text: v[1]}));
      });
      select.addEventListener("change", function () { self.countFilters(); self.run(); });
      self.selects[f.name] = select;
      self.filterBox.appendChild(el("label", {"for": select.id}, [
        el("span", {text: f.label}), select
      ]));
    });
    var clear = el("button", {type: "button", "class": "kb-search__clear", text: T.clear});
    clear.addEventListener("click", function () {
      Object.keys(self.selects).forEach(function (k) { self.selects[k].value = ""; });
      self.countFilters();
      self.run();
    });
    this.filterBox.appendChild(clear);
  };

  Dialog.prototype.filters = function () {
    var self = this, out = {};
    Object.keys(this.selects).forEach(function (k) {
      if (self.selects[k].value) out[k] = self.selects[k].value;
    });
    return out;
  };

  Dialog.prototype.countFilters = function () {
    var n = Object.keys(this.filters()).length;
    this.summary.textContent = n ? T.filtersOn(n) : T.filters;
    if (n) this.details.open = true;
  };

  // Whether the reader is typing the first letters of a word (not a space after it).
  Dialog.prototype.typing = function () {
    var value = this.input.value;
    var last = value.split(/\s+/).pop().replace(/[^\p{L}\p{N}]/gu, "");
    return last.length > 0 && last.length < PREFIX && value.trim().length > 0;
  };

  Dialog.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.run(); }, delay);
  };

  Dialog.prototype.run = function () {
    var self = this;
    // Closed before its index loaded or its timer fired (Escape right after typing): a late
    // run would write the query into the address the closing gave back.
    if (!this.settings || !this.dialog.open) return;
    var query = this.input.value.trim();
    var filters = this.filters();
    writeAddress(this.settings, query, filters);
    var generation = ++this.generation;
    if (!query && !Object.keys(filters).length) {
      this.list.textContent = "";
      this.moreButton.hidden = true;
      this.status.textContent = T.type;
      return;
    }
    search(query, filters).then(function (found) {
      if (generation !== self.generation) return;  // a newer search is under way
      var results = found.results;
      self.results = results;
      self.shown = 0;
      self.list.textContent = "";
      return self.more(false).then(function () {
        if (generation !== self.generation) return;
        self.status.textContent = !results.length ? T.none(query)
          : found.all < results.length ? T.partial(found.all, results.length - found.all, query)
          : T.count(results.length, query);
      });
    }, function () {
      self.status.textContent = T.failed;
    });
  };

  Dialog.prototype.more = function (focusFirstNew) {
    var self = this;
    var generation = this.generation;
    var batch = this.results.slice(this.shown, this.shown + PAGE);
    this.shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (generation !== self.generation) return;
      var first = null;
      datas.forEach(function (d) {
        var item = resultItem(self.settings, d);
        first = first || item.querySelector("a");
        self.list.appendChild(item);
      });
      self.moreButton.hidden = self.shown >= self.results.length;
      if (focusFirstNew && first) first.focus();
    });
  };

  // Down and Up move between the query and the results, as in the theme's own search; Escape
  // closes.
  Dialog.prototype.arrows = function (e) {
    if (e.key === "Escape") {  // the browser's own closing may not run for a dialog opened
      e.preventDefault();      // by a link, before the reader did anything on the page
      this.close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(this.list.querySelectorAll("a"));
    var stops = [this.input].concat(links);
    var at = stops.indexOf(document.activeElement);
    if (at < 0) return;
    var to = at + (e.key === "ArrowDown" ? 1 : -1);
    if (to < 0 || to >= stops.length) return;
    e.preventDefault();
    stops[to].focus();
  };

  // --- the header's search box -----------------------------------------------------------

  var dialog = null;
  function openSearch(opener, fromAddress) {
    dialog = dialog || new Dialog();
    return dialog.open(opener, fromAddress);
  }

  function addButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".kb-search-button")) return null;
    var button = el("button", {
      type: "button", "class": "kb-search-button md-header__button", "aria-haspopup": "dialog",
      "aria-keyshortcuts": "/ s f", title: T.shortcut
    }, [icon(), el("span", {"class": "kb-search-button__text", text: T.search}),
        el("kbd", {"class": "kb-search-button__key", "aria-hidden": "true", text: "/"})]);
    button.addEventListener("click", function () { openSearch(button); });
    button.addEventListener("focus", function () { load().catch(function () {}); });
    button.addEventListener("pointerenter", function () { load().catch(function () {}); });
    var source = header.querySelector(".md-header__source");
    header.insertBefore(button, source);
    return button;
  }

  function editable(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function setup() {
    var button = addButton();
    if (!button) return;
    document.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey || editable(e.target)) return;
      if (dialog && dialog.dialog.open) return;
      if (e.key === "/" || e.key === "s" || e.key === "f") {
        e.preventDefault();
        openSearch(button);
      }
    });
    // A shared link opens the search as it was, except on the claims index, whose own form
    // shows the claims that the address asks for.
    if (location.search && !document.getElementById("kb-filters")) {
      load().then(function (s) {
        var state = readAddress(s.settings);
        if (state.query || Object.keys(state.filters).length) openSearch(button, true);
      }, function () {});
    }
  }

  window.kbSearch = {
    load: load,
    search: search,
    readAddress: readAddress,
    writeAddress: writeAddress,
    open: function () { return openSearch(document.querySelector(".kb-search-button")); }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();

// What the theme leaves out for assistive technology, added once the page is ready (and again
// after each instant navigation, through the theme's document$ when it has one):
// - a table wrapper that scrolls sideways can be reached and scrolled with the keyboard.
(function () {
  "use strict";
  function fix() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"),
      function (wrap) {
        if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", "Table (scrolls sideways)");
        }
      });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(fix, 0); });
  }
  if (document.readyState === "complete") fix();
  else window.addEventListener("load", fix);
  window.addEventListener("resize", fix);
})();

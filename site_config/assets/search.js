/*
  The search box in the header: Pagefind's search UI, written by Pagefind into pagefind/ when the
  site is indexed, opened like Material's search (the header's button, "/" or "s", Escape to close).
  The header stays in place when Material's instant navigation swaps a page, so this runs once.
*/
(function () {
  "use strict";
  var toggle = document.getElementById("__search");
  var box = document.getElementById("atlas-search");
  var script = document.querySelector("script[data-atlas-pagefind]");
  if (!toggle || !box || !script || typeof window.PagefindUI !== "function") {
    return;
  }
  // The bundle's folder, and the site's root above it, so the search works wherever the site is served.
  var bundle = new URL(".", script.src);
  var placeholder = box.getAttribute("data-placeholder") || "Search";
  new window.PagefindUI({
    element: box,
    bundlePath: bundle.pathname,
    baseUrl: new URL("..", bundle).pathname,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: placeholder },
    // Rank a page by where the words stand (its title first), not by how often they repeat: a project's
    // assay table says "Sb" more often than the antimony page does.
    ranking: { termFrequency: 0.0 },
  });

  function input() {
    return box.querySelector("input");
  }

  // A name for screen readers, as Material's own search box has.
  if (input()) {
    input().setAttribute("aria-label", placeholder);
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    var field = input();
    if (field) {
      field.focus();
      field.select();
    }
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    var field = input();
    if (field) {
      field.blur();
    }
  }

  function typing(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (toggle.checked && event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (!toggle.checked && (event.key === "/" || event.key === "s") && !typing(event.target)) {
      event.preventDefault();
      open();
    }
  });
  // The header's search button (a label for the toggle) opens the box: put the cursor in it.
  toggle.addEventListener("change", function () {
    if (toggle.checked && document.activeElement !== input()) {
      var field = input();
      if (field) {
        field.focus();
      }
    }
  });
  box.addEventListener("focusin", function () {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  });
  // Following a result closes the box; Material's instant navigation then swaps the page in.
  box.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a[href]")) {
      close();
    }
  });
})();

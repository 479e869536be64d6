/* Sort and filter the index tables in the page itself: no request leaves the page.
 * A table is enhanced when a <div class="atlas-table-tools" data-filters="Col A,Col B"> stands
 * right before it. Every table of three or more columns is also labelled for phones, where
 * atlas.css shows each row as a card: each cell gets its column's name (data-label), and the
 * status and date cells are marked to come first. Works with Material's instant navigation
 * (document$) and without it. */
(function () {
  "use strict";

  function findTable(tools) {
    var next = tools.nextElementSibling;
    if (!next) return null;
    return next.tagName === "TABLE" ? next : next.querySelector("table");
  }

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  /* The values a cell offers to a filter: status badges by label, lists split on commas. */
  function cellValues(row, index) {
    var cell = row.cells[index];
    if (!cell) return [];
    var badges = cell.querySelectorAll(".atlas-status");
    if (badges.length) {
      return Array.prototype.map.call(badges, function (badge) {
        return badge.getAttribute("data-status-label") || badge.textContent.trim();
      });
    }
    return cellText(row, index).split(/\s*[,;]\s*/).filter(Boolean);
  }

  function compare(a, b) {
    var x = parseFloat(a.replace(/,/g, "")), y = parseFloat(b.replace(/,/g, ""));
    if (!isNaN(x) && !isNaN(y) && /^[\d.,\s%-]+$/.test(a) && /^[\d.,\s%-]+$/.test(b)) return x - y;
    return a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });
  }

  function setup(tools) {
    if (tools.getAttribute("data-ready")) return;
    var table = findTable(tools);
    if (!table || !table.tHead || !table.tBodies.length) return;
    tools.setAttribute("data-ready", "1");
    table.setAttribute("data-atlas-sortable", "");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var filters = [];

    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter rows";
    search.setAttribute("aria-label", "Filter the table by any text");
    search.className = "atlas-table-tools__search";
    tools.appendChild(search);

    (tools.getAttribute("data-filters") || "").split(",").forEach(function (name) {
      name = name.trim();
      if (!name) return;
      var index = headers.findIndex(function (th) { return th.textContent.trim().indexOf(name) === 0; });
      if (index < 0) return;
      var values = {};
      rows.forEach(function (row) { cellValues(row, index).forEach(function (v) { values[v] = true; }); });
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + name);
      select.setAttribute("data-column", name);
      var any = document.createElement("option");
      any.value = "";
      any.textContent = name + ": all";
      select.appendChild(any);
      Object.keys(values).sort(compare).forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = v;
        select.appendChild(option);
      });
      tools.appendChild(select);
      filters.push({ index: index, select: select });
    });

    var count = document.createElement("span");
    count.className = "atlas-table-tools__count";
    count.setAttribute("aria-live", "polite");
    tools.appendChild(count);

    function apply() {
      var needle = search.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var visible = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
        filters.forEach(function (f) {
          if (visible && f.select.value) visible = cellValues(row, f.index).indexOf(f.select.value) >= 0;
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " shown";
    }
    search.addEventListener("input", apply);
    filters.forEach(function (f) { f.select.addEventListener("change", apply); });

    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "atlas-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var result = compare(cellText(a, index), cellText(b, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    apply();
  }

  /* Columns a reader looks for first: where a thing stands and when. */
  var KEY_COLUMN = /^(status|date|changes on|published|when)\b/i;

  /* Label a table's cells with their column's names for the card layout of atlas.css. Cards are
   * shown with CSS display values that drop a table's meaning for screen readers, so the roles
   * are set explicitly. */
  function stack(table) {
    if (table.getAttribute("data-atlas-stack") !== null || !table.tHead || !table.tBodies.length) return;
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    if (headers.length < 3) return;
    var names = headers.map(function (th) { return th.textContent.replace(/\s+/g, " ").trim(); });
    table.setAttribute("data-atlas-stack", "");
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody"), function (group) { group.setAttribute("role", "rowgroup"); });
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.cells, function (cell, index) {
        // A header keeps its own role: Material draws a sort icon on th[role=columnheader].
        if (cell.tagName === "TH") return;
        cell.setAttribute("role", "cell");
        if (names[index]) cell.setAttribute("data-label", names[index]);
        if (KEY_COLUMN.test(names[index] || "")) cell.setAttribute("data-atlas-key", "");
      });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), stack);
    Array.prototype.forEach.call(document.querySelectorAll(".atlas-table-tools"), setup);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

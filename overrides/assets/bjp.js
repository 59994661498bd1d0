/* Progressive enhancement for the generated pages: sortable tables, the policy filters, the copy-link
   button. Without JavaScript the tables read in their built order and all rows show. */
(function () {
  "use strict";

  function sortKey(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) raw = cell.textContent.trim();
    var num = Number(raw);
    return raw !== "" && !isNaN(num) ? { n: num } : { s: raw };
  }

  function compare(a, b) {
    if ("n" in a && "n" in b) return a.n - b.n;
    return String(a.s !== undefined ? a.s : a.n).localeCompare(String(b.s !== undefined ? b.s : b.n), "zh");
  }

  function makeSortable(table) {
    if (table.dataset.bjpSortable) return;
    table.dataset.bjpSortable = "1";
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "bjp-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(sortKey(r1.cells[index]), sortKey(r2.cells[index]));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  // A filter form hides the rows of its tables (data-target: an id; data-target-selector: several tables)
  // whose data-<name> lacks the chosen value, and shows only the views (data-view-<name>) for that value.
  function setUpFilters(form) {
    var selector = form.getAttribute("data-target-selector");
    var tables = selector ? Array.prototype.slice.call(document.querySelectorAll(selector))
                          : [document.getElementById(form.getAttribute("data-target"))].filter(Boolean);
    if (!tables.length || form.dataset.bjpReady) return;
    form.dataset.bjpReady = "1";
    form.hidden = false;
    function apply() {
      var wanted = {};
      Array.prototype.forEach.call(form.elements, function (el) { if (el.name) wanted[el.name] = el.value; });
      tables.forEach(function (table) {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var show = Object.keys(wanted).every(function (name) {
            if (!wanted[name]) return true;
            var values = (row.getAttribute("data-" + name) || "").split(" ");
            return values.indexOf(wanted[name]) !== -1;
          });
          row.hidden = !show;
        });
      });
      Object.keys(wanted).forEach(function (name) {
        document.querySelectorAll("[data-view-" + name + "]").forEach(function (view) {
          view.hidden = view.getAttribute("data-view-" + name) !== wanted[name];
        });
      });
    }
    form.addEventListener("change", apply);
    apply();
  }

  function setUpCopy(button) {
    if (button.dataset.bjpReady || !navigator.clipboard) return;
    button.dataset.bjpReady = "1";
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var url = window.location.href.split("#")[0];
      navigator.clipboard.writeText(url).then(function () {
        button.textContent = button.getAttribute("data-copied");
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  }

  // Material's search overlay is role="dialog" without a name (axe: aria-dialog-name); name it in the page's
  // language from the search field's own label, so the text follows the theme's translations.
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
    var input = dialog.querySelector("input.md-search__input");
    var label = input && (input.getAttribute("aria-label") || input.getAttribute("placeholder"));
    if (!label) label = document.documentElement.lang.indexOf("zh") === 0 ? "搜索" : "Search";
    dialog.setAttribute("aria-label", label);
  }

  function init() {
    nameSearchDialog();
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    document.querySelectorAll("form.bjp-filters").forEach(setUpFilters);
    document.querySelectorAll("button.bjp-copy-link").forEach(setUpCopy);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

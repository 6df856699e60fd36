/*
 * Re-sortable tables (home page, register indexes). The server sorts every table; this only adds, to the
 * column headings of a table.sortable, buttons that sort its rows by that column (a cell's data-sort value,
 * else its text), up and down, and keeps aria-sort on the headings in step. Without script the tables
 * read as they were built.
 */
(function () {
  "use strict";

  function key(cell, numeric) {
    var v = cell ? (cell.getAttribute("data-sort") || cell.textContent.trim().toLowerCase()) : "";
    return numeric ? parseFloat(v) || 0 : v;
  }

  function sortBy(table, index, numeric, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric), y = key(b.cells[index], numeric);
      var c = numeric ? x - y : x.localeCompare(y);
      if (c === 0) { c = Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")); }
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); row.removeAttribute("data-order"); });
  }

  function enhance(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var mark = document.createElement("span");
      mark.className = "sort-mark";
      mark.setAttribute("aria-hidden", "true");
      button.appendChild(mark);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortBy(table, index, th.getAttribute("data-sort-type") === "number", ascending);
      });
    });
  }

  document.querySelectorAll("table.sortable").forEach(enhance);
}());

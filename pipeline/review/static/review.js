// The index of letters: sort by a column (click its heading, again to reverse) and show only the
// rows holding every word typed (case and Vietnamese tone marks ignored), or only those with
// obligations to review. Plain JavaScript, nothing loaded from anywhere.
(function () {
  "use strict";
  var table = document.getElementById("letters");
  if (!table) return;
  var body = table.tBodies[0];
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  };
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var key = function (row) {
        var cell = row.cells[th.cellIndex];
        var value = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
        return th.dataset.type === "number" ? Number(value) : fold(value);
      };
      var rows = Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  var search = document.getElementById("filter");
  var onlyReview = document.getElementById("only-review");
  var shown = document.getElementById("shown");
  var filter = function () {
    var words = fold(search.value).split(/\s+/).filter(Boolean);
    var count = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row.dataset.text === undefined) row.dataset.text = fold(row.textContent);
      var visible = words.every(function (w) { return row.dataset.text.indexOf(w) >= 0; }) &&
        (!onlyReview.checked || Number(row.dataset.review) > 0);
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count;
  };
  search.addEventListener("input", filter);
  onlyReview.addEventListener("change", filter);
})();

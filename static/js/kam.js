// Small behaviours of KAM's pages; everything works without them, they only save clicks.
(function () {
  "use strict";

  // A select marked data-autosubmit sends its form as soon as it changes (year pickers).
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });

  // The hierarchy treegrid: rows carry data-id/data-parent/data-depth in depth-first order,
  // so a node's descendants are the rows after it with a greater depth.
  function descendants(row) {
    var depth = Number(row.dataset.depth), rows = [], next = row.nextElementSibling;
    while (next && Number(next.dataset.depth) > depth) { rows.push(next); next = next.nextElementSibling; }
    return rows;
  }

  function setExpanded(row, expanded) {
    row.setAttribute("aria-expanded", String(expanded));
    var hiddenBelow = null;
    descendants(row).forEach(function (child) {
      var depth = Number(child.dataset.depth);
      if (hiddenBelow !== null && depth > hiddenBelow) { child.hidden = true; return; }
      hiddenBelow = null;
      child.hidden = !expanded;
      if (expanded && child.getAttribute("aria-expanded") === "false") hiddenBelow = depth;
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("table.tree .toggle");
    if (toggle) {
      var row = toggle.closest("tr");
      setExpanded(row, row.getAttribute("aria-expanded") !== "true");
      return;
    }
    var all = event.target.closest("[data-tree-expand]");
    if (all) {
      var expand = all.dataset.treeExpand === "all";
      var table = document.getElementById("hierarchy");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        if (row.hasAttribute("aria-expanded")) row.setAttribute("aria-expanded", String(expand));
        row.hidden = !expand && Number(row.dataset.depth) > 0;
      });
      if (!expand) {
        var root = table.querySelector("tbody tr");
        if (root && root.hasAttribute("aria-expanded")) root.setAttribute("aria-expanded", "false");
      }
    }
  });

  // Keyboard in the tree: ← collapses, → expands the row whose link or toggle has focus.
  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("table.tree tbody tr[aria-expanded]");
    if (!row) return;
    if (event.key === "ArrowRight") { setExpanded(row, true); event.preventDefault(); }
    if (event.key === "ArrowLeft") { setExpanded(row, false); event.preventDefault(); }
  });

  // Saving a view saves the filters in the address bar now (htmx changes them without a reload).
  document.addEventListener("submit", function (event) {
    var query = event.target.querySelector("input[data-current-query]");
    if (query) query.value = window.location.search.replace(/^\?/, "");
  });
})();

// The search palette: Ctrl+K / Cmd+K (or the header box) opens it; typing asks the server for
// the top hits (htmx, debounced on the input); ↑ ↓ choose, Enter opens, Esc closes. Without
// JavaScript the header box is a plain form to the results page.
(function () {
  "use strict";

  var dialog = document.getElementById("palette");
  if (!dialog) return;
  var input = document.getElementById("palette-input");
  var results = document.getElementById("palette-results");
  var headerBox = document.getElementById("header-search");

  function options() { return Array.prototype.slice.call(results.querySelectorAll("[role=option]")); }

  function activate(option) {
    options().forEach(function (each) { each.classList.remove("active"); each.removeAttribute("aria-selected"); });
    if (!option) { input.removeAttribute("aria-activedescendant"); return; }
    option.classList.add("active");
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function open(text) {
    if (!dialog.open) dialog.showModal();
    if (typeof text === "string") input.value = text;
    input.focus();
    var end = input.value.length;
    input.setSelectionRange(end, end);
    htmx.trigger(input, "palette-open");
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "k" || event.key === "K")) {
      event.preventDefault();
      if (dialog.open) { input.select(); return; }
      open(window.getSelection ? String(window.getSelection()).trim().slice(0, 200) || undefined : undefined);
    }
  });

  if (headerBox) {
    // Typing into the header box continues in the palette; a click opens it too.
    headerBox.addEventListener("input", function () { open(headerBox.value); headerBox.value = ""; });
    headerBox.addEventListener("click", function () { open(headerBox.value); });
  }
  document.querySelectorAll("button[data-palette-opener]").forEach(function (button) {
    button.addEventListener("click", function (event) { event.preventDefault(); open(headerBox ? headerBox.value : ""); });
  });

  input.addEventListener("keydown", function (event) {
    var all = options(), index = all.indexOf(results.querySelector("[role=option].active"));
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault(); activate(all[(index + 1) % all.length]);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault(); activate(all[index <= 0 ? all.length - 1 : index - 1]);
    } else if (event.key === "Escape") {
      event.preventDefault(); dialog.close();  // at once, not after a first Esc emptied the field
    } else if (event.key === "Enter") {
      var chosen = all[index] || null;
      if (chosen) { event.preventDefault(); window.location.assign(chosen.href); }
      else if (input.value.trim().length < 2) event.preventDefault();
      // otherwise the form goes to the results page
    }
  });

  // New answers: the first option is the one Enter opens.
  results.addEventListener("htmx:afterSwap", function () { activate(options()[0] || null); });
  results.addEventListener("mousemove", function (event) {
    var option = event.target.closest("[role=option]");
    if (option && !option.classList.contains("active")) activate(option);
  });
  // A click on the dim backdrop (the dialog element itself, outside its box) closes it.
  dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
})();

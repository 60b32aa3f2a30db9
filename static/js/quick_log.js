// The quick-log: pick people with the keyboard (type, ↓/↑, Enter), save with Ctrl+Enter,
// press L anywhere on the page to start. Without JavaScript the form still posts.
(function () {
  "use strict";

  function form() { return document.getElementById("quick-log"); }
  function input() { return document.getElementById("ql-person"); }
  function list() { return document.getElementById("ql-options"); }
  function options() { return Array.prototype.slice.call(list().querySelectorAll("[role=option]")); }
  function active() { return list() && list().querySelector("[aria-selected=true]"); }
  // Enter pressed while the options for what was typed are still on their way: pick on arrival.
  var pickWhenCurrent = false;
  function current(option) { return option && option.dataset.q === input().value; }

  function setActive(option) {
    options().forEach(function (o) { o.setAttribute("aria-selected", String(o === option)); });
    if (option) { input().setAttribute("aria-activedescendant", option.id); option.scrollIntoView({ block: "nearest" }); }
  }

  function close() {
    if (!list()) return;
    list().innerHTML = "";
    input().setAttribute("aria-expanded", "false");
    input().removeAttribute("aria-activedescendant");
  }

  function pick(option) {
    var chip = document.createElement("span");
    chip.className = "chip";
    chip.dataset.id = option.dataset.id;
    chip.textContent = option.dataset.label;
    var hidden = document.createElement("input");
    hidden.type = "hidden"; hidden.name = "stakeholders"; hidden.value = option.dataset.id;
    var remove = document.createElement("button");
    remove.type = "button"; remove.className = "chip-remove"; remove.tabIndex = -1; remove.textContent = "×";
    remove.setAttribute("aria-label", (input().parentNode.dataset.removeLabel || "×") + " " + option.dataset.label);
    chip.appendChild(hidden); chip.appendChild(remove);
    input().parentNode.insertBefore(chip, input());
    input().value = "";
    pickWhenCurrent = false;
    close();
    input().focus();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === list()) {
      input().setAttribute("aria-expanded", String(options().length > 0));
      setActive(active());
      if (pickWhenCurrent && current(active())) { pickWhenCurrent = false; pick(active()); }
    }
    if (event.detail.target.id === "quick-log" || (form() && event.detail.elt === form())) {
      var first = form().querySelector("[autofocus]") || input();
      if (first) first.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (el.id === "ql-person") {
      var selected = active(), all = options(), index = all.indexOf(selected);
      if (event.key === "ArrowDown" && all.length) { event.preventDefault(); setActive(all[Math.min(index + 1, all.length - 1)]); }
      else if (event.key === "ArrowUp" && all.length) { event.preventDefault(); setActive(all[Math.max(index - 1, 0)]); }
      else if (event.key === "Enter" && !(event.ctrlKey || event.metaKey)) {
        event.preventDefault();  // Enter adds a person; it never sends a half-filled form
        if (current(selected)) pick(selected); else pickWhenCurrent = el.value !== "";
      }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Backspace" && el.value === "") {
        var chips = form().querySelectorAll(".chip");
        if (chips.length) chips[chips.length - 1].remove();
      }
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && el.form && el.form.id === "quick-log") {
      event.preventDefault();
      el.form.requestSubmit();
      return;
    }
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.isContentEditable;
    if (!typing && (event.key === "l" || event.key === "L") && !event.ctrlKey && !event.metaKey && !event.altKey && input()) {
      event.preventDefault();
      input().focus();
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest("#ql-options [role=option]");
    if (option) { pick(option); return; }
    var remove = event.target.closest("#quick-log .chip-remove");
    if (remove) { remove.closest(".chip").remove(); input().focus(); }
  });
})();

// Suggestions as you type in the search box: after a pause in typing, topics (in the reader's
// language, found from a term in any language) and titles the reader may open. Arrow keys and
// Enter (or a click) open one; Escape closes the list; Enter with none chosen searches as before.
// Without JavaScript the box is a plain search form; nothing depends on this.
(function () {
  "use strict";
  var PAUSE = 200; // ms after the last key before asking
  var MIN_LETTERS = 3; // as the server: nothing is suggested before a word this long
  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var endpoint = input.getAttribute("data-suggest-url");
    var list = document.createElement("ul");
    list.className = "search-suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    var label = input.labels && input.labels[0];
    if (label) {
      if (!label.id) label.id = input.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    list.hidden = true;
    // How many there are, said once per answer (the list itself is only read when entered).
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.after(list);
    list.after(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1, timer = null, asked = "", pending = null, answers = {};

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      active = index;
      // Focus stays in the box: this tells a screen reader which suggestion is highlighted.
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }
    function show(data) {
      list.textContent = "";
      data.suggestions.forEach(function (offer, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.className = offer.kind === "topic" ? "suggestion topic" : "suggestion";
        li.dataset.url = offer.url;
        var title = document.createElement("span");
        title.className = "suggestion-label";
        title.lang = offer.language;
        title.dir = "auto";
        title.textContent = offer.label;
        var note = document.createElement("span");
        note.className = "suggestion-note";
        note.textContent = offer.note;
        li.append(title, " ", note);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.assign(li.dataset.url); });
        list.appendChild(li);
      });
      var any = data.suggestions.length > 0;
      list.hidden = !any;
      input.setAttribute("aria-expanded", any ? "true" : "false");
      highlight(-1);
      status.textContent = any ? data.status : "";
    }
    function ask(text) {
      if (answers[text]) { show(answers[text]); return; }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(endpoint + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || text !== asked) return; // a later key asked again meanwhile
          answers[text] = data;
          show(data);
        })
        .catch(function () { /* aborted, or offline: the search still works */ });
    }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      asked = text;
      clearTimeout(timer);
      var longest = text.split(/\s+/).reduce(function (most, word) { return Math.max(most, word.length); }, 0);
      if (longest < MIN_LETTERS) { close(); status.textContent = ""; return; }
      timer = setTimeout(function () { ask(text); }, PAUSE);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      var n = list.children.length;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        highlight(e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        window.location.assign(list.children[active].dataset.url);
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  });
})();

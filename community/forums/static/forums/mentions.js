// @mention autocomplete for post text areas: type "@" and two letters, pick a member with the
// arrow keys and Enter (or a click); it inserts "@Name#id", which the server turns into a
// mention. Without JavaScript members can still type the names; nothing depends on this.
(function () {
  "use strict";
  var endpoint = document.documentElement.lang ? "/" + document.documentElement.lang + "/forums/mentions/" : "/forums/mentions/";
  document.querySelectorAll("textarea[data-mentions]").forEach(function (area) {
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = area.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    // A listbox needs a name: the text area's own label ("Message"), which it belongs to.
    var label = area.labels && area.labels[0];
    if (label) {
      if (!label.id) label.id = area.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    area.after(list);
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-autocomplete", "list");
    var start = -1, active = -1, timer = null;

    function close() {
      list.hidden = true; list.textContent = ""; start = -1; active = -1;
      area.removeAttribute("aria-activedescendant");
    }
    function pick(item) {
      var before = area.value.slice(0, start), after = area.value.slice(area.selectionStart);
      var text = "@" + item.dataset.name + "#" + item.dataset.id + " ";
      area.value = before + text + after;
      area.selectionStart = area.selectionEnd = before.length + text.length;
      close();
      area.focus();
    }
    function highlight(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      active = index;
      // Focus stays in the text area: this tells a screen reader which name is highlighted.
      if (index >= 0) area.setAttribute("aria-activedescendant", items[index].id);
      else area.removeAttribute("aria-activedescendant");
    }
    area.addEventListener("input", function () {
      var upto = area.value.slice(0, area.selectionStart);
      var match = /(^|\s)@([^\s@#]{2,30})$/.exec(upto);
      if (!match) { close(); return; }
      start = upto.length - match[2].length - 1;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(endpoint + "?q=" + encodeURIComponent(match[2]), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (member, i) {
              var li = document.createElement("li");
              li.setAttribute("role", "option");
              li.id = list.id + "-" + i;
              li.dataset.id = member.id;
              li.dataset.name = member.name;
              li.textContent = member.name;
              li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(li); });
              list.appendChild(li);
            });
            list.hidden = !data.results.length;
            highlight(data.results.length ? 0 : -1);
          });
      }, 150);
    });
    area.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        var n = list.children.length;
        highlight((active + (e.key === "ArrowDown" ? 1 : n - 1)) % n);
      } else if (e.key === "Enter" && active >= 0) {
        e.preventDefault();
        pick(list.children[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
  });
})();

/* Diaspora Hub progressive enhancement. Pages work without it; with it, one websocket per page
   carries every live stream the page follows (site news, the member's notifications, and the
   streams later features declare with data-live-stream="kind:id" attributes). */
(function () {
  "use strict";
  // On narrow screens the menu folds behind a button; without JavaScript it simply stays open.
  var toggle = document.querySelector(".menu-toggle");
  var header = document.querySelector(".site-header");
  if (toggle && header) {
    toggle.hidden = false;
    header.classList.add("js-collapsed");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      header.classList.toggle("js-collapsed", open);
    });
  }
})();

(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var wanted = [];
  if (document.querySelector("[data-live-site]")) wanted.push({ stream: "site" });
  if (document.body.hasAttribute("data-signed-in")) wanted.push({ stream: "notifications" });
  document.querySelectorAll("[data-live-stream]").forEach(function (el) {
    var parts = el.getAttribute("data-live-stream").split(":");
    wanted.push({ stream: parts[0], id: parts[1] || null });
  });
  if (!wanted.length || !("WebSocket" in window)) return;

  var delay = 1000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/live/?lang=" + encodeURIComponent(lang));
    socket.addEventListener("open", function () {
      delay = 1000;
      wanted.forEach(function (w) {
        socket.send(JSON.stringify({ type: "subscribe", stream: w.stream, id: w.id }));
      });
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "subscribed") {
        // Which streams this page follows now: for assistive checks and the browser tests.
        var following = (document.body.getAttribute("data-live-streams") || "").split(" ");
        if (following.indexOf(frame.stream) < 0) following.push(frame.stream);
        document.body.setAttribute("data-live-streams", following.join(" ").trim());
      }
      if (frame.type === "revoked") {
        // No longer ours to follow: do not ask again on the next reconnect.
        wanted = wanted.filter(function (w) {
          return !(w.stream === frame.stream && String(w.id) === String(frame.id));
        });
      }
      document.dispatchEvent(new CustomEvent("live:" + frame.type, { detail: frame }));
    });
    socket.addEventListener("close", function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
    window.diasporaLive = socket;
  }

  document.addEventListener("live:event", function (e) {
    var frame = e.detail;
    if (frame.stream === "notifications" && frame.data && frame.data.event === "unread") {
      // The count only; the list itself is fetched by opening the notification centre.
      var badge = document.querySelector("[data-unread-count]");
      var number = document.querySelector("[data-unread-number]");
      if (badge && number) {
        var count = parseInt(frame.data.unread, 10) || 0;
        number.textContent = String(count);
        badge.hidden = count === 0;
      }
    }
    if (frame.stream === "site" && frame.data && frame.data.event === "page_changed") {
      var note = document.querySelector("[data-live-site]");
      if (note) note.hidden = false;
    }
  });
  connect();
})();

(function () {
  "use strict";
  // A deadline is shown in its organiser's time zone; add the reader's own, from the browser,
  // unless the server already gave a signed-in member the one from their profile. The label
  // ("Your time: {when}") is given once, on the body, not on each of a listing's times.
  var here;
  try { here = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var label = document.body.getAttribute("data-your-time");
  if (!here || !label) return;
  var lang = document.documentElement.lang || "en";
  document.querySelectorAll("time[data-zone]").forEach(function (el) {
    var next = el.nextElementSibling;
    if ((next && next.classList.contains("your-time")) || el.getAttribute("data-zone") === here) return;
    var moment = new Date(el.getAttribute("datetime"));
    if (isNaN(moment.getTime())) return;
    var when = moment.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
    var span = document.createElement("span");
    span.className = "your-time";
    span.textContent = label.replace("{when}", when) + " ";
    var zone = document.createElement("bdi");
    zone.dir = "ltr";
    zone.textContent = "(" + here + ")";
    span.appendChild(zone);
    el.after(" ", span);
  });
})();

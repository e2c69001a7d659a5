/* Live thread page: what arrives on the page's one websocket (static/js/site.js) for
   "thread:<id>" names posts by id only; this fetches this reader's own rendering of them from
   the thread's posts endpoint and puts it in place. New posts are appended when the reader is
   at the end of the thread; scrolled up, a "N new posts" bar offers to jump to them. After a
   dropped socket reconnects, the posts written meanwhile are fetched. Without JavaScript the
   page works by plain reload. */
(function () {
  "use strict";
  var box = document.querySelector("[data-live-thread]");
  if (!box || !window.fetch) return;
  var threadId = box.getAttribute("data-live-thread");
  var url = box.getAttribute("data-posts-url");
  var appendable = box.hasAttribute("data-live-append");
  var bar = document.querySelector("[data-new-posts]");
  var notice = document.querySelector("[data-live-notice]");
  var unseen = [];
  var busy = false, again = false, subscribedOnce = false;

  function postId(el) { return parseInt(el.id.replace("post-", ""), 10) || 0; }
  function lastId() {
    var id = 0;
    box.querySelectorAll("article.post").forEach(function (el) { id = Math.max(id, postId(el)); });
    return id;
  }
  function atEnd() {
    var posts = box.querySelectorAll("article.post");
    if (!posts.length) return true;
    return posts[posts.length - 1].getBoundingClientRect().top <= window.innerHeight;
  }
  function toNode(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }
  function get(query) {
    return fetch(url + "?" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }
  function tell(kind) {
    if (!notice) return;
    notice.querySelector("span").textContent = notice.getAttribute("data-" + kind);
    notice.hidden = false;
  }
  function hideBar() { unseen = []; if (bar) bar.hidden = true; }

  function fetchNew() {
    if (!appendable) return; // an earlier page: its "Later posts" link leads on
    if (busy) { again = true; return; }
    busy = true;
    var end = atEnd();
    get("after=" + lastId() + "&unseen=" + unseen.length + (end ? "&read=1" : "")).then(function (data) {
      var empty = box.querySelector(":scope > p");
      data.posts.forEach(function (p) {
        if (document.getElementById("post-" + p.id)) return;
        var node = toNode(p.html);
        if (!node) return;
        if (empty) { empty.remove(); empty = null; }
        box.appendChild(node);
        if (!end) unseen.push(p.id);
      });
      if (unseen.length && bar) { bar.textContent = data.new_label; bar.hidden = false; }
      busy = false;
      if (data.more || again) { again = false; fetchNew(); }
    }).catch(function () { busy = false; });
  }

  function refresh(ids) {
    var present = ids.filter(function (id) { return document.getElementById("post-" + id); });
    if (!present.length) return;
    get("ids=" + present.join(",")).then(function (data) {
      data.posts.forEach(function (p) {
        var old = document.getElementById("post-" + p.id);
        var node = toNode(p.html);
        if (old && node) {
          if (old.classList.contains("unread")) node.classList.add("unread");
          old.replaceWith(node);
        }
      });
    }).catch(function () {});
  }

  if (bar) {
    bar.addEventListener("click", function () {
      var first = unseen.length && document.getElementById("post-" + unseen[0]);
      hideBar();
      if (!first) return;
      first.setAttribute("tabindex", "-1");
      first.scrollIntoView({ block: "start" });
      first.focus({ preventScroll: true });
    });
    window.addEventListener("scroll", function () { if (unseen.length && atEnd()) hideBar(); }, { passive: true });
  }

  function ours(frame) { return frame.stream === "thread" && String(frame.id) === threadId; }
  document.addEventListener("live:subscribed", function (e) {
    if (!ours(e.detail)) return;
    if (subscribedOnce) {
      // Back after a drop: fetch what was posted meanwhile, and the shown posts afresh (edits,
      // hides and reactions missed while away).
      fetchNew();
      var shown = [];
      box.querySelectorAll("article.post").forEach(function (el) { shown.push(postId(el)); });
      refresh(shown.slice(-50));
    }
    subscribedOnce = true;
    box.setAttribute("data-live-ready", "");
  });
  document.addEventListener("live:event", function (e) {
    var frame = e.detail;
    if (!ours(frame) || !frame.data) return;
    if (frame.data.event === "created") fetchNew();
    else if (frame.data.event === "state") tell("changed");
    else refresh(frame.data.posts || []);
  });
  document.addEventListener("live:revoked", function (e) {
    if (ours(e.detail)) tell("revoked");
  });
})();

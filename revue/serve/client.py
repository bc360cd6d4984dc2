"""The live-reload script the server adds to the HTML pages it serves (never to `_site/`).

Each piece of news from the server carries a number, and each tab handles every number
once, in order:
- it shows the build errors in a French overlay over the page, or removes it;
- it swaps the stylesheets whose hashed URL changed, without reloading the page;
- it updates only when its own URL is among the changed pages (once the build is clean):
  it fetches its page again and puts the new head and body in place of the old ones, which
  is quicker than a reload (no new document, no stylesheet to fetch again, no script to run
  again) and keeps the reader where they were in the page. A page with scripts of its own
  (the search page), or whose stylesheets changed otherwise than by a swap, or that moved,
  reloads instead, so that it is exactly what a reload shows.

A page knows the number of the last news when it was served, and the errors then. On
load it asks the event endpoint once for the news it missed since (`once=1`, a short JSON
answer). Live news then come from one Server-Sent Events stream per browser, not per tab
(a browser allows only six connections per server over HTTP/1.1): the tab holding a Web
Lock opens the stream and passes every piece of news on to the other tabs through a
BroadcastChannel; when it closes, another tab takes the lock and the stream over. Where
Web Locks are missing (an address that is not a secure context), each tab has its own.
"""

from __future__ import annotations

import json
import re

EVENTS = "__revue__/events"

# The overlay's text is French: the reader of the preview is the review's editor.
_SCRIPT = """
(function () {
  "use strict";
  var settings = %(settings)s;
  var last = settings.number;  // the last news handled
  var stale = false;  // the page changed while the build had errors: update once fixed
  var errors = settings.errors;  // those shown now
  var asked = 0;  // the number of the last update asked for: only its answer is used
  var overlayId = "revue-erreurs";
  var query = "&server=" + encodeURIComponent(settings.server);
  var key = "revue " + settings.events + " " + settings.server;
  var channel = window.BroadcastChannel ? new BroadcastChannel(key) : null;
  window.__revue = {news: last};  // for tests

  function here(url) {
    try { return decodeURI(new URL(url, location.href).pathname); } catch (e) { return url; }
  }

  function showErrors(errors) {
    var old = document.getElementById(overlayId);
    if (old) { old.remove(); }
    if (!errors.length) { return; }
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.setAttribute("lang", "fr");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.92);color:#fff;font:16px/1.5 system-ui,sans-serif;" +
      "padding:2rem;";
    var title = document.createElement("h2");
    title.textContent = "Erreur de construction";
    title.style.cssText = "margin:0 0 1rem;color:#ff8080;font-size:1.5rem;";
    var help = document.createElement("p");
    help.textContent = "Le site n’a pas pu être reconstruit. Vous voyez la dernière " +
      "version sans erreur ; corrigez le fichier indiqué et la page se mettra à jour " +
      "toute seule.";
    var list = document.createElement("pre");
    list.style.cssText = "white-space:pre-wrap;background:#000;color:#ffd0d0;" +
      "padding:1rem;border-radius:4px;font:14px/1.5 ui-monospace,monospace;";
    list.textContent = errors.join("\\n");
    box.append(title, help, list);
    (document.body || document.documentElement).append(box);
  }

  function swapStylesheets(pairs) {
    pairs.forEach(function (pair) {
      document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
        if (here(link.href) !== pair[0]) { return; }
        var fresh = link.cloneNode();
        fresh.href = pair[1];
        fresh.addEventListener("load", function () { link.remove(); });
        fresh.addEventListener("error", function () { link.remove(); });
        link.after(fresh);
      });
    });
  }

  function runsScripts(doc) {
    return Array.prototype.some.call(doc.scripts, function (script) {
      var type = script.type.toLowerCase();
      return !script.hasAttribute("data-revue") &&
        (type === "" || type === "module" || /javascript|ecmascript/.test(type));
    });
  }

  function stylesheets(doc) {
    var links = doc.querySelectorAll('link[rel~="stylesheet"]');
    return Array.prototype.map.call(links, function (link) { return here(link.href); }).join(" ");
  }

  function sameHeadChildren(head) {
    // Keep the head's elements that the new head has too (its stylesheets among them,
    // so nothing is fetched or applied again); replace the others (title, description).
    var wanted = Array.prototype.map.call(head.children, function (e) { return e.outerHTML; });
    Array.prototype.slice.call(document.head.children).forEach(function (element) {
      var at = wanted.indexOf(element.outerHTML);
      if (at >= 0) { wanted[at] = null; } else { element.remove(); }
    });
    Array.prototype.forEach.call(head.children, function (element, at) {
      if (wanted[at] !== null) { document.head.append(document.importNode(element, true)); }
    });
  }

  function update() {
    var mine = ++asked;
    fetch(location.href, {cache: "no-store"})
      .then(function (response) {
        if (response.redirected) { throw new Error("moved"); }
        return response.text();
      })
      .then(function (html) {
        if (mine !== asked) { return; }  // a later update is on its way
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (runsScripts(document) || runsScripts(fresh) ||
            stylesheets(document) !== stylesheets(fresh)) {
          location.reload();
          return;
        }
        fresh.querySelectorAll("script[data-revue]").forEach(function (s) { s.remove(); });
        sameHeadChildren(fresh.head);
        document.body.replaceWith(document.adoptNode(fresh.body));
        showErrors(errors);  // news that came while the page was fetched
      })
      .catch(function () { location.reload(); });
  }

  function concerned(changed) {
    var mine = [here(location.href), settings.served];
    return changed.some(function (url) { return url === "*" || mine.indexOf(url) >= 0; });
  }

  function handle(news) {
    if (news.number <= last) { return; }
    last = news.number;
    window.__revue.news = last;
    stale = stale || concerned(news.changed);
    errors = news.errors;
    showErrors(errors);
    if (stale && !errors.length) {
      stale = false;
      update();
    }
    swapStylesheets(news.stylesheets);
  }

  function listen() {
    var source = new EventSource(settings.events + "?since=" + last + query);
    source.addEventListener("news", function (event) {
      var news = JSON.parse(event.data);
      if (channel) { channel.postMessage(news); }
      handle(news);
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  showErrors(errors);
  if (channel) { channel.onmessage = function (event) { handle(event.data); }; }
  fetch(settings.events + "?once=1&since=" + last + query)
    .then(function (response) { return response.json(); })
    .then(function (missed) { missed.forEach(handle); })
    .catch(function () {});
  if (channel && navigator.locks) {
    navigator.locks.request(key, function () {
      listen();
      return new Promise(function () {});  // hold the lock while the page lives
    });
  } else {
    listen();
  }
})();
"""

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def live_script(
    events: str, served: str, number: int, server: str, errors: tuple[str, ...] = ()
) -> str:
    """The `<script>` element for a page served at URL path `served`.

    `events` is the event endpoint's URL path, `number` the last news when the page was
    served, `errors` the build errors then, and `server` a token naming this run of the
    server (a page served by an earlier run reloads).
    """
    settings = {
        "events": events,
        "served": served,
        "number": number,
        "server": server,
        "errors": list(errors),
    }
    payload = json.dumps(settings).replace("<", "\\u003c")
    return "<script data-revue>" + _SCRIPT % {"settings": payload} + "</script>\n"


def inject(html: bytes, script: str) -> bytes:
    """The page with the script added just before its last `</body>` (or at its end)."""
    code = script.encode("utf-8")
    matches = list(_BODY_END.finditer(html))
    if not matches:
        return html + code
    at = matches[-1].start()
    return html[:at] + code + html[at:]


def event(news: dict[str, object], number: int) -> bytes:
    """One Server-Sent Event named `news` carrying `news` as JSON."""
    data = json.dumps(news, ensure_ascii=False)
    return f"id: {number}\nevent: news\ndata: {data}\n\n".encode()

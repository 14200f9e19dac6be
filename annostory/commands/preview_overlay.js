/* annostory preview: the error overlay, injected into every page by `serve`.
   window.__annostoryPreview = {errors: [...], build: n} comes just before it. */
(function () {
  "use strict";
  var data = window.__annostoryPreview || { errors: [] };
  if (!data.errors.length) return;
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }
  function show() {
    var box = el("div", "annostory-overlay");
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;" +
      "z-index:2147483647;background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,monospace;" +
      "padding:16px 20px;border-bottom:4px solid #ff6b6b;box-shadow:0 8px 30px rgba(0,0,0,.5)";
    var n = data.errors.length;
    var head = el("p", null, "Build failed: " + n + " error" + (n > 1 ? "s" : "") +
      ". This page is the last good build; it reloads by itself when the files are fixed.");
    head.style.cssText = "font-weight:bold;margin:0 0 8px";
    box.appendChild(head);
    data.errors.forEach(function (e) {
      var item = el("div", "annostory-error");
      item.style.margin = "10px 0";
      item.appendChild(el("div", null, e.where + ": " + e.severity + ": " + e.message));
      if (e.excerpt) {
        var pre = el("pre", null, e.excerpt);
        pre.style.cssText = "margin:4px 0;color:#ffd6d6;white-space:pre-wrap";
        item.appendChild(pre);
      }
      if (e.hint) item.appendChild(el("div", null, "hint: " + e.hint));
      box.appendChild(item);
    });
    var hide = el("button", null, "Hide");
    hide.type = "button";
    hide.onclick = function () { box.remove(); };
    box.appendChild(hide);
    document.body.appendChild(box);
  }
  if (document.body) show(); else document.addEventListener("DOMContentLoaded", show);
})();

/* annostory notes: show a quote's note on hover, focus or tap.
   Without this script every quote still links to its note under "Sources".
   Follows WCAG 2.2 SC 1.4.13: hoverable, persistent, dismissible (Escape).
   The note is a box at the end of <body>, there only while it is open: the page's
   text is the same before and after a note is read (annotation tools count it), and
   Tab still goes from a quote into its open note and on to what follows the quote. */
(function () {
  "use strict";
  var SHOW_DELAY = 150, HIDE_DELAY = 300, MARGIN = 8, GAP = 10;
  var quotes = document.querySelectorAll("[data-note]");
  if (!quotes.length) return;

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  var pop = document.createElement("div");
  pop.className = "note-popup";
  pop.id = "annostory-popup";
  pop.setAttribute("role", "group");
  var arrow = document.createElement("span");
  arrow.className = "note-arrow";
  arrow.setAttribute("aria-hidden", "true");
  arrow.hidden = true;
  document.body.appendChild(arrow);
  var current = null, pinned = false, showTimer = 0, hideTimer = 0;
  var lastX = -1, lastY = -1, hoverQuote = null, overPop = false;
  var dismissed = null;  /* closed with Escape: stays closed until pointer and focus leave it */

  function clear() { clearTimeout(showTimer); clearTimeout(hideTimer); }

  function fill(quote) {
    var id = quote.getAttribute("data-note");
    var body = document.getElementById("about-" + id);
    pop.textContent = "";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "note-close";
    close.setAttribute("aria-label", "Close note");
    close.textContent = "\u00d7";
    close.addEventListener("click", function () { var q = current; hide(); if (q) q.focus(); });
    pop.appendChild(close);
    if (body) {
      var copy = body.cloneNode(true);
      copy.removeAttribute("id");
      Array.prototype.forEach.call(copy.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
      while (copy.firstChild) pop.appendChild(copy.firstChild);
    }
    pop.setAttribute("aria-label", "Note on \u201c" + quote.textContent.trim().slice(0, 60) + "\u201d");
  }

  function setTabbable(on) {
    Array.prototype.forEach.call(pop.querySelectorAll("a, button"), function (el) {
      if (on) el.removeAttribute("tabindex"); else el.setAttribute("tabindex", "-1");
    });
  }

  function place(quote) {
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    var rects = quote.getClientRects();
    var r = quote.getBoundingClientRect();
    var first = rects.length ? rects[0] : r;
    pop.style.maxHeight = (vh - 2 * MARGIN) + "px";
    pop.style.left = "0px"; pop.style.top = "0px";
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var below = vh - MARGIN - (r.bottom + GAP), above = r.top - GAP - MARGIN;
    var top;
    if (h <= below) top = r.bottom + GAP;             /* below by default */
    else if (h <= above) top = r.top - GAP - h;        /* flipped above */
    else {                                             /* too tall: the roomier side, scrolling */
      h = Math.max(below, above);
      pop.style.maxHeight = h + "px";
      top = below >= above ? r.bottom + GAP : MARGIN;
    }
    top = Math.min(Math.max(top, MARGIN), vh - MARGIN - Math.min(h, vh - 2 * MARGIN));
    var left = Math.max(MARGIN, Math.min(Math.max(first.left, MARGIN), vw - MARGIN - w));
    pop.style.left = left + "px";
    pop.style.top = top + "px";
    pointTo(rects.length ? rects : [r], left, top, w, pop.offsetHeight);
  }

  /* The pointer: a small square turned 45 degrees on the note's edge, under the line
     of the quote nearest to it (outside the note box, which may scroll and clip). */
  function pointTo(rects, left, top, w, h) {
    var lastLine = rects[rects.length - 1], firstLine = rects[0];
    var side = top >= lastLine.bottom - 1 ? "below" : (top + h <= firstLine.top + 1 ? "above" : "");
    if (!side) { arrow.hidden = true; return; }
    var line = side === "below" ? lastLine : firstLine;
    var x = line.left + Math.min(line.width / 2, 24);
    x = Math.min(Math.max(x, left + 14), left + w - 14);
    arrow.className = "note-arrow note-arrow-" + side;
    arrow.style.left = (x - 6) + "px";
    arrow.style.top = (side === "below" ? top - 6 : top + h - 6) + "px";
    arrow.hidden = false;
  }

  function show(quote, pin) {
    clear();
    var keepPinned = pinned && current === quote;
    dismissed = null;
    if (current !== quote) {
      if (current) { current.setAttribute("aria-expanded", "false"); current.removeAttribute("aria-controls"); }
      current = quote;
      fill(quote);
      document.body.appendChild(pop);
      quote.setAttribute("aria-controls", pop.id);
    }
    pinned = !!pin || keepPinned;
    quote.setAttribute("aria-expanded", pinned ? "true" : "false");
    setTabbable(pinned);
    place(quote);
    /* A scrolling box is a tab stop in Chromium: only when opened on purpose. */
    pop.tabIndex = pinned && pop.scrollHeight > pop.clientHeight ? 0 : -1;
  }

  function hide() {
    clear();
    if (!current) return;
    current.setAttribute("aria-expanded", "false");
    current.removeAttribute("aria-controls");
    if (pop.parentNode) pop.parentNode.removeChild(pop);
    arrow.hidden = true;
    pinned = false;
    current = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      if (overPop || (current && (current === hoverQuote || current === document.activeElement ||
          pop.contains(document.activeElement)))) return;
      hide();
    }, HIDE_DELAY);
  }

  function isOpen() { return !!current && !!pop.parentNode; }

  /* The element Tab reaches after `el` in the page (the note box left out). */
  function nextAfter(el) {
    var all = Array.prototype.filter.call(document.querySelectorAll(FOCUSABLE), function (x) {
      return !pop.contains(x) && x.tabIndex >= 0 && !x.disabled && x.getClientRects().length;
    });
    return all[all.indexOf(el) + 1] || null;
  }

  function inPop() {
    return Array.prototype.filter.call(pop.querySelectorAll(FOCUSABLE), function (x) {
      return x.tabIndex >= 0;
    });
  }

  /* The note is at the end of the page: Tab from its open quote goes into it, and from
     its last link (or Shift+Tab from its first) back to the page where it would be. */
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Tab" || !isOpen() || !pinned) return;
    var items = inPop(), active = document.activeElement;
    if (!items.length) return;
    var target = null;
    if (active === current && !e.shiftKey) target = items[0];
    else if (active === items[0] && e.shiftKey) target = current;
    else if (active === items[items.length - 1] && !e.shiftKey) target = nextAfter(current);
    if (!target) return;
    e.preventDefault();
    target.focus();
  });

  Array.prototype.forEach.call(quotes, function (quote) {
    quote.setAttribute("aria-expanded", "false");

    quote.addEventListener("pointermove", function (e) {
      if (e.pointerType !== "mouse" && e.pointerType !== "pen") return;
      var moved = e.clientX !== lastX || e.clientY !== lastY;
      lastX = e.clientX; lastY = e.clientY;
      hoverQuote = quote;
      if (!moved || (current === quote && isOpen())) return;  /* page scrolled under a still pointer */
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      showTimer = setTimeout(function () {
        if (hoverQuote === quote && dismissed !== quote) show(quote, false);
      }, SHOW_DELAY);
    });
    quote.addEventListener("pointerleave", function (e) {
      if (e.pointerType !== "mouse" && e.pointerType !== "pen") return;
      if (hoverQuote === quote) hoverQuote = null;
      if (dismissed === quote && document.activeElement !== quote) dismissed = null;
      clearTimeout(showTimer);
      /* Leaving any quote (even one merely crossed on the way) lets an open, unpinned
         note close: crossing another quote must not keep it open for ever. */
      if (current && !pinned) hideSoon();
    });
    quote.addEventListener("focus", function () {
      if (current !== quote && dismissed !== quote) show(quote, false);
    });
    quote.addEventListener("blur", function () {
      if (dismissed === quote && hoverQuote !== quote) dismissed = null;
      setTimeout(function () {
        if (current === quote && !pop.contains(document.activeElement) &&
            document.activeElement !== quote && !overPop && hoverQuote !== quote) hide();
      }, 0);
    });
    quote.addEventListener("click", function (e) {
      e.preventDefault();                        /* open the note, do not jump to Sources */
      if (current === quote && pinned) hide(); else show(quote, true);
    });
  });

  pop.addEventListener("pointerenter", function () { overPop = true; clearTimeout(hideTimer); });
  pop.addEventListener("pointerleave", function (e) {
    overPop = false;
    if (e.pointerType === "mouse" && !pinned) hideSoon();
  });
  pop.addEventListener("focusout", function (e) {
    if (!pop.contains(e.relatedTarget) && e.relatedTarget !== current) hideSoon();
  });

  document.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && current) {
      var back = pop.contains(document.activeElement) ? current : null;
      dismissed = current;
      hide();
      if (back) back.focus({ preventScroll: true });
    }
  });
  document.addEventListener("pointerdown", function (e) {
    if (current && !pop.contains(e.target) && !current.contains(e.target)) hide();
  });
  window.addEventListener("resize", function () { if (isOpen()) place(current); });
  window.addEventListener("scroll", function () {
    if (!isOpen()) return;
    var r = current.getBoundingClientRect();
    if (r.bottom < 0 || r.top > window.innerHeight) hide();  /* its quote scrolled away */
    else place(current);
  }, { passive: true });
})();

/*
 * The document pages: what the reader chose to mark in the text (names by kind, dates; the checkboxes of
 * fieldset.marks, which the stylesheet follows by itself with :has(), without script) is remembered from page to
 * page in localStorage; a marked name, chosen with the mouse, the keyboard or a touch, opens a small panel
 * about its record (the cards of template#record-cards, made at build time) without leaving the text, closed
 * with Escape, its button or a click elsewhere; on wide screens a note's call shows the note beside it
 * instead of jumping to the list of notes; the citation gets the reader's date of access and a copy button.
 * Nothing is fetched and nothing from the page is inserted as HTML: the cards are cloned from the template.
 */
(function () {
  "use strict";

  var KEY = "edition-marks";
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".marks input[type=checkbox]"));
  var reading = document.querySelector(".reading");
  var panel = document.getElementById("record-panel");
  var cards = document.getElementById("record-cards");
  var opener = null;

  function stored() {
    try {
      var v = window.localStorage.getItem(KEY);
      return v === null ? null : v.split(",").filter(Boolean);
    } catch (e) {
      return null;  // storage refused (a file opened from the disk, a private window): the page still works
    }
  }

  function store() {
    try {
      window.localStorage.setItem(KEY, boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }).join(","));
    } catch (e) { /* not remembered */ }
  }

  function marked(kind) {
    var box = document.getElementById("mark-" + kind);
    return !!(box && box.checked);
  }

  // names of a kind not marked are plain text: out of the way of the keyboard too
  function reach() {
    if (!reading) { return; }
    Array.prototype.forEach.call(reading.querySelectorAll("a.ent, a.date"), function (a) {
      var kind = a.classList.contains("date") ? "date" : a.getAttribute("data-kind");
      if (marked(kind)) { a.removeAttribute("tabindex"); } else { a.setAttribute("tabindex", "-1"); }
    });
  }

  var chosen = stored();
  if (chosen !== null) {
    boxes.forEach(function (b) { b.checked = chosen.indexOf(b.value) >= 0; });
  }
  boxes.forEach(function (b) {
    b.addEventListener("change", function () { store(); reach(); });
  });
  reach();

  // ---- the panel of a name ------------------------------------------------------------------------

  function card(id) {
    if (!cards || !id) { return null; }
    var found = cards.content.querySelector("[data-record=\"" + id.replace(/["\\]/g, "") + "\"]");
    return found ? found.cloneNode(true) : null;
  }

  function close(back) {
    if (!panel || panel.hidden) { return; }
    panel.hidden = true;
    if (back && opener) { opener.focus(); }
    opener = null;
  }

  function place(target) {
    if (window.matchMedia("(max-width: 40rem)").matches) {
      panel.style.left = "";
      panel.style.top = "";
      return;  // a sheet at the foot of the screen (the stylesheet)
    }
    var r = target.getBoundingClientRect();
    var width = panel.offsetWidth;
    var left = Math.min(Math.max(8, r.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - width - 8);
    panel.style.left = left + "px";
    panel.style.top = (r.bottom + window.scrollY + 6) + "px";
  }

  function open(target) {
    var ids = (target.getAttribute("data-ref") || "").split(/\s+/).filter(Boolean);
    var body = panel.querySelector(".panel-body");
    body.textContent = "";
    if (ids.length > 1) {
      var several = document.createElement("p");
      several.className = "panel-note";
      several.textContent = panel.getAttribute("data-several");
      body.appendChild(several);
    }
    ids.forEach(function (id) {
      var c = card(id);
      if (c) { body.appendChild(c); }
    });
    // the names within this one (links do not nest: they are reached from here)
    var inner = Array.prototype.slice.call(target.querySelectorAll(".ent[data-ref]"));
    var seen = {};
    ids.forEach(function (id) { seen[id] = true; });
    var more = [];
    inner.forEach(function (el) {
      el.getAttribute("data-ref").split(/\s+/).forEach(function (id) {
        if (id && !seen[id]) { seen[id] = true; more.push(id); }
      });
    });
    if (more.length) {
      var label = document.createElement("p");
      label.className = "panel-note";
      label.textContent = panel.getAttribute("data-inside");
      body.appendChild(label);
      more.forEach(function (id) {
        var c = card(id);
        if (c) { body.appendChild(c); }
      });
    }
    if (!body.firstChild) { return false; }
    opener = target;
    panel.hidden = false;
    place(target);
    panel.focus();
    return true;
  }

  if (reading && panel) {
    panel.setAttribute("tabindex", "-1");
    reading.addEventListener("click", function (event) {
      // the outermost marked name around what was chosen (one underline shows for a name within a name)
      var target = null;
      var el = event.target.closest ? event.target.closest(".ent[data-ref]") : null;
      if (el && el.closest(".sidenote")) { return; }
      while (el && reading.contains(el)) {
        if (marked(el.getAttribute("data-kind"))) { target = el; }
        el = el.parentElement && el.parentElement.closest(".ent[data-ref]");
      }
      if (!target) { return; }
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) { return; }  // a new tab: the register
      if (open(target)) { event.preventDefault(); }
    });
    panel.querySelector(".panel-close").addEventListener("click", function () { close(true); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) {
        event.preventDefault();
        close(true);
      }
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !panel.contains(event.target) && !(opener && opener.contains(event.target))) { close(false); }
    });
    window.addEventListener("resize", function () { if (!panel.hidden && opener) { place(opener); } });
  }

  // ---- notes beside their calls --------------------------------------------------------------------

  if (reading) {
    reading.addEventListener("click", function (event) {
      var call = event.target.closest ? event.target.closest("a.noteref") : null;
      if (!call) { return; }
      var side = document.getElementById(call.getAttribute("href").slice(1) + "-side");
      if (!side || side.offsetParent === null) { return; }  // narrow screen: the list of notes
      event.preventDefault();
      side.classList.remove("flash");
      void side.offsetWidth;
      side.classList.add("flash");
    });
  }

  // ---- the citation: the reader's date of access, a copy button --------------------------------------

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  var accessed = document.querySelector(".citation .c-accessed");
  if (accessed) {
    var d = new Date();
    accessed.textContent = " " + accessed.getAttribute("data-label").replace(/^./, function (c) { return c.toUpperCase(); }) +
      " " + d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear() + ".";
  }
  var copy = document.querySelector("button.copy-citation");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var text = document.getElementById(copy.getAttribute("data-copy")).textContent.replace(/\s+/g, " ").trim();
      navigator.clipboard.writeText(text).then(function () {
        copy.textContent = copy.getAttribute("data-done");
      });
    });
  }
}());

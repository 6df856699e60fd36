/*
 * The search page: drives Pagefind's JavaScript API (pagefind/N/pagefind.js, made at build time) from the
 * form of search.html. The results come first, under the box; the filters (genre, year, organisation,
 * place) are built from the index into collapsed groups beside or below the results, and their numbers are
 * those of the results shown. "Search in" chooses the part of the documents searched (Pagefind's filter
 * "part": their texts, which is the default, their editorial notes, the web residue kept with them, or all).
 * The query and the choices are kept in the address (?q=…&in=notes&genre=…) so a search can be shared and
 * reloaded. Messages come from the form's data-msg-* attributes (the interface strings live in the
 * stylesheets). Excerpts are rebuilt as text and <mark> only: nothing from the index is inserted as HTML.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form) { return; }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var groups = Array.prototype.slice.call(document.querySelectorAll("details[data-filter]"));
  var parts = Array.prototype.slice.call(form.querySelectorAll("input[name=in]"));
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);
  var PAGE = 10;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var generation = 0;
  var timer = null;

  function msg(key, n) {
    return (form.getAttribute("data-msg-" + key) || "").replace("{n}", String(n));
  }

  if (location.protocol === "file:") {
    status.textContent = msg("file");
    return;
  }

  function params() {
    return new URLSearchParams(location.search);
  }

  function buildFilters(available) {
    var wanted = params();
    groups.forEach(function (group) {
      var name = group.getAttribute("data-filter");
      var fs = group.querySelector("fieldset");
      var counts = available[name] || {};
      var values = Object.keys(counts).sort(function (a, b) { return a.localeCompare(b, undefined, { numeric: true }); });
      var chosen = wanted.getAll(name);
      values.forEach(function (value, i) {
        var id = "f-" + name + "-" + i;
        var wrap = document.createElement("div");
        wrap.className = "check";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = id;
        box.name = name;
        box.value = value;
        box.checked = chosen.indexOf(value) >= 0;
        box.addEventListener("change", run);
        var label = document.createElement("label");
        label.htmlFor = id;
        label.appendChild(document.createTextNode(value + " "));
        var n = document.createElement("span");
        n.className = "n";
        label.appendChild(n);
        wrap.appendChild(box);
        wrap.appendChild(label);
        fs.appendChild(wrap);
      });
      group.hidden = values.length === 0;
      if (chosen.length) { group.open = true; }
    });
  }

  // the numbers of the results shown, per value (Pagefind's counts for the current search)
  function showCounts(counts) {
    groups.forEach(function (group) {
      var name = group.getAttribute("data-filter");
      var c = counts[name] || {};
      var inGroup = 0;
      Array.prototype.forEach.call(group.querySelectorAll("input"), function (box) {
        var n = c[box.value] || 0;
        inGroup += n;
        box.parentNode.querySelector(".n").textContent = "(" + n + ")";
        box.parentNode.classList.toggle("none", n === 0 && !box.checked);
      });
      group.querySelector("summary .n").textContent = "(" + Object.keys(c).filter(function (k) { return c[k] > 0; }).length + ")";
    });
  }

  function part() {
    var r = parts.filter(function (p) { return p.checked; })[0];
    return r ? r.value : "text";
  }

  function selected() {
    var out = {};
    groups.forEach(function (group) {
      var name = group.getAttribute("data-filter");
      var values = Array.prototype.slice.call(group.querySelectorAll("input:checked")).map(function (b) { return b.value; });
      if (values.length) { out[name] = { any: values }; }
    });
    return out;
  }

  function remember(query, filters) {
    var p = new URLSearchParams();
    if (query) { p.set("q", query); }
    if (part() !== "text") { p.set("in", part()); }
    Object.keys(filters).forEach(function (name) {
      filters[name].any.forEach(function (v) { p.append(name, v); });
    });
    var search = p.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function excerpt(html) {
    var out = document.createElement("p");
    out.className = "excerpt";
    var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
    Array.prototype.forEach.call(doc.body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        out.appendChild(m);
      } else {
        out.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return out;
  }

  async function showMore() {
    var mine = generation;
    var slice = results.slice(shown, shown + PAGE);
    var data = await Promise.all(slice.map(function (r) { return r.data(); }));
    if (mine !== generation) { return false; }
    var items = document.createDocumentFragment();
    data.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      var meta = d.meta || {};
      a.href = meta.url ? new URL(meta.url, root).href : d.url;
      var title = meta.title || d.url;
      a.textContent = title;
      li.appendChild(a);
      var about = [];
      var which = meta.part && meta.part !== "text" ? document.getElementById("in-" + meta.part) : null;
      if (which) { about.push(which.nextElementSibling.textContent); }
      if (meta.date && title.indexOf(meta.date) < 0) { about.push(meta.date); }  // a title that has its date says it once
      if (about.length) {
        var when = document.createElement("span");
        when.className = "when";
        when.textContent = " — " + about.join(", ");
        li.appendChild(when);
      }
      li.appendChild(excerpt(d.excerpt || ""));
      items.appendChild(li);
    });
    if (shown === 0) { list.textContent = ""; }
    list.appendChild(items);
    shown += slice.length;
    more.hidden = shown >= results.length;
    return true;
  }

  async function run() {
    if (!pagefind) { return; }
    clearTimeout(timer);
    form.setAttribute("data-state", "busy");
    var query = input.value.trim();
    var filters = selected();
    remember(query, filters);
    generation += 1;
    var mine = generation;
    var options = { filters: Object.assign({}, filters) };
    var where = parts.filter(function (p) { return p.checked; })[0];
    var value = where ? where.getAttribute("data-filter-value") : "";
    if (value) { options.filters.part = { any: [value] }; }
    if (!query) { options.sort = { date: "asc" }; }
    var search = await pagefind.search(query || null, options);
    await pause();
    if (mine !== generation || !search) { return; }
    if (!query && Object.keys(filters).length === 0) {  // nothing asked yet: the numbers of all there is
      results = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = msg("prompt");
      showCounts(search.filters || {});
      form.setAttribute("data-state", "done");
      return;
    }
    results = search.results;
    shown = 0;
    if (results.length === 0) { list.textContent = ""; }
    if (await showMore() === false) { return; }
    showCounts(search.filters || {});
    status.textContent = results.length === 0 ? msg("none") : results.length === 1 ? msg("one") : msg("many", results.length);
    form.setAttribute("data-state", "done");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  parts.forEach(function (r) { r.addEventListener("change", run); });
  more.addEventListener("click", showMore);

  var start = params();
  input.value = start.get("q") || "";
  parts.forEach(function (r) { r.checked = r.value === (start.get("in") || "text"); });
  status.textContent = msg("loading");
  // the index comes in shards (pagefind/0/, pagefind/1/, ...): the first is loaded, the others merged in
  var shards = (form.getAttribute("data-shards") || "0").split(" ");
  // each step in a task of its own, so that the page stays responsive while the index loads
  function pause() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }
  import(new URL("pagefind/" + shards[0] + "/pagefind.js", root).href).then(async function (module) {
    await module.options({ baseUrl: root.pathname, excerptLength: 24 });
    for (var i = 1; i < shards.length; i += 1) {
      await module.mergeIndex(new URL("pagefind/" + shards[i] + "/", root).href, { baseUrl: root.pathname });
    }
    await module.init();
    await pause();
    var available = await module.filters();
    await pause();
    delete available.part;  // chosen with "Search in"
    buildFilters(available);
    pagefind = module;
    form.setAttribute("data-ready", "true");
    await run();
  }).catch(function () {
    status.textContent = msg("error");
  });
}());

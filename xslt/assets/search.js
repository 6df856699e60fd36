/*
 * The search page: drives Pagefind's JavaScript API (pagefind/N/pagefind.js, made at build time) from the
 * form of search.html. Filters (genre, year, organisation, place) are built from the index; the query and
 * the chosen filters are kept in the address (?q=…&genre=…) so a search can be shared and reloaded.
 * Messages come from the form's data-msg-* attributes (the interface strings live in the stylesheets).
 * Excerpts are rebuilt as text and <mark> only: nothing from the index is inserted as HTML.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  if (!form) { return; }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var fieldsets = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-filter]"));
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
    fieldsets.forEach(function (fs) {
      var name = fs.getAttribute("data-filter");
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
        n.textContent = "(" + counts[value] + ")";
        label.appendChild(n);
        wrap.appendChild(box);
        wrap.appendChild(label);
        fs.appendChild(wrap);
      });
      fs.hidden = values.length === 0;
    });
  }

  function selected() {
    var out = {};
    fieldsets.forEach(function (fs) {
      var name = fs.getAttribute("data-filter");
      var values = Array.prototype.slice.call(fs.querySelectorAll("input:checked")).map(function (b) { return b.value; });
      if (values.length) { out[name] = { any: values }; }
    });
    return out;
  }

  function remember(query, filters) {
    var p = new URLSearchParams();
    if (query) { p.set("q", query); }
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
      if (node.nodeType === 3) {
        out.appendChild(document.createTextNode(node.textContent));
      } else if (node.nodeName === "MARK") {
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
      a.href = d.url;
      a.textContent = (d.meta && d.meta.title) || d.url;
      li.appendChild(a);
      if (d.meta && d.meta.date) {
        var when = document.createElement("span");
        when.className = "when";
        when.textContent = " (" + d.meta.date + ")";
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
    if (!query && Object.keys(filters).length === 0) {
      results = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = msg("prompt");
      form.setAttribute("data-state", "done");
      return;
    }
    var options = { filters: filters };
    if (!query) { options.sort = { date: "asc" }; }
    var search = await pagefind.search(query || null, options);
    if (mine !== generation || !search) { return; }
    results = search.results;
    shown = 0;
    if (results.length === 0) { list.textContent = ""; }
    if (await showMore() === false) { return; }
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
  more.addEventListener("click", showMore);

  input.value = params().get("q") || "";
  status.textContent = msg("loading");
  // the index comes in shards (pagefind/0/, pagefind/1/, ...): the first is loaded, the others merged in
  var shards = (form.getAttribute("data-shards") || "0").split(" ");
  import(new URL("pagefind/" + shards[0] + "/pagefind.js", root).href).then(async function (module) {
    await module.options({ baseUrl: root.pathname, excerptLength: 24 });
    for (var i = 1; i < shards.length; i += 1) {
      await module.mergeIndex(new URL("pagefind/" + shards[i] + "/", root).href, { baseUrl: root.pathname });
    }
    await module.init();
    buildFilters(await module.filters());
    pagefind = module;
    form.setAttribute("data-ready", "true");
    await run();
  }).catch(function () {
    status.textContent = msg("error");
  });
}());

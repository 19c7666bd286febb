/* Career Paths: career maps and charts on the page.
   - A career map fits its column; "Zoom to full size" shows it at its drawn size in a box
     that scrolls both ways, starting where roles are (the highlighted role, else the
     highest roles of the tracks in view), with the tier labels and the track headers kept
     in view while it scrolls.
   - A map or chart wider than its box says it scrolls (data-cp-hint).
   - Map text that a browser's font draws wider than the layout measured is squeezed into
     its box (data-fit).
   - On a phone, the map's ladder shows one track at a time, picked from a list.
   - The "page not found" page links the role closest to a mistyped role address.
   Without JavaScript maps fit their column and ladders list every track. */
(function () {
  "use strict";

  /* Text lines of a group with data-fit="W" never run wider than W user units. */
  function fitText(svg) {
    svg.querySelectorAll("[data-fit]").forEach(function (group) {
      var width = parseFloat(group.getAttribute("data-fit"));
      group.querySelectorAll("text").forEach(function (text) {
        if (text.hasAttribute("textLength")) return;
        var drawn = text.getComputedTextLength();
        if (drawn > width) {
          text.setAttribute("textLength", String(width));
          text.setAttribute("lengthAdjust", "spacingAndGlyphs");
        }
      });
    });
  }

  /* Keeps the groups marked data-cm-sticky="x", "y" or "xy" at the visible edge. */
  function keepLabelsInView(scroller, svg) {
    var drawnWidth = svg.viewBox.baseVal.width;
    function update() {
      var scale = svg.getBoundingClientRect().width / drawnWidth || 1;
      var dx = scroller.scrollLeft / scale;
      var dy = scroller.scrollTop / scale;
      svg.querySelectorAll("[data-cm-sticky]").forEach(function (group) {
        var axes = group.getAttribute("data-cm-sticky");
        var x = axes.indexOf("x") >= 0 ? dx : 0;
        var y = axes.indexOf("y") >= 0 ? dy : 0;
        if (x || y) group.setAttribute("transform", "translate(" + x + " " + y + ")");
        else group.removeAttribute("transform");
      });
    }
    scroller.addEventListener("scroll", update, { passive: true });
    return update;
  }

  /* Scrolls a zoomed map to where roles are: the highlighted role in the middle, else the
     highest roles of the tracks in view just below the track headers. */
  function startWhereRolesAre(scroller, svg) {
    var view = scroller.getBoundingClientRect();
    var origin = svg.getBoundingClientRect();
    var strip = svg.querySelector(".cm-tracks .cm-strip");
    var header = strip ? strip.getBoundingClientRect().height : 0;
    var highlight = svg.querySelector(".cm-role-highlight .cm-box");
    if (highlight) {
      var box = highlight.getBoundingClientRect();
      scroller.scrollLeft = box.left - origin.left + box.width / 2 - view.width / 2;
      scroller.scrollTop = box.top - origin.top + box.height / 2 - (view.height + header) / 2;
      return;
    }
    var top = Infinity;
    svg.querySelectorAll(".cm-box").forEach(function (item) {
      var rect = item.getBoundingClientRect();
      var left = rect.left - origin.left;
      if (left < scroller.scrollLeft + view.width && left + rect.width > scroller.scrollLeft) {
        top = Math.min(top, rect.top - origin.top);
      }
    });
    if (top < Infinity) scroller.scrollTop = Math.max(0, top - header - 24);
  }

  function mountMap(figure) {
    if (figure.cpMounted) return;
    var scroller = figure.querySelector(".cp-map-scroll");
    var svg = scroller && scroller.querySelector("svg.cm-map");
    var tools = figure.querySelector(".cp-map-tools");
    var button = figure.querySelector("[data-cp-map-zoom]");
    if (!svg || !tools || !button) return;
    figure.cpMounted = true;
    var drawnWidth = svg.viewBox.baseVal.width;
    var update = keepLabelsInView(scroller, svg);

    function zoomed() { return figure.classList.contains("cp-map-zoomed"); }
    function refresh() {
      /* A map that fits at its drawn size has nothing to zoom to. */
      tools.hidden = !zoomed() && scroller.clientWidth >= drawnWidth - 1;
      fitText(svg);
      markOverflow(figure);
      update();
    }
    button.addEventListener("click", function () {
      var zoom = !zoomed();
      figure.classList.toggle("cp-map-zoomed", zoom);
      button.setAttribute("aria-pressed", zoom ? "true" : "false");
      button.textContent = zoom ? "Fit the map to the page" : "Zoom to full size";
      scroller.scrollLeft = 0;
      scroller.scrollTop = 0;
      if (zoom) startWhereRolesAre(scroller, svg);
      refresh();
    });
    figure.cpRefresh = refresh;
    refresh();
  }

  /* A map or chart wider than its box gets the hint above it and a shadow at the cut edge. */
  function markOverflow(figure) {
    var scroller = figure.querySelector(".cp-map-scroll");
    if (scroller) {
      figure.classList.toggle("cp-map-overflows", scroller.scrollWidth > scroller.clientWidth + 1);
    }
  }

  function mountLadder(ladder) {
    var select = ladder.querySelector("[data-cp-ladder-select]");
    if (ladder.cpMounted || !select) return;
    ladder.cpMounted = true;
    var tracks = ladder.querySelectorAll(".cp-ladder-track");
    if (tracks.length < 2) return;
    function show() {
      tracks.forEach(function (track) { track.hidden = track.getAttribute("data-track") !== select.value; });
    }
    select.addEventListener("change", show);
    select.closest(".cp-ladder-pick").hidden = false;
    show();
  }

  /* --- "Page not found": the closest role to a mistyped /<framework>/roles/<id>/ --------- */

  var ROLE_PATH = /^(.*\/)?([^\/]+)\/roles\/([^\/]+)(?:\/(?:index\.html)?)?$/;

  /* Edits (insert, delete, replace, swap two neighbours) that turn one text into another. */
  function distance(a, b) {
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, rows[i - 2][j - 2] + 1);
        }
        rows[i].push(best);
      }
    }
    return rows[a.length][b.length];
  }

  function slug(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  function closest(items, typed, keys) {
    var best = null;
    items.forEach(function (item) {
      keys(item).forEach(function (key) {
        var score = distance(typed, key);
        if (!best || score < best.score) best = { item: item, score: score };
      });
    });
    return best;
  }

  /* Every address under /<framework>/roles/: roles, aliases (shown as their role) and
     retired roles (their page says where they went). */
  function roleTargets(framework) {
    var titles = {};
    var targets = framework.roles.map(function (role) {
      titles[role[0]] = role[1];
      return { id: role[0], title: role[1], keys: [role[0], slug(role[1])] };
    });
    Object.keys(framework.aliases).forEach(function (alias) {
      var id = framework.aliases[alias];
      targets.push({ id: id, title: titles[id] || id, keys: [alias] });
    });
    Object.keys(framework.retired).forEach(function (id) {
      targets.push({ id: id, title: framework.retired[id] + " (retired)", keys: [id] });
    });
    return targets;
  }

  function fetchAddresses(urls) {
    if (!urls.length) return Promise.reject(new Error("no role addresses"));
    return fetch(urls[0].href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json().then(function (data) { return { data: data, url: urls[0] }; });
    }).catch(function () { return fetchAddresses(urls.slice(1)); });
  }

  function showClosest(root, match) {
    var box = root.querySelector("[data-cp-closest]");
    if (!box) return;
    var line = document.createElement("p");
    var link = document.createElement("a");
    link.href = match.href;
    link.textContent = match.title;
    line.appendChild(document.createTextNode("Did you mean "));
    line.appendChild(link);
    line.appendChild(document.createTextNode("? It is a role of the " + match.framework + "."));
    var address = document.createElement("p");
    address.className = "cp-muted";
    address.appendChild(document.createTextNode("Its address: "));
    var code = document.createElement("code");
    code.textContent = match.href;
    address.appendChild(code);
    box.textContent = "";
    box.appendChild(line);
    box.appendChild(address);
    box.hidden = false;
  }

  /* The list of frameworks, when the page was built without it (an engine whose
     navigation the template cannot read). */
  function listFrameworks(root, result) {
    var list = root.querySelector(".cp-not-found-frameworks");
    if (!list || list.children.length) return;
    result.data.frameworks.forEach(function (framework) {
      var link = document.createElement("a");
      link.href = new URL(framework.id + "/", result.url).pathname;
      link.textContent = framework.name;
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function closestRole(found, frameworks) {
    var typedFramework = decodeURIComponent(found[2]).toLowerCase();
    var typedRole = slug(decodeURIComponent(found[3]));
    var framework = frameworks.filter(function (f) { return f.id === typedFramework; })[0];
    if (!framework) {
      var near = closest(frameworks, typedFramework, function (f) { return [f.id]; });
      framework = near && near.score <= 3 ? near.item : null;
    }
    var best = null;
    (framework ? [framework] : frameworks).forEach(function (f) {
      var match = closest(roleTargets(f), typedRole, function (target) { return target.keys; });
      if (match && (!best || match.score < best.score)) {
        best = { framework: f, target: match.item, score: match.score };
      }
    });
    return best;
  }

  function mountNotFound(root) {
    if (root.cpMounted) return;
    root.cpMounted = true;
    var found = ROLE_PATH.exec(location.pathname);
    var base = new URL(root.getAttribute("data-cp-base") || "/", location.href);
    var urls = [];
    if (found) urls.push(new URL("role-addresses.json", new URL(found[1] || "/", location.href)));
    urls.push(new URL("role-addresses.json", base));
    fetchAddresses(urls).then(function (result) {
      listFrameworks(root, result);
      var best = found && closestRole(found, result.data.frameworks);
      if (!best) return;
      var href = new URL(best.framework.id + "/roles/" + best.target.id + "/", result.url).pathname;
      showClosest(root, { href: href, title: best.target.title, framework: best.framework.name });
    }).catch(function () { /* the page still offers the search and the home page */ });
  }

  /* --- Names the theme leaves out ---------------------------------------------------------- */

  /* Material names a nested navigation by its section's toggle label, which holds only an
     icon when the section has an index page: several unnamed navigation landmarks. Its
     search dialog has no name either. Done here rather than in a copy of the theme's
     templates, so that it holds for every version of the theme and for Zensical. */
  function nameThemeLandmarks() {
    document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      if (label && label.textContent.trim()) return;
      var title = nav.querySelector(".md-nav__title");
      var text = title ? title.textContent.trim() : "";
      if (text) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", text);
      }
    });
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search");
    });
  }

  function init() {
    nameThemeLandmarks();
    document.querySelectorAll("[data-cp-not-found]").forEach(mountNotFound);
    document.querySelectorAll("[data-cp-map]").forEach(mountMap);
    document.querySelectorAll(".cp-map").forEach(markOverflow);
    document.querySelectorAll("[data-cp-ladder]").forEach(mountLadder);
  }

  window.addEventListener("resize", function () {
    document.querySelectorAll(".cp-map").forEach(function (figure) {
      if (figure.cpRefresh) figure.cpRefresh(); else markOverflow(figure);
    });
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  /* Material, also with instant loading */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

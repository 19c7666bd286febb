/* Career Paths: the employee and recruiter tools (compare two roles, self-assessment,
   copy a job-ad summary). Plain JavaScript, no dependencies, no server: the only request
   is the framework's own tools.json on the same site. Every text from the framework is
   written with textContent / createElement, never parsed as HTML. */
(function () {
  "use strict";

  var dataCache = {};

  /* --- small helpers ------------------------------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function loadData(root) {
    var url = new URL(root.getAttribute("data-cp-data"), document.baseURI).href;
    if (!dataCache[url]) {
      dataCache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    return dataCache[url].then(function (data) { return indexData(data); });
  }

  function indexData(data) {
    if (data.byId) return data;
    data.byId = {};
    data.aliases = {};
    data.roles.forEach(function (role) {
      data.byId[role.id] = role;
      role.aliases.forEach(function (alias) { data.aliases[alias] = role.id; });
    });
    data.competencyById = {};
    data.competencies.forEach(function (c) {
      c.top = c.levels.length ? c.levels[c.levels.length - 1].level : 0;
      c.levelByNumber = {};
      c.levels.forEach(function (level) { c.levelByNumber[level.level] = level; });
      data.competencyById[c.id] = c;
    });
    data.trackById = {};
    data.tracks.forEach(function (t) { data.trackById[t.id] = t; });
    data.tierById = {};
    data.tiers.forEach(function (t) { data.tierById[t.id] = t; });
    data.policyById = {};
    data.policies.forEach(function (p) { data.policyById[p.id] = p; });
    return data;
  }

  function resolveRole(data, id) {
    if (!id) return null;
    if (data.byId[id]) return data.byId[id];
    return data.aliases[id] ? data.byId[data.aliases[id]] : null;
  }

  function roleLink(root, role) {
    return el("a", { href: root.getAttribute("data-cp-roles") + role.id + "/", text: role.title });
  }

  function roleMeta(data, role) {
    var tier = data.tierById[role.tier];
    /* A tier by its name as written, never "Tier 3: Level 3"; a range as "Band 6 to Band 7". */
    return data.trackById[role.track].name + " · " + (role.tierText || tier.name);
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function number(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 });
  }

  function showError(root, error) {
    var output = root.querySelector("[data-cp-output]");
    clear(output);
    output.appendChild(el("p", { className: "cp-tool-error",
      text: "The framework data could not be loaded (" + error.message + "). Reload the page to try again." }));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = el("textarea", { readonly: true, "aria-hidden": "true" });
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(area);
      if (done) resolve(); else reject(new Error("copy is not allowed here"));
    });
  }

  function flash(status, message) {
    if (!status) return;
    status.textContent = message;
    clearTimeout(status.cpTimer);
    status.cpTimer = setTimeout(function () { status.textContent = ""; }, 4000);
  }

  /* What ``role`` expects at ``level`` of a competency: the level's text, the role's own
     statements and examples if it has them, else the level's. */
  function expectation(competency, level, role) {
    var info = competency.levelByNumber[level] || { text: "", examples: [] };
    var own = (role && role.expectations && role.expectations[competency.id]) || {};
    return { text: info.text, name: info.name, develop: info.develop || [],
      statements: own.statements || info.statements || [], examples: own.examples || info.examples };
  }

  function levelBlock(competency, level, role) {
    if (!level) {
      return el("div", { className: "cp-cell-level cp-cell-none" }, [
        el("span", { className: "cp-level-badge cp-level-none", text: "–" }),
        el("span", { className: "cp-muted", text: " Not expected" }),
      ]);
    }
    var info = expectation(competency, level, role);
    return el("div", { className: "cp-cell-level" }, [
      levelBadge(level, competency.top, info.name),
      el("p", { className: "cp-behaviour", text: info.text }),
      textList(info.statements, "cp-statements", "Expectations"),
      examplesList(info.examples),
    ]);
  }

  /* "3/4" on screen, "level 3 of 4" for screen readers (an aria-label on a plain span is
     not read everywhere); with a scale the level's name follows: "Practitioner, 3 of 5". */
  function levelBadge(level, top, name) {
    return el("span", { className: "cp-level-badge" + (name ? " cp-level-named" : "") }, [
      el("span", { "aria-hidden": "true", text: name ? name + ", " + level + " of " + top : level + "/" + top }),
      el("span", { className: "cp-visually-hidden", text: (name ? name + ", " : "") + "level " + level + " of " + top }),
    ]);
  }

  function textList(items, className, label) {
    if (!items || !items.length) return null;
    return el("ul", { className: className, "aria-label": label },
      items.map(function (item) { return el("li", { text: item }); }));
  }

  function examplesList(examples) {
    if (!examples || !examples.length) return null;
    return el("ul", { className: "cp-examples", "aria-label": "Examples" },
      examples.map(function (example) { return el("li", { text: example }); }));
  }

  function checklist(items, emptyText) {
    if (!items.length) return el("p", { className: "cp-muted", text: emptyText });
    return el("ul", { className: "cp-checklist" }, items.map(function (item) {
      return el("li", null, [el("span", { className: "cp-box", "aria-hidden": "true" }), " " + item]);
    }));
  }

  function bulletList(items, emptyText) {
    if (!items.length) return el("p", { className: "cp-muted", text: emptyText });
    return el("ul", null, items.map(function (item) { return el("li", { text: item }); }));
  }

  /* A role picker shows the whole title of its choice, on as many lines as it takes (a
     native select cuts it off): the select lies invisible over a box with the text. */
  function showChoices(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select.cp-select"), function (select) {
      var face = select.cpFace;
      if (!face) {
        var wrap = el("span", { className: "cp-select-wrap" });
        face = el("span", { className: "cp-select-face", "aria-hidden": "true" });
        select.parentNode.insertBefore(wrap, select);
        wrap.appendChild(face);
        wrap.appendChild(select);
        select.cpFace = face;
        select.addEventListener("change", function () { showChoices(root); });
      }
      var option = select.options[select.selectedIndex];
      face.textContent = option ? option.textContent : "";
    });
  }

  function setSelect(select, value) {
    if (select.value !== value) select.value = value;
  }

  /* --- compare two roles --------------------------------------------------------------- */

  function mountCompare(root) {
    var form = root.querySelector("form");
    var selectA = root.querySelector("select[name=a]");
    var selectB = root.querySelector("select[name=b]");
    var swap = root.querySelector("[data-cp-swap]");
    var status = root.querySelector("[data-cp-status]");
    var output = root.querySelector("[data-cp-output]");
    var state = { showAll: false };

    loadData(root).then(function (data) {
      function readUrl() {
        var params = new URLSearchParams(location.search);
        var a = resolveRole(data, params.get("a")) || data.byId[root.getAttribute("data-cp-default-a")];
        var b = resolveRole(data, params.get("b"));
        if (!b) b = (a.next.length && data.byId[a.next[0]]) || data.byId[root.getAttribute("data-cp-default-b")];
        state.showAll = params.get("all") === "1";
        setSelect(selectA, a.id);
        setSelect(selectB, b.id);
      }

      function writeUrl() {
        var query = "?a=" + encodeURIComponent(selectA.value) + "&b=" + encodeURIComponent(selectB.value) +
          (state.showAll ? "&all=1" : "");
        if (location.search !== query) history.replaceState(history.state, "", query + location.hash);
      }

      function update() {
        writeUrl();
        showChoices(root);
        renderComparison(root, data, data.byId[selectA.value], data.byId[selectB.value], state, output, status,
          function (showAll) { state.showAll = showAll; writeUrl(); });
      }

      form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
      selectA.addEventListener("change", update);
      selectB.addEventListener("change", update);
      swap.hidden = false;
      swap.addEventListener("click", function () {
        var a = selectA.value;
        selectA.value = selectB.value;
        selectB.value = a;
        update();
      });
      root.cpRefresh = function () { readUrl(); update(); };
      readUrl();
      update();
    }).catch(function (error) { showError(root, error); });
  }

  function renderComparison(root, data, a, b, state, output, status, onToggle) {
    clear(output);
    if (a.id === b.id) {
      status.textContent = "Pick two different roles to compare.";
      output.appendChild(el("p", { className: "cp-muted", text: "Both pickers show " + a.title + ". Pick two different roles to compare them." }));
      return;
    }
    output.appendChild(el("div", { className: "cp-compare-heads" }, [roleCard(root, data, a, "First role"), roleCard(root, data, b, "Second role")]));
    var relation = describeRelation(data, a, b);
    if (relation) output.appendChild(el("p", { className: "cp-relation", text: relation }));

    var rows = competencyRows(data, a, b);
    var differing = rows.filter(function (row) { return row.diff; }).length;
    status.textContent = "Comparing " + a.title + " with " + b.title + ": " +
      (differing ? plural(differing, "competency differs", "competencies differ") : "the same competency levels") + ".";

    output.appendChild(el("h2", { id: "cp-compare-competencies", text: "Competencies" }));
    var toggle = el("input", { type: "checkbox", id: "cp-show-all", "data-cp-show-all": true });
    toggle.checked = state.showAll;
    output.appendChild(el("div", { className: "cp-compare-toolbar" }, [
      el("p", { className: "cp-diff-count", text: differing
        ? differing + " of " + plural(rows.length, "competency", "competencies") + (differing === 1 ? " differs." : " differ.")
        : "Both roles expect the same level on all " + plural(rows.length, "competency", "competencies") + "." }),
      el("label", { className: "cp-toggle", "for": "cp-show-all" }, [toggle, " Show all competencies"]),
    ]));
    var table = competencyTable(root, data, a, b, rows);
    var wrap = el("div", { className: "cp-table-wrap" }, [table]);
    function applyToggle() { table.classList.toggle("cp-only-diff", !toggle.checked); }
    toggle.addEventListener("change", function () { applyToggle(); onToggle(toggle.checked); });
    applyToggle();
    output.appendChild(wrap);

    output.appendChild(el("h2", { text: "Responsibilities" }));
    output.appendChild(sideBySide(a, b, function (role) { return bulletList(role.responsibilities, "None listed."); }));
    if (a.requirements.length || b.requirements.length) {
      output.appendChild(el("h2", { text: "To be hired into the role" }));
      output.appendChild(sideBySide(a, b, function (role) { return checklist(role.requirements, "No requirements listed."); }));
    }
    output.appendChild(el("h2", { text: "To be promoted into the role" }));
    output.appendChild(sideBySide(a, b, function (role) {
      return el("div", null, [
        checklist(role.criteria, role.entry ? "No criteria of its own: people are hired into it." : "No criteria of its own."),
        advancementNote(role),
      ]);
    }));
    output.appendChild(el("h2", { text: "To stay in the role" }));
    output.appendChild(sideBySide(a, b, function (role) { return checklist(role.maintain, "No criteria beyond the general policies."); }));
    if (data.framework.payPublic) {
      output.appendChild(el("h2", { text: "Pay" }));
      output.appendChild(sideBySide(a, b, function (role) {
        return el("p", { className: role.band ? "cp-pay-band" : "cp-muted", text: role.band ? role.band.text : "No published band." });
      }));
      var payDiff = describePayDifference(data, a, b);
      if (payDiff) output.appendChild(el("p", { className: "cp-pay-step", text: payDiff }));
    }
  }

  function advancementNote(role) {
    if (!role.advancement) return null;
    return el("p", { className: "cp-advancement" }, [el("strong", { text: "How people move up: " }), role.advancement]);
  }

  function roleCard(root, data, role, label) {
    return el("article", { className: "cp-compare-card" }, [
      el("p", { className: "cp-compare-label", text: label }),
      el("h2", { className: "cp-compare-title" }, [roleLink(root, role)]),
      el("p", { className: "cp-meta", text: roleMeta(data, role) }),
      role.summary ? el("p", { text: role.summary }) : null,
      role.band && data.framework.payPublic ? el("p", { className: "cp-pay", text: role.band.text }) : null,
    ]);
  }

  function describeRelation(data, a, b) {
    var rankA = data.tierById[a.tier].rank;
    var rankB = data.tierById[b.tier].rank;
    if (a.next.indexOf(b.id) >= 0) return b.title + " is a promotion from " + a.title + ".";
    if (b.next.indexOf(a.id) >= 0) return a.title + " is a promotion from " + b.title + ".";
    if (a.lateral.indexOf(b.id) >= 0 || b.lateral.indexOf(a.id) >= 0) return "These roles are a lateral move apart, at the same tier.";
    if (rankA === rankB) return "Both roles are at the same tier.";
    var higher = rankB > rankA ? b : a;
    var diff = Math.abs(rankB - rankA);
    return higher.title + " is " + plural(diff, "tier", "tiers") + " higher.";
  }

  function describePayDifference(data, a, b) {
    if (!a.band || !b.band) return "";
    var basis = a.band.mid != null && b.band.mid != null ? "mid" : "min"; // SPEC 1.1: minimums without midpoints
    var change = b.band[basis] - a.band[basis];
    var percent = a.band[basis] ? Math.round((100 * change) / a.band[basis]) : 0;
    var word = basis === "mid" ? "midpoint" : "minimum";
    if (change === 0) return "Both bands have the same " + word + ".";
    var sign = change > 0 ? "+" : "−";
    var currency = data.framework.currency ? data.framework.currency + " " : "";
    return "From " + a.title + " to " + b.title + ": " + sign + currency + number(Math.abs(change)) +
      " at the " + word + " (" + sign + Math.abs(percent) + "%).";
  }

  function competencyRows(data, a, b) {
    return data.competencies.filter(function (c) {
      return a.competencies[c.id] || b.competencies[c.id];
    }).map(function (c) {
      var levelA = a.competencies[c.id] || 0;
      var levelB = b.competencies[c.id] || 0;
      return { competency: c, a: levelA, b: levelB, diff: levelA !== levelB };
    });
  }

  function competencyTable(root, data, a, b, rows) {
    var head = el("thead", null, [el("tr", null, [
      el("th", { scope: "col", text: "Competency" }),
      el("th", { scope: "col" }, [roleLink(root, a)]),
      el("th", { scope: "col" }, [roleLink(root, b)]),
    ])]);
    var body = el("tbody", null, rows.map(function (row) {
      var c = row.competency;
      var change = row.b - row.a;
      var marker = null;
      if (row.diff) {
        var text = !row.a ? "new in the second role" : !row.b ? "not in the second role"
          : (change > 0 ? "+" : "−") + plural(Math.abs(change), "level", "levels");
        marker = el("span", { className: "cp-delta " + (change > 0 ? "cp-delta-up" : "cp-delta-down"), text: text });
      }
      return el("tr", { className: row.diff ? "cp-diff" : "cp-same", "data-competency": c.id }, [
        el("th", { scope: "row" }, [
          el("span", { className: "cp-competency-name", text: c.name }),
          c.category ? el("span", { className: "cp-muted cp-block", text: c.category }) : null,
          marker,
        ]),
        el("td", { className: row.diff && row.a > row.b ? "cp-higher" : "" }, [levelBlock(c, row.a, a)]),
        el("td", { className: row.diff && row.b > row.a ? "cp-higher" : "" }, [levelBlock(c, row.b, b)]),
      ]);
    }));
    var empty = el("tbody", { className: "cp-no-diff" }, [el("tr", null, [
      el("td", { colspan: "3", text: "No competency differs. Select “Show all competencies” to see every level." }),
    ])]);
    var table = el("table", { className: "cp-compare-table" }, [
      el("caption", { className: "cp-visually-hidden", text: "Competency levels of " + a.title + " and " + b.title }),
      head, body,
    ]);
    if (!rows.some(function (row) { return row.diff; })) table.appendChild(empty);
    return table;
  }

  function sideBySide(a, b, render) {
    return el("div", { className: "cp-side-by-side" }, [a, b].map(function (role) {
      return el("div", { className: "cp-side" }, [el("h3", { className: "cp-side-title", text: role.title }), render(role)]);
    }));
  }

  /* --- self-assessment ----------------------------------------------------------------- */

  function parseFragment(hash) {
    var result = { from: "", to: "", ratings: {}, ticks: {} };
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) return;
      var key = decodeURIComponent(part.slice(0, eq));
      var value = decodeURIComponent(part.slice(eq + 1));
      if (key === "from") result.from = value;
      else if (key === "to") result.to = value;
      else if (key === "t") {
        value.split(",").forEach(function (tick) { if (tick) result.ticks[tick] = true; });
      } else if (key === "r") {
        value.split(",").forEach(function (pair) {
          var colon = pair.lastIndexOf(":");
          var level = parseInt(pair.slice(colon + 1), 10);
          if (colon > 0 && !isNaN(level)) result.ratings[pair.slice(0, colon)] = level;
        });
      }
    });
    return result;
  }

  function formatFragment(from, to, ratings, order, ticks) {
    var pairs = order.filter(function (id) { return ratings[id] !== undefined; })
      .map(function (id) { return id + ":" + ratings[id]; });
    var ticked = Object.keys(ticks || {}).filter(function (key) { return ticks[key]; }).sort();
    return "#from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to) +
      (pairs.length ? "&r=" + pairs.join(",") : "") + (ticked.length ? "&t=" + ticked.join(",") : "");
  }

  function mountAssess(root) {
    var form = root.querySelector("form");
    var selectFrom = root.querySelector("select[name=from]");
    var selectTo = root.querySelector("select[name=to]");
    var actions = root.querySelector("[data-cp-actions]");
    var status = root.querySelector("[data-cp-status]");
    var copyStatus = root.querySelector("[data-cp-copy-status]");
    var output = root.querySelector("[data-cp-output]");
    var ratings = {};
    var ticks = {}; /* "competency.index" of each statement of the target ticked as done */

    loadData(root).then(function (data) {
      var order = data.competencies.map(function (c) { return c.id; });

      function readFragment() {
        var parsed = parseFragment(location.hash);
        /* Without roles in the address, the pickers' choices stand: someone may have picked
           a role while the data was still loading. */
        var defaultTo = root.getAttribute("data-cp-default-b");
        var from = resolveRole(data, parsed.from) || data.byId[selectFrom.value] ||
          data.byId[root.getAttribute("data-cp-default-a")];
        var to = resolveRole(data, parsed.to) || (selectTo.value !== defaultTo && data.byId[selectTo.value]);
        if (!to) to = (from.next.length && data.byId[from.next[0]]) || data.byId[defaultTo];
        ratings = {};
        ticks = parsed.ticks;
        Object.keys(parsed.ratings).forEach(function (id) {
          var c = data.competencyById[id];
          var level = parsed.ratings[id];
          if (c && level >= 0 && level <= c.top) ratings[id] = level;
        });
        setSelect(selectFrom, from.id);
        setSelect(selectTo, to.id);
      }

      function writeFragment() {
        var fragment = formatFragment(selectFrom.value, selectTo.value, ratings, order, ticks);
        if (location.hash !== fragment) history.replaceState(history.state, "", location.pathname + location.search + fragment);
      }

      function update() {
        writeFragment();
        showChoices(root);
        renderAssessment(root, data, data.byId[selectFrom.value], data.byId[selectTo.value], ratings, ticks, output, status, function (id, level) {
          if (id !== null) ratings[id] = level;
          writeFragment();
        });
      }

      form.addEventListener("submit", function (event) { event.preventDefault(); });
      selectFrom.addEventListener("change", function () {
        var from = data.byId[selectFrom.value];
        if (from.next.length) selectTo.value = from.next[0];
        update();
      });
      selectTo.addEventListener("change", update);
      actions.hidden = false;
      root.querySelector("[data-cp-copy-link]").addEventListener("click", function () {
        writeFragment();
        copyText(location.href).then(function () { flash(copyStatus, "Link copied."); },
          function () { flash(copyStatus, "Copy the address from the address bar."); });
      });
      root.querySelector("[data-cp-print]").addEventListener("click", function () { window.print(); });
      root.querySelector("[data-cp-clear]").addEventListener("click", function () {
        ratings = {};
        ticks = {};
        update();
        flash(copyStatus, "Ratings cleared.");
      });
      root.cpRefresh = function () { readFragment(); update(); };
      readFragment();
      update();
    }).catch(function (error) { showError(root, error); });
  }

  function renderAssessment(root, data, from, to, ratings, ticks, output, status, onRate) {
    clear(output);
    var competencies = data.competencies.filter(function (c) {
      return from.competencies[c.id] || to.competencies[c.id];
    });
    var printHead = el("div", { className: "cp-print-only cp-assess-print-head" }, [
      el("p", { text: "Self-assessment, " + data.framework.name + " (version " + data.framework.version + "), " +
        new Date().toLocaleDateString("en-GB", { year: "numeric", month: "long", day: "numeric" }) }),
    ]);
    output.appendChild(printHead);
    output.appendChild(el("div", { className: "cp-compare-heads" }, [
      roleCard(root, data, from, "Your role"), roleCard(root, data, to, "Target role"),
    ]));
    if (from.id === to.id) {
      output.appendChild(el("p", { className: "cp-muted", text: "Your role and the target are the same: the assessment shows how you meet your current role." }));
    }

    var results = el("section", { className: "cp-assess-results", "aria-labelledby": "cp-results-title" });
    function refreshResults() {
      clear(results);
      renderResults(data, from, to, competencies, ratings, ticks, results, status);
    }

    output.appendChild(el("h2", { id: "cp-rate-title", text: "Rate yourself" }));
    output.appendChild(el("p", { className: "cp-hint cp-screen-only",
      text: "For each competency pick the level whose description matches what you do today, most of the time." }));
    var list = el("div", { className: "cp-rate-list" }, competencies.map(function (c) {
      return ratingFieldset(c, from, to, ratings, ticks, function (level) { onRate(c.id, level); refreshResults(); },
        function () { onRate(null); refreshResults(); });
    }));
    output.appendChild(list);
    output.appendChild(results);
    refreshResults();
  }

  function ratingFieldset(c, from, to, ratings, ticks, onChange, onTick) {
    var expectedFrom = from.competencies[c.id] || 0;
    var expectedTo = to.competencies[c.id] || 0;
    var name = "cp-rate-" + c.id;
    var options = [{ level: 0, text: "Not yet at level 1.", examples: [] }].concat(c.levels);
    var fieldset = el("fieldset", { className: "cp-rate", "data-competency": c.id }, [
      el("legend", null, [
        el("span", { className: "cp-rate-name", text: c.name }),
        c.category ? el("span", { className: "cp-muted", text: " · " + c.category }) : null,
      ]),
      el("p", { className: "cp-rate-expect cp-muted", text: "Your role expects " + levelWords(c, expectedFrom) +
        "; the target expects " + levelWords(c, expectedTo) + "." }),
    ]);
    var group = el("div", { className: "cp-rate-options" });
    options.forEach(function (option) {
      var input = el("input", { type: "radio", name: name, value: String(option.level), "data-level": option.level });
      input.checked = ratings[c.id] === option.level;
      input.addEventListener("change", function () {
        if (input.checked) { onChange(option.level); markChecked(group); }
      });
      var tags = [];
      if (option.level && option.level === expectedFrom) tags.push(el("span", { className: "cp-tag cp-tag-current", text: "your role" }));
      if (option.level && option.level === expectedTo) tags.push(el("span", { className: "cp-tag cp-tag-target", text: "target" }));
      group.appendChild(el("label", { className: "cp-rate-option" + (option.level === expectedTo && option.level ? " cp-rate-target" : "") }, [
        input,
        el("span", { className: "cp-level-badge", text: option.level ? String(option.level) : "0" }),
        el("span", { className: "cp-rate-text" }, [
          option.name ? el("strong", { className: "cp-level-name", text: option.name + ": " }) : null,
          el("span", { text: option.text }), tags.length ? " " : null,
        ].concat(tags).concat([examplesList(option.examples)])),
      ]));
    });
    fieldset.appendChild(group);
    markChecked(group);
    var tickList = statementTicks(c, to, expectedTo, ticks, onTick);
    if (tickList) fieldset.appendChild(tickList);
    return fieldset;
  }

  /* The target's statements for this competency, each a checkbox with its label: tick what
     you already do. Ticks live in the address too (t=competency.index,...). */
  function statementTicks(c, to, level, ticks, onTick) {
    var statements = level ? expectation(c, level, to).statements : [];
    if (!statements.length) return null;
    return el("div", { className: "cp-ticks", role: "group", "aria-label": "What " + to.title + " expects of " + c.name }, [
      el("p", { className: "cp-ticks-title", text: "What " + to.title + " expects: tick what you already do" }),
      el("ul", { className: "cp-tick-list" }, statements.map(function (statement, index) {
        var key = c.id + "." + index;
        var id = "cp-tick-" + c.id + "-" + index;
        var box = el("input", { type: "checkbox", id: id, "data-cp-tick": key });
        box.checked = !!ticks[key];
        box.addEventListener("change", function () {
          if (box.checked) ticks[key] = true; else delete ticks[key];
          onTick();
        });
        return el("li", null, [box, " ", el("label", { "for": id, text: statement })]);
      })),
    ]);
  }

  function levelWords(c, level) {
    if (!level) return "no level";
    var name = (c.levelByNumber[level] || {}).name;
    return "level " + level + (name ? " (" + name + ")" : "");
  }

  function markChecked(group) {
    Array.prototype.forEach.call(group.querySelectorAll(".cp-rate-option"), function (label) {
      label.classList.toggle("cp-checked", label.querySelector("input").checked);
    });
  }

  function renderResults(data, from, to, competencies, ratings, ticks, results, status) {
    var gaps = [];
    var unrated = [];
    var met = 0;
    var expected = 0;
    var rows = competencies.map(function (c) {
      var target = to.competencies[c.id] || 0;
      var yours = ratings[c.id];
      var state;
      if (yours === undefined) { state = "unrated"; if (target) unrated.push(c); }
      else if (yours >= target) state = "met";
      else { state = "gap"; gaps.push({ competency: c, yours: yours, target: target }); }
      if (target) { expected += 1; if (state === "met") met += 1; }
      return { competency: c, yours: yours, current: from.competencies[c.id] || 0, target: target, state: state };
    });

    results.appendChild(el("h2", { id: "cp-results-title", text: "Your results" }));
    var summary = "You meet " + met + " of " + plural(expected, "competency expectation", "competency expectations") +
      " of " + to.title + ". " + (gaps.length ? plural(gaps.length, "gap", "gaps") + " to work on" : "No gaps") +
      (unrated.length ? ", " + unrated.length + " not rated yet." : ".");
    results.appendChild(el("p", { className: "cp-assess-summary", "data-cp-summary": true, text: summary }));
    status.textContent = summary;

    results.appendChild(el("div", { className: "cp-table-wrap cp-stack" }, [el("table", { className: "cp-assess-table" }, [
      el("thead", null, [el("tr", null, [
        el("th", { scope: "col", text: "Competency" }), el("th", { scope: "col", text: "You" }),
        el("th", { scope: "col", text: "Your role" }), el("th", { scope: "col", text: "Target" }),
        el("th", { scope: "col", text: "Status" }),
      ])]),
      el("tbody", null, rows.map(function (row) {
        var label = { met: "Met", gap: "Gap: " + plural(row.target - (row.yours || 0), "level", "levels"), unrated: "Not rated" }[row.state];
        if (row.state === "unrated" && !row.target) label = "Not needed";
        return el("tr", { className: "cp-state-" + row.state, "data-competency": row.competency.id }, [
          el("th", { scope: "row", text: row.competency.name }),
          el("td", { className: "cp-num", "data-label": "You", "data-cp-rating": true, text: row.yours === undefined ? "–" : String(row.yours) }),
          el("td", { className: "cp-num", "data-label": "Your role", text: row.current ? String(row.current) : "–" }),
          el("td", { className: "cp-num", "data-label": "Target", text: row.target ? String(row.target) : "–" }),
          el("td", { className: "cp-status-cell" }, [el("span", { className: "cp-status cp-status-" + row.state, text: label })]),
        ]);
      })),
    ])]));

    results.appendChild(el("h3", { text: "What to work on" }));
    if (!gaps.length) {
      results.appendChild(el("p", { className: "cp-muted", text: unrated.length
        ? "No gaps among the competencies you rated. Rate the others to complete the picture."
        : "No gaps: your ratings meet every competency level of " + to.title + "." }));
    } else {
      results.appendChild(el("ol", { className: "cp-gap-list", "data-cp-gaps": true }, gaps.map(function (gap) {
        var level = expectation(gap.competency, gap.target, to);
        var open = level.statements.filter(function (statement, index) { return !ticks[gap.competency.id + "." + index]; });
        return el("li", { "data-competency": gap.competency.id }, [
          el("strong", { text: gap.competency.name }),
          (gap.yours ? " — from level " + gap.yours + " to level " : " — not yet at level 1; the target is level ") +
            gap.target + (level.name ? " (" + level.name + ")" : "") + ": ",
          el("span", { text: level.text }),
          textList(open, "cp-statements", "Expectations not ticked yet"),
          examplesList(level.examples),
          level.develop.length ? el("p", { className: "cp-develop-title", text: "How to grow into it:" }) : null,
          textList(level.develop, "cp-develop", "How to grow into it"),
        ]);
      })));
    }

    results.appendChild(el("h3", { text: "Criteria to meet for " + to.title }));
    results.appendChild(checklist(to.criteria, to.entry ? "No criteria of its own: people are hired into it." : "No criteria of its own."));
    var advancement = advancementNote(to);
    if (advancement) results.appendChild(advancement);
    var policies = (to.policies || []).map(function (id) { return data.policyById[id]; }).filter(Boolean);
    if (policies.length) {
      results.appendChild(el("p", { className: "cp-policies-note", text: "These rules apply to every promotion too:" }));
      results.appendChild(el("ul", { className: "cp-policies-short" }, policies.map(function (policy) {
        return el("li", null, [el("strong", { text: policy.title + ": " }), policy.text]);
      })));
    }
  }

  /* --- job-ad snippet ------------------------------------------------------------------ */

  function mountSnippets(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("button[data-cp-copy]"), function (button) {
      if (button.cpMounted) return;
      button.cpMounted = true;
      var source = document.getElementById(button.getAttribute("data-cp-copy"));
      if (!source) return;
      if (source.hasAttribute("data-cp-add-page-url")) {
        source.appendChild(document.createTextNode("\n\nRole profile and career path: " + location.origin + location.pathname));
        source.removeAttribute("data-cp-add-page-url");
      }
      var status = button.parentNode.querySelector(".cp-copy-status");
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(source.textContent).then(function () { flash(status, "Copied to the clipboard."); },
          function () { flash(status, "Copying is blocked here: select the text and copy it."); });
      });
    });
  }

  /* --- start ----------------------------------------------------------------------------- */

  function init() {
    mountSnippets(document);
    Array.prototype.forEach.call(document.querySelectorAll("[data-cp-tool]"), function (root) {
      if (root.cpMounted) return;
      root.cpMounted = true;
      root.cpPath = location.pathname;
      if (root.getAttribute("data-cp-tool") === "compare") mountCompare(root);
      else if (root.getAttribute("data-cp-tool") === "assess") mountAssess(root);
    });
  }

  function refreshFromAddress() {
    /* With instant navigation the old page is still shown when the address changes: only a
       tool of the page the address belongs to may read it. */
    var root = document.querySelector("[data-cp-tool]");
    if (root && root.cpRefresh && root.cpPath === location.pathname) root.cpRefresh();
  }

  window.addEventListener("hashchange", refreshFromAddress);
  window.addEventListener("popstate", refreshFromAddress);

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); /* Material: runs on every page, also with instant navigation */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* Career Paths: career maps and charts on the page.
   - A career map fits its column; "Zoom to full size" shows it at its drawn size in a box
     that scrolls both ways, starting where roles are (the highlighted role, else the
     highest roles of the tracks in view), with the tier labels and the track headers kept
     in view while it scrolls.
   - A map or chart wider than its box says it scrolls (data-cp-hint).
   - Map text that a browser's font draws wider than the layout measured is squeezed into
     its box (data-fit).
   - On a phone, the map's ladder shows one track at a time, picked from a list.
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

  function init() {
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

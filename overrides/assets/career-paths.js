/* Career Paths: a career map wider than the page says so, and on a role page it is
   scrolled sideways until the highlighted role's box is in the middle of the view. */
(function () {
  "use strict";

  /* A map wider than the page says so: a hint above it and a shadow at the cut edge. */
  function markOverflowingMaps() {
    document.querySelectorAll(".cp-map-scroll").forEach(function (scroller) {
      var figure = scroller.closest(".cp-map");
      if (figure) {
        figure.classList.toggle("cp-map-overflows", scroller.scrollWidth > scroller.clientWidth + 1);
      }
    });
  }

  function centreHighlightedRoles() {
    markOverflowingMaps();
    document.querySelectorAll(".cp-map-scroll").forEach(function (scroller) {
      var box = scroller.querySelector(".cm-role-highlight");
      if (!box || scroller.scrollWidth <= scroller.clientWidth) return;
      var boxRect = box.getBoundingClientRect();
      var viewRect = scroller.getBoundingClientRect();
      scroller.scrollLeft += boxRect.left + boxRect.width / 2 - (viewRect.left + viewRect.width / 2);
    });
  }

  window.addEventListener("resize", markOverflowingMaps);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(centreHighlightedRoles);  /* Material, also with instant loading */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", centreHighlightedRoles);
  } else {
    centreHighlightedRoles();
  }
})();

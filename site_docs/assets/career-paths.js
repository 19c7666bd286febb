/* Career Paths: on a role page the career map is wider than the page, so scroll it
   sideways until the highlighted role's box is in the middle of the view. */
(function () {
  "use strict";

  function centreHighlightedRoles() {
    document.querySelectorAll(".cp-map-scroll").forEach(function (scroller) {
      var box = scroller.querySelector(".cm-role-highlight");
      if (!box || scroller.scrollWidth <= scroller.clientWidth) return;
      var boxRect = box.getBoundingClientRect();
      var viewRect = scroller.getBoundingClientRect();
      scroller.scrollLeft += boxRect.left + boxRect.width / 2 - (viewRect.left + viewRect.width / 2);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(centreHighlightedRoles);  /* Material, also with instant loading */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", centreHighlightedRoles);
  } else {
    centreHighlightedRoles();
  }
})();

/*
 * Small page behaviours that need no server: the Export menu (a <details> element)
 * closes on a click elsewhere or on Escape, as menus do.
 */
(function () {
  "use strict";
  function closeMenus(except) {
    document.querySelectorAll("details.export-menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    closeMenus(target && target.closest ? target.closest("details.export-menu") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeMenus(null); }
  });
})();

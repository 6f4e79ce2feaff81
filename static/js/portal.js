// Wide tables scroll inside their own box on narrow screens (static/css/portal.css). A box that scrolls must be
// reachable by keyboard and named (WCAG 2.1.1, axe "scrollable-region-focusable"), so each gets tabindex and a
// label taken from the table's caption or the nearest heading.
(function () {
  function label(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var heading = table.closest("section, .card, main");
    heading = heading && heading.querySelector("h1, h2, h3, h4");
    return (heading ? heading.textContent.trim() + ": " : "") + "bảng (cuộn ngang để xem hết)";
  }
  function mark() {
    document.querySelectorAll("main table, main .table-responsive").forEach(function (box) {
      if (box.tagName === "TABLE" && box.parentElement.classList.contains("table-responsive")) return;
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label(box.tagName === "TABLE" ? box : box.querySelector("table") || box));
        box.dataset.scrollBox = "1";
      } else if (!scrolls && box.dataset.scrollBox) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollBox;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();
// Every page. A consequential button asks first: data-confirm="question" in the template instead of an inline
// onclick, which the Content-Security-Policy refuses.
document.addEventListener("click", function (event) {
  const control = event.target.closest("[data-confirm]");
  if (control && !window.confirm(control.dataset.confirm)) {
    event.preventDefault();
  }
});

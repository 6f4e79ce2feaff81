// The section editor's live preview: each time htmx has refreshed the list of problems for what is typed
// (#editor-checks, debounced as the clerk types), the form is posted again into the preview frame through the
// "Xem trước" button, so the frame shows the print HTML of the current text. Without script the button does it.
(function () {
  "use strict";
  var form = document.getElementById("document-editor");
  var button = document.getElementById("preview-button");
  if (!form || !button) return;
  function refresh() {
    if (typeof form.requestSubmit === "function") form.requestSubmit(button);
    else button.click();
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "editor-checks") refresh();
  });
  // What was typed before an invalid save or a regenerated table is shown at once, not the saved draft.
  refresh();
})();

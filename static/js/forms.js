// Shared behaviour of the portal's create/edit forms (no inline script: the pages run under a strict CSP).
// - A form marked data-submit-once is sent once: after the first click its buttons are disabled, and a second
//   submit is ignored. The server guarantees one record anyway (the form's one-time token); this only spares
//   the user a second wait.
// - The error summary of a refused form (partials/_form_errors.html) takes the focus, so a screen reader reads
//   it first; its links move the focus to the field they name.
(function () {
  "use strict";

  function keepSubmitter(form, submitter) {
    // A disabled button is not posted: keep its name/value (e.g. action=submit) in a hidden input.
    if (!submitter || !submitter.name) return;
    var kept = form.querySelector("input[type=hidden][data-kept-submitter]");
    if (!kept) {
      kept = document.createElement("input");
      kept.type = "hidden";
      kept.setAttribute("data-kept-submitter", "");
      form.appendChild(kept);
    }
    kept.name = submitter.name;
    kept.value = submitter.value;
  }

  function buttonsOf(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-submit-once")) return;
    if (form.getAttribute("data-submitting") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitting", "1");
    keepSubmitter(form, event.submitter);
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
      if (event.submitter) event.submitter.setAttribute("data-busy", "");
    }, 0);
  });

  // Back to a page kept by the browser (bfcache): the form can be used again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      form.removeAttribute("data-submitting");
      buttonsOf(form).forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });

  function focusSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
    document.querySelectorAll("#form-errors a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();

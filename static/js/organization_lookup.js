// Search-as-you-type for the organisation field of staff forms (organizations.forms.OrganizationField): the
// field stays a plain text input (code or name, checked by the server); as one types, up to 20 matching
// organisations the user may read are fetched from the field's data-organization-lookup URL (JSON) and
// offered in a <datalist>. No inline script: the pages run under a strict CSP.
(function () {
  "use strict";

  function attach(input, index) {
    var list = document.createElement("datalist");
    list.id = "organization-suggestions-" + index;
    input.after(list);
    input.setAttribute("list", list.id);
    var url = input.getAttribute("data-organization-lookup");
    var timer = null;
    var asked = "";

    function fill(results) {
      list.replaceChildren();
      results.forEach(function (row) {
        var option = document.createElement("option");
        option.value = row.label;
        list.appendChild(option);
      });
    }

    function lookup() {
      var query = input.value.trim();
      if (query.length < 2 || query === asked || query.indexOf(" – ") !== -1) return;
      asked = query;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) fill(data.results || []);
        })
        .catch(function () {
          /* offline: the plain field still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 200);
    });
  }

  document.querySelectorAll("input[data-organization-lookup]").forEach(attach);
})();

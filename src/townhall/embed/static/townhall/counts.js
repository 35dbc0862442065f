/*! Townhall comment counts for index pages. One tag per page:
 * <script src="https://HOST/embed/counts.js" data-site="demo" async></script>
 * fills every element marked <span data-townhall-count="STORY-ID"></span> from ONE request.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src, location.href).origin;
  var site = script.getAttribute("data-site") || "";
  var words = {
    en: ["comment", "comments"],
    fr: ["commentaire", "commentaires"]
  };

  function fill() {
    var nodes = document.querySelectorAll("[data-townhall-count]");
    var ids = [];
    for (var i = 0; i < nodes.length; i++) {
      var id = nodes[i].getAttribute("data-townhall-count");
      if (id && ids.indexOf(id) < 0) ids.push(id);
    }
    if (!ids.length || !site) return;
    var url = origin + "/api/v1/sites/" + encodeURIComponent(site) + "/counts?ids=" +
      ids.slice(0, 100).map(encodeURIComponent).join(",");
    fetch(url, { credentials: "omit" }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data || !data.counts) return;
      for (var j = 0; j < nodes.length; j++) {
        var node = nodes[j];
        var count = data.counts[node.getAttribute("data-townhall-count")];
        if (typeof count !== "number") continue;
        var lang = (node.closest("[lang]") || document.documentElement).getAttribute("lang") || "en";
        var pair = words[lang.slice(0, 2)] || words.en;
        var number = new Intl.NumberFormat(lang).format(count);
        node.textContent = number + "\u00a0" + (new Intl.PluralRules(lang).select(count) === "one" ? pair[0] : pair[1]);
        node.setAttribute("data-count", String(count));
      }
    }, function () { /* counts are decoration: leave the page as it is */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();

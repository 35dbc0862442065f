/*! Townhall embed loader. One tag per story page:
 * <script src="https://HOST/embed.js" data-site="demo" data-story="1.7001" async></script>
 * Optional: data-lang="en|fr", data-title, data-url (default: the page's canonical URL), and
 * data-signature, which lets the widget register a story Townhall does not know yet.
 * The only global is window.Townhall. Everything else lives in a Shadow DOM where the tag stands.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src, location.href).origin;
  var townhall = window.Townhall = window.Townhall || {};
  if (townhall.origin && townhall.origin !== origin) return; // one Townhall server per page
  townhall.origin = origin;
  townhall.queue = townhall.queue || [];
  // Pages that enforce Trusted Types allow the "townhall" policy: it only vouches for this
  // server's app script, and for comment HTML that the app parses inertly and rebuilds.
  if (!townhall.policy && window.trustedTypes && window.trustedTypes.createPolicy) {
    try {
      townhall.policy = window.trustedTypes.createPolicy("townhall", {
        createScriptURL: function (url) {
          if (url.indexOf(origin + "/embed/") !== 0) throw new TypeError("Townhall: " + url);
          return url;
        },
        createHTML: function (html) { return html; }
      });
    } catch (e) {
      townhall.policy = null;
    }
  }
  townhall.waiting = townhall.waiting || [];

  function whenReady(name) {
    return function () {
      var args = arguments;
      if (townhall.app) return townhall.app[name].apply(null, args);
      return new Promise(function (resolve, reject) {
        townhall.waiting.push({ name: name, args: args, resolve: resolve, reject: reject });
        load();
      });
    };
  }
  // Publisher SSO: Townhall.login(publisherToken); Townhall.logout().
  townhall.login = townhall.login || whenReady("login");
  townhall.logout = townhall.logout || whenReady("logout");

  function canonicalUrl() {
    var link = document.querySelector('link[rel="canonical"]');
    return (link && link.href) || location.href.split("#")[0];
  }

  var data = script.dataset;
  var host = document.createElement("div");
  host.className = "townhall-embed";
  host.setAttribute("data-site", data.site || "");
  host.setAttribute("data-story", data.story || "");
  script.parentNode.insertBefore(host, script.nextSibling);
  var config = {
    host: host,
    origin: origin,
    site: data.site || "",
    story: data.story || "",
    lang: data.lang || "",
    title: data.title || document.title,
    url: data.url || canonicalUrl(),
    signature: data.signature || ""
  };

  function load() {
    if (townhall.loading) return;
    townhall.loading = true;
    // The widget is a set of ES modules; the server names their current version here.
    var app = document.createElement("script");
    var src = origin + "/embed/app.js";
    // The server lists the entry's imports here, so that they load side by side rather
    // than one level of imports after another.
    var preload = [];
    var folder = src.slice(0, src.lastIndexOf("/") + 1);
    for (var i = 0; i < preload.length; i++) {
      var link = document.createElement("link");
      link.rel = "modulepreload";
      link.href = folder + preload[i];
      (document.head || document.documentElement).appendChild(link);
    }
    app.type = "module";
    app.src = townhall.policy ? townhall.policy.createScriptURL(src) : src;
    app.async = true;
    app.onerror = function () {
      townhall.loading = false;
      host.textContent = "";
    };
    (document.head || document.documentElement).appendChild(app);
  }

  function mount() {
    if (townhall.app) townhall.app.mount(config);
    else {
      townhall.queue.push(config);
      load();
    }
  }

  // A link to one comment (#comment-N, ?comment=N) mounts at once: the widget scrolls to it.
  var linked = /^#comment-\d+$/.test(location.hash) || /[?&]comment=\d+(&|$)/.test(location.search);
  if (linked || !("IntersectionObserver" in window)) {
    mount();
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].isIntersecting) {
        observer.disconnect();
        mount();
        return;
      }
    }
  }, { rootMargin: "800px 0px" });
  observer.observe(host);
})();

/* Keyboard moderation for the queue pages (no inline scripts: the page CSP is script-src 'self').
   j / k: next / previous · a: approve · r then 1–9: reject with guideline N · f: feature
   o: open the author · x: select for bulk actions · u: undo the last decision (while its
   toast shows). */
(function () {
  "use strict";
  var current = null;
  var pendingReject = false;
  var rejectTimer = null;
  var undoable = [];  // undo forms still on show, the newest last

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".cards .card"));
  }
  function open() {
    return cards().filter(function (c) { return !c.hasAttribute("data-decided"); });
  }
  function select(card) {
    var before = current;
    if (current) { current.classList.remove("is-current"); }
    current = card || null;
    if (before && before !== current && before.isConnected) { folds(before); }
    if (!current) { return; }
    claim(current);
    current.classList.add("is-current");
    current.focus({ preventScroll: true });
    // Glide to the card, unless the moderator asked the system for less motion.
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    current.scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
  }
  function move(step) {
    var list = open();
    if (!list.length) { return; }
    var index = current ? list.indexOf(current) : -1;
    if (index === -1) {
      // After a decision the current card was replaced: continue from its place.
      select(list[0]);
      return;
    }
    select(list[Math.min(Math.max(index + step, 0), list.length - 1)]);
  }
  function press(card, value) {
    var button = card && card.querySelector('button[name="action"][value="' + value + '"]');
    if (button) { button.click(); return true; }
    return false;
  }
  function reject(card, number) {
    var chooser = card && card.querySelector("select[data-guidelines]");
    if (!chooser || number < 1 || number > chooser.options.length) { return; }
    chooser.selectedIndex = number - 1;
    press(card, "reject");
  }
  function updateBulkCount() {
    var count = document.querySelectorAll('.cards input[name="ids"]:checked').length;
    var label = document.querySelector("[data-bulk-count] strong");
    if (label) { label.textContent = String(count); }
  }
  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (!document.querySelector(".cards") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    if (!current || !current.isConnected || current.hasAttribute("data-decided")) {
      if (current && !current.isConnected) { current = null; }
      if (!current) { move(0); }
    }
    var key = event.key;
    if (pendingReject && /^[1-9]$/.test(key)) {
      pendingReject = false;
      window.clearTimeout(rejectTimer);
      reject(current, parseInt(key, 10));
      event.preventDefault();
      return;
    }
    pendingReject = false;
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if (key === "a") { press(current, "approve"); }
    else if (key === "f") { press(current, "feature") || press(current, "unfeature"); }
    else if (key === "r") {
      pendingReject = true;
      rejectTimer = window.setTimeout(function () { pendingReject = false; }, 2500);
    }
    else if (key === "o") {
      if (current && current.dataset.authorUrl) { window.location.assign(current.dataset.authorUrl); }
    }
    else if (key === "u") { undoLast(); }
    else if (key === "x") {
      var box = current && current.querySelector('input[name="ids"]');
      if (box) { box.checked = !box.checked; current.classList.toggle("is-picked", box.checked); updateBulkCount(); }
    }
    else { return; }
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "ids") {
      var card = event.target.closest(".card");
      if (card) { card.classList.toggle("is-picked", event.target.checked); }
      updateBulkCount();
    }
  });

  document.addEventListener("click", function (event) {
    var fold = event.target && event.target.closest && event.target.closest("[data-fold]");
    if (fold) { unfold(fold); }
    var card = event.target && event.target.closest && event.target.closest(".cards .card");
    if (card && !card.hasAttribute("data-decided")) { select(card); }
  });

  // A long comment shows its first lines with "more"; the current card shows it whole.
  function folds(root) {
    var bodies = root.matches && root.matches(".card") ? root.querySelectorAll("[data-body]")
      : root.querySelectorAll ? root.querySelectorAll(".card [data-body]") : [];
    Array.prototype.forEach.call(bodies, function (body) {
      var card = body.closest(".card");
      var button = card && card.querySelector("[data-fold]");
      if (!button || card.classList.contains("is-open")) { return; }
      button.hidden = body.scrollHeight <= body.clientHeight + 1;
    });
  }
  function unfold(button) {
    var card = button.closest(".card");
    var open = !card.classList.contains("is-open");
    if (!button.hasAttribute("data-more")) { button.setAttribute("data-more", button.textContent); }
    card.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? button.getAttribute("data-less") : button.getAttribute("data-more");
  }
  document.addEventListener("htmx:load", function (event) {
    if (event.detail && event.detail.elt) { folds(event.detail.elt); }
  });
  window.addEventListener("resize", function () { folds(document); });

  // An undo form shows for its seconds (the toast of a decision), then goes; `u` sends the
  // newest one still showing.
  function offerUndo(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("[data-undo-seconds]") : [];
    Array.prototype.forEach.call(forms, function (form) {
      if (form.hasAttribute("data-undo-armed")) { return; }
      form.setAttribute("data-undo-armed", "");
      undoable.push(form);
      var seconds = parseInt(form.getAttribute("data-undo-seconds"), 10) || 10;
      window.setTimeout(function () {
        undoable = undoable.filter(function (f) { return f !== form; });
        form.remove();
      }, seconds * 1000);
    });
  }
  function undoLast() {
    // A toast htmx has swapped in but not yet settled is the newest of all: let htmx take
    // it over first, or the browser would send it as a plain form.
    var fresh = document.querySelectorAll("[data-undo-seconds]:not([data-undo-armed])");
    Array.prototype.forEach.call(fresh, function (form) {
      if (window.htmx) { window.htmx.process(form); }
    });
    offerUndo(document);
    undoable = undoable.filter(function (f) { return f.isConnected; });
    var form = undoable.pop();
    if (form) { form.requestSubmit(); }
  }

  // htmx put a decided card in place of the one just decided: move on to the next open one.
  // After an undo it put the comment's card back: that one is current again.
  document.addEventListener("htmx:load", function (event) {
    var decided = event.detail && event.detail.elt;
    if (!decided || !decided.hasAttribute) { return; }
    offerUndo(decided);
    if (decided.hasAttribute("data-undone")) {
      current = null;
      select(decided);
      return;
    }
    if (!decided.hasAttribute("data-decided")) { return; }
    var list = cards();
    var at = list.indexOf(decided);
    var next = list.slice(at + 1).filter(function (c) { return !c.hasAttribute("data-decided"); })[0]
      || open()[0] || null;
    current = null;
    select(next);
  });

  // htmx sends the clicked button's name and value only when it saw the click on the button
  // itself: a click on the <kbd> hint inside it, or a tap, left `action` out and the server
  // refused the decision. The submit event always knows its submitter: take it from there.
  document.addEventListener("htmx:configRequest", function (event) {
    var trigger = event.detail.triggeringEvent;
    var submitter = trigger && trigger.submitter;
    if (submitter && submitter.name) {
      event.detail.parameters[submitter.name] = submitter.value;
    }
  });

  // A refused or failed decision keeps the card and its buttons, and says why on the card.
  function showError(card, text) {
    if (!card) { return; }
    var box = card.querySelector(".card-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "flash flash-error card-error";
      box.setAttribute("role", "alert");
      (card.querySelector(".main") || card).appendChild(box);
    }
    box.textContent = text;
  }
  function cardOf(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest(".card") : null;
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status < 400) { return; }
    event.detail.shouldSwap = false;
    var reason = "";
    try {
      var answer = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var alert = answer.querySelector("[role=alert]");
      reason = alert ? alert.textContent.trim() : "";
    } catch (e) { reason = ""; }
    showError(cardOf(event), reason || document.body.getAttribute("data-error-refused") || "");
  });
  document.addEventListener("htmx:sendError", function (event) {
    showError(cardOf(event), document.body.getAttribute("data-error-offline") || "");
  });

  // --- Several moderators at once ------------------------------------------------------
  // The current card is claimed (the others see who looks at it, renewed while it stays
  // current); the queue hears, live, of held or reported comments, of the others' claims and
  // decisions, and of the counts.
  var CLAIM_RENEW_MS = 30000;
  var claimed = { id: null, at: 0 };
  var claimTimer = null;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function claim(card) {
    var url = card && card.getAttribute("data-claim-url");
    var now = Date.now();
    if (!url || card.hasAttribute("data-decided")
        || (claimed.id === card.id && now - claimed.at < CLAIM_RENEW_MS)) { return; }
    claimed = { id: card.id, at: now };
    // A moment after the card becomes current, and not beside a decision on its way: j, j, j
    // claims the card stopped on, and the claim never races the decision it follows.
    window.clearTimeout(claimTimer);
    claimTimer = window.setTimeout(function send() {
      if (document.querySelector(".htmx-request")) { claimTimer = window.setTimeout(send, 300); return; }
      if (current !== card || !card.isConnected || card.hasAttribute("data-decided")) { return; }
      fetch(url, { method: "POST", credentials: "same-origin",
                   headers: { "X-CSRFToken": csrfToken() } }).catch(function () {});
    }, 400);
  }
  window.setInterval(function () {
    if (current && current.isConnected && !document.hidden) { claim(current); }
  }, CLAIM_RENEW_MS + 1000);

  function said(name, kind) {
    return (document.body.getAttribute(kind) || "").replace("{name}", name);
  }
  function me() { return document.body.getAttribute("data-viewer"); }

  function showClaim(data) {
    if (String(data.moderator_id) === me()) { return; }
    Array.prototype.forEach.call(
      document.querySelectorAll('[data-claim-by="' + data.moderator_id + '"]'),
      function (mark) { mark.hidden = true; mark.removeAttribute("data-claim-by"); });
    var mark = document.querySelector("#comment-" + data.comment_id + " [data-claim]");
    if (!mark) { return; }
    mark.textContent = said(data.name, "data-claim-text");
    mark.setAttribute("data-claim-by", String(data.moderator_id));
    mark.hidden = false;
    var stamp = String(Date.now());
    mark.setAttribute("data-claim-at", stamp);
    window.setTimeout(function () {
      if (mark.getAttribute("data-claim-at") === stamp) { mark.hidden = true; }
    }, (data.seconds || 45) * 1000);
  }

  function cardUrl(box, id) { return box.getAttribute("data-card-url").replace(/\/0\/card\/$/, "/" + id + "/card/"); }

  var arriving = {};
  function insertCard(box, id) {
    if (document.getElementById("comment-" + id) || arriving[id] || !window.htmx) { return; }
    arriving[id] = true;
    var sort = box.getAttribute("data-sort");
    window.htmx.ajax("GET", cardUrl(box, id), { target: box, swap: sort === "newest" ? "afterbegin" : "beforeend" })
      .then(function () {
        delete arriving[id];
        var empty = document.querySelector("[data-empty]");
        if (empty) { empty.remove(); }
        var card = document.getElementById("comment-" + id);
        if (card && sort === "risk") { placeByRisk(box, card); }
        if (!current || !current.isConnected || current.hasAttribute("data-decided")) { move(0); }
      }, function () { delete arriving[id]; });
  }
  function placeByRisk(box, card) {
    var risk = parseFloat(card.getAttribute("data-risk")) || 0;
    var before = Array.prototype.filter.call(box.querySelectorAll(".card[data-risk]"), function (c) {
      return c !== card && !c.hasAttribute("data-decided") && (parseFloat(c.getAttribute("data-risk")) || 0) < risk;
    })[0];
    if (before) { box.insertBefore(card, before); }
  }

  function markDecided(box, data) {
    if (String(data.moderator_id) === me()) { return; }
    var card = document.getElementById("comment-" + data.comment_id);
    if (data.rule === "undo") {
      if (card && window.htmx) {
        window.htmx.ajax("GET", cardUrl(box, data.comment_id), { target: card, swap: "outerHTML" });
      } else if (box.getAttribute("data-queue") === "pending" && data.status === "pending") {
        insertCard(box, data.comment_id);
      }
      return;
    }
    if (!card || card.hasAttribute("data-decided")) { return; }
    card.setAttribute("data-decided", "");
    card.classList.add("decided-elsewhere");
    card.classList.remove("is-current");
    var note = document.createElement("p");
    note.className = "flash";
    note.setAttribute("role", "status");
    note.textContent = said(data.name, "data-decided-text");
    var main = card.querySelector(".main") || card;
    main.insertBefore(note, main.firstChild);
    Array.prototype.forEach.call(card.querySelectorAll("button, select, input"), function (field) {
      field.disabled = true;
    });
    if (current === card) { current = null; move(0); }
  }

  function showCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      Array.prototype.forEach.call(document.querySelectorAll('[data-count="' + key + '"], [data-count-big="' + key + '"]'),
        function (el) { el.textContent = String(counts[key]); });
    });
    titleFollows();
  }
  // The page title leads with the open queue's count, as the side bar and the heading show it.
  var baseTitle = document.title;
  function titleFollows() {
    var big = document.querySelector("[data-count-big]");
    if (!big) { return; }
    var side = document.querySelector('[data-count="' + big.getAttribute("data-count-big") + '"]');
    if (side) { big.textContent = side.textContent; }
    document.title = "(" + big.textContent.trim() + ") " + baseTitle;
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "counts") { titleFollows(); }
  });

  var streaming = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (streaming && elt && elt.id === "counts") { event.preventDefault(); }
  });

  function liveQueue() {
    var box = document.querySelector(".cards[data-live]");
    if (!box || !window.EventSource) { return; }
    var queue = box.getAttribute("data-queue");
    var source = new EventSource(box.getAttribute("data-live"));
    function on(kind, act) {
      source.addEventListener(kind, function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        act(data);
      });
    }
    // While the stream brings the counts after each decision, the side bar does not ask for
    // them as well (that request would wait in line before the next decision).
    on("queue.counts", function (data) { streaming = true; showCounts(data.counts); });
    source.addEventListener("error", function () { streaming = false; });
    on("comment.held", function (data) { if (queue === "pending") { insertCard(box, data.comment_id); } });
    on("comment.reported", function (data) { if (queue === "reported") { insertCard(box, data.comment_id); } });
    on("comment.claimed", showClaim);
    on("comment.decided", function (data) { markDecided(box, data); });
    on("reload", function () { /* the log moved on: counts follow on the next event */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    offerUndo(document);
    folds(document);
    titleFollows();
    liveQueue();
    move(0);
  });
})();

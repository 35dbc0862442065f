/* Keyboard moderation for the queue pages (no inline scripts: the page CSP is script-src 'self').
   j / k: next / previous · a: approve · r then 1–9: reject with guideline N · f: feature
   o: open the author · x: select for bulk actions. */
(function () {
  "use strict";
  var current = null;
  var pendingReject = false;
  var rejectTimer = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".cards .card"));
  }
  function open() {
    return cards().filter(function (c) { return !c.hasAttribute("data-decided"); });
  }
  function select(card) {
    if (current) { current.classList.remove("is-current"); }
    current = card || null;
    if (!current) { return; }
    current.classList.add("is-current");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest", behavior: "smooth" });
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
    var card = event.target && event.target.closest && event.target.closest(".cards .card");
    if (card && !card.hasAttribute("data-decided")) { select(card); }
  });

  // htmx put a decided card in place of the one just decided: move on to the next open one.
  document.addEventListener("htmx:load", function (event) {
    var decided = event.detail && event.detail.elt;
    if (!decided || !decided.hasAttribute || !decided.hasAttribute("data-decided")) { return; }
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
      card.insertBefore(box, card.querySelector("form.actions"));
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

  document.addEventListener("DOMContentLoaded", function () { move(0); });
})();

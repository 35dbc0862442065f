/*! Townhall widget: one instance per tag; its frame (header, policy, sort) and its lifecycle. */

import { humanize, stringsFor } from "./strings.js";
import { instances, ApiError, request, adoptPageSession, sameOrigin, storage, TOKEN_KEY } from "./api.js";
import { h, nextId, adoptStyles } from "./dom.js";
import { Account } from "./account.js";
import { Composer } from "./composer.js";
import { Live } from "./live.js";
import { Notifications } from "./notifications.js";
import { Thread } from "./thread.js";

// The comment a permalink names: `#comment-N` (reply emails use it) or `?comment=N`.
function linkedComment() {
  const hash = /^#comment-(\d{1,18})$/.exec(window.location.hash || "");
  const query = new URLSearchParams(window.location.search).get("comment");
  const id = Number(hash ? hash[1] : /^\d{1,18}$/.test(query || "") ? query : 0);
  return id > 0 ? id : null;
}

class WidgetBase {
  constructor(config) {
    this.config = config;
    this.site = config.site;
    this.storyId = config.story;
    this.lang = config.lang === "fr" || config.lang === "en" ? config.lang : "";
    this.sort = "newest";
    this.cursor = null;
    this.linkId = linkedComment();
    this.items = new Map(); // comment id -> {data, li}
    this.fresh = new Set();
    this.guidelines = [];
    this.mode = "join";
    this.events = null;
    this.account = null; // the reader's own account (GET /me), read only when the name is doubted
    this.notices = [];
    this.nameHeld = false;
  }

  get s() { return stringsFor(this.lang || "en"); }

  api(method, path, body, headers, cache) {
    return request(method, path, body, this.lang || "en", headers, cache);
  }

  storyPath(suffix) {
    return `sites/${encodeURIComponent(this.site)}/stories/${encodeURIComponent(this.storyId)}${suffix || ""}`;
  }

  async mount() {
    const host = this.config.host;
    this.shadow = host.shadowRoot || host.attachShadow({ mode: "open" });
    adoptStyles(this.shadow);
    this.root = h("section", { class: "th", "aria-busy": "true" });
    this.shadow.append(this.root);
    instances.push(this);
    await this.refresh();
    setInterval(() => this.updateTimes(), 30000);
  }

  async bootstrap() {
    const langQuery = this.lang ? `?lang=${this.lang}` : "";
    const boot = await this.api("GET", this.storyPath(`/embed${langQuery}`));
    if (boot.story) return boot;
    if (!boot.registrable) throw new ApiError(404, [], this.s.unavailable);
    const body = { title: (this.config.title || "").slice(0, 500) };
    if (/^https?:\/\//.test(this.config.url || "")) body.url = this.config.url.slice(0, 1000);
    if (this.lang) body.language = this.lang;
    if (this.config.signature) body.signature = String(this.config.signature).slice(0, 128);
    await this.api("POST", this.storyPath("/register"), body);
    return this.api("GET", this.storyPath(`/embed${langQuery}`));
  }

  async refresh() {
    let boot;
    try {
      await adoptPageSession();
      boot = await this.bootstrap();
      if (!boot.viewer && storage.get(TOKEN_KEY) && sameOrigin) {
        // A token the pages' sign-out ended: drop it, and take the pages' session if any.
        storage.remove(TOKEN_KEY);
        await adoptPageSession();
        if (storage.get(TOKEN_KEY)) boot = await this.bootstrap();
      }
    } catch (error) {
      this.root.replaceChildren(h("p", { class: "alert info", role: "status", text: this.s.unavailable }));
      this.root.removeAttribute("aria-busy");
      return;
    }
    this.lang = this.lang || (boot.story.language === "fr" ? "fr" : "en");
    this.story = boot.story;
    this.policy = boot.policy;
    this.viewer = boot.viewer;
    this.limits = boot.limits;
    this.features = boot.features || {};
    this.notices = (boot.viewer && boot.viewer.notices) || [];
    if (this.features.guidelines && !this.guidelines.length) await this.loadGuidelines();
    await this.loadAccount();
    this.render();
    await this.loadThread(true);
    this.root.removeAttribute("aria-busy");
    this.listen();
    this.listenReader();
    if (!this.followsLinks) {
      // A permalink opened on the page already showing the story.
      this.followsLinks = true;
      window.addEventListener("hashchange", () => {
        const id = linkedComment();
        if (!id) return;
        if (this.items.has(id)) this.showLinked({ id, state: "shown" });
        else {
          this.linkId = id;
          this.loadThread(true);
        }
      });
    }
  }

  async loadGuidelines() {
    try {
      const data = await this.api("GET", `sites/${encodeURIComponent(this.site)}/guidelines?lang=${this.lang}`);
      const list = Array.isArray(data) ? data : (data && (data.guidelines || data.items)) || [];
      this.guidelines = list
        .filter((g) => g && g.code)
        .map((g) => ({ code: String(g.code), title: String(g.title || g.label || g.name || humanize(g.code)) }));
    } catch (e) {
      this.guidelines = [];
    }
  }

  guidelineTitle(code) {
    const found = this.guidelines.find((g) => g.code === code);
    return found ? found.title : humanize(code);
  }

  render() {
    const s = this.s;
    this.root.setAttribute("lang", this.lang);
    this.titleId = this.titleId || nextId("title");
    this.root.setAttribute("aria-labelledby", this.titleId);
    this.countEl = h("span", { class: "count" });
    this.noticeArea = h("div", { class: "notices" });
    this.status = h("div", { class: "sr", "aria-live": "polite", role: "status" });
    this.accountArea = h("div", { class: "account" });
    this.pendingList = h("ul", { class: "list pending-list", "aria-label": s.yourPending });
    this.rejectedList = h("ul", { class: "list rejected-list", "aria-label": s.yourRejected });
    this.list = h("ul", { class: "list", "aria-label": s.threadLabel });
    this.linkNote = h("div", { class: "link-note" });
    this.freshButton = h("button", { type: "button", class: "fresh", hidden: true, onclick: () => this.showFresh() });
    this.moreButton = h("button", { type: "button", class: "btn quiet more", hidden: true, text: s.loadMore, onclick: () => this.loadThread(false) });
    this.root.replaceChildren(
      h("div", { class: "head" }, h("h2", { id: this.titleId, tabindex: "-1" }, s.title, this.countEl)),
      this.noticeArea,
      this.renderPolicy(),
      this.status,
      this.story.is_open ? this.accountArea : this.renderClosed(),
      h("div", { class: "toolbar" }, this.renderSort()),
      h("div", { class: "fresh-slot" }, this.freshButton),
      this.linkNote,
      this.pendingList,
      this.rejectedList,
      this.list,
      this.moreButton,
    );
    this.updateCount();
    this.renderNotices();
    if (this.story.is_open) this.renderAccount();
  }

  renderPolicy() {
    const texts = (this.policy && this.policy.texts) || {};
    const youth = this.story.community === "youth";
    const box = h("div", { class: "policy" });
    const names = youth ? texts.youth_names : texts.real_names;
    if (names) box.append(h("p", { class: "names", text: names }));
    const legal = [texts.licence, texts.endorsement].filter(Boolean).join(" ");
    if (legal) box.append(h("p", { text: legal }));
    const moderation = h("p");
    const url = /^https?:\/\//.test(texts.guidelines_url || "") ? texts.guidelines_url : "";
    const text = texts.moderation || "";
    const phrase = this.s.guidelinesPhrase;
    const at = url ? text.toLowerCase().indexOf(phrase.toLowerCase()) : -1;
    if (at >= 0) {
      moderation.append(text.slice(0, at),
        h("a", { href: url, target: "_blank", rel: "noopener", text: text.slice(at, at + phrase.length) }),
        text.slice(at + phrase.length));
    } else {
      moderation.append(text);
      if (url) moderation.append(" ", h("a", { href: url, target: "_blank", rel: "noopener", text: this.s.guidelinesLink }));
    }
    if (texts.open_closed) moderation.append(" " + texts.open_closed);
    box.append(moderation);
    return box;
  }

  renderClosed() {
    return h("div", { class: "banner", role: "note" },
      h("div", {}, h("strong", { text: this.s.closed }), h("p", { text: this.s.closedDetail })));
  }

  renderSort() {
    const group = h("div", { class: "sort", role: "group", "aria-label": this.s.sortLabel });
    for (const key of ["newest", "oldest", "top"]) {
      group.append(h("button", {
        type: "button", "aria-pressed": String(this.sort === key), text: this.s[key],
        onclick: (event) => {
          if (this.sort === key) return;
          this.sort = key;
          for (const b of group.children) b.setAttribute("aria-pressed", String(b === event.currentTarget));
          this.loadThread(true);
        },
      }));
    }
    return group;
  }

  updateCount() {
    this.countEl.textContent = this.s.count(this.story.comment_count);
  }

  announce(text) {
    this.status.textContent = "";
    setTimeout(() => { this.status.textContent = text; }, 30);
  }

  handleSessionEnd(error) {
    if (error && error.sessionEnded) {
      this.viewer = null;
      this.flash = this.s.sessionEnded;
      this.refresh();
      return true;
    }
    return false;
  }
}

// One widget per tag: the base renders the frame, each part adds its own methods.
export class Widget extends Notifications(Live(Thread(Composer(Account(WidgetBase))))) {}

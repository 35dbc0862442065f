/*! Townhall widget: following the story's event stream; events carry ids, the thread is re-read. */

import { townhall } from "./api.js";
import { h } from "./dom.js";

// Live updates: a new comment shows as a pill, a change re-reads the visible page.
export const Live = (Base) => class extends Base {
  listen() {
    if (this.events || !this.features.events || typeof EventSource !== "function") return;
    const url = `${townhall.origin}/api/v1/${this.storyPath("/events")}`;
    let source;
    try { source = new EventSource(url); } catch (e) { return; }
    this.events = source;
    const handle = (type, event) => {
      let data = {};
      try { data = JSON.parse(event.data || "{}"); } catch (e) { return; }
      const kind = type || data.type;
      const id = data.comment_id ?? data.id;
      if (typeof data.comment_count === "number" && (kind === "comment.published" || kind === "comment.removed")) {
        this.story.comment_count = data.comment_count;  // the header follows the thread live
        this.updateCount();
      }
      if (kind === "comment.published") {
        if (id && this.rejectedList.querySelector(`[data-id="${id}"]`)) {
          this.reinstated(id);  // the reader's own appeal was accepted
        } else if (id && !this.items.has(id)) {
          this.fresh.add(id);
          this.updateFresh();
        }
      } else if (kind === "comment.edited" || kind === "comment.liked" || kind === "comment.removed") {
        if (this.items.has(id)) this.scheduleSync();
      } else if (kind === "story.updated") {
        this.syncStory();
      }
    };
    for (const kind of ["comment.published", "comment.edited", "comment.removed", "comment.liked", "story.updated"]) {
      source.addEventListener(kind, (event) => handle(kind, event));
    }
    source.onmessage = (event) => handle(null, event);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) this.events = null;
    };
  }

  // An appeal accepted while the reader reads: the comment takes its place in the thread,
  // marked, and the reader is told.
  async reinstated(id) {
    await this.loadThread(true, true);
    const note = h("p", { class: "alert ok", role: "status", tabindex: "-1", text: this.s.appealAccepted });
    this.linkNote.replaceChildren(note);
    const li = this.items.get(id)?.li;
    if (li) li.classList.add("linked");
    note.focus();
  }

  updateFresh() {
    const n = this.fresh.size;
    this.freshButton.hidden = n === 0;
    if (n) this.freshButton.textContent = this.s.newComments(n);
  }

  async showFresh() {
    const first = [...this.fresh][0];
    await this.loadThread(true, true);
    const li = this.items.get(first)?.li;
    if (li) {
      li.classList.add("highlight");
      li.setAttribute("tabindex", "-1");
      li.focus();
    }
  }

  scheduleSync() {
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => this.syncVisible(), 400);
  }

  async syncVisible() {
    const tops = [...this.list.children].filter((li) => li.dataset.depth === "0").length;
    const query = new URLSearchParams({ sort: this.sort, limit: String(Math.min(100, Math.max(1, tops))) });
    let page;
    try {
      page = await this.api("GET", this.storyPath(`/comments?${query}`), undefined, undefined, "no-cache");
    } catch (e) { return; }
    const seen = new Set();
    for (const top of page.comments) {
      for (const c of [top, ...(top.replies || [])]) {
        seen.add(c.id);
        const entry = this.items.get(c.id);
        if (!entry) continue;
        const before = entry.data;
        if (before.body_html !== c.body_html || before.like_count !== c.like_count
            || before.removed !== c.removed || before.liked !== c.liked) {
          const focused = entry.li.contains(this.shadow.activeElement);
          if (!focused) this.renderComment(c);
        }
      }
    }
    for (const [id, entry] of this.items) {
      if (!seen.has(id) && entry.data.status === "published" && entry.li.parentNode === this.list
          && Number(entry.li.dataset.depth) === 0 && tops <= 100) {
        entry.li.remove();
        this.items.delete(id);
      }
    }
    this.story.comment_count = page.story.comment_count;
    this.updateCount();
  }

  async syncStory() {
    const wasOpen = this.story.is_open;
    try {
      const boot = await this.api("GET", this.storyPath(`/embed?lang=${this.lang}`));
      if (!boot.story) return;
      this.story = boot.story;
    } catch (e) { return; }
    if (wasOpen !== this.story.is_open) {
      this.render();
      this.loadThread(true);
    } else {
      this.updateCount();
    }
  }
};

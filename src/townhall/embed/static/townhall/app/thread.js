/*! Townhall widget: the thread, one comment at a time, and what a reader does with one. */

import { fmtNumber, fill, relativeTime, exactTime, longDate } from "./strings.js";
import { h, nextId, safeBody, initials, hue } from "./dom.js";
import { solve } from "./pow.js";

// The thread: pages of comments with their replies, and each comment's actions.
export const Thread = (Base) => class extends Base {
  async loadThread(reset, changed) {
    const s = this.s;
    if (reset) {
      this.cursor = null;
      this.fresh.clear();
      this.updateFresh();
    }
    this.moreButton.disabled = true;
    const query = new URLSearchParams({ sort: this.sort });
    if (!reset && this.cursor) query.set("cursor", this.cursor);
    // A permalink (#comment-N) is answered once, on the first full read after it was opened.
    const linkId = reset ? this.linkId : null;
    this.linkId = null;
    let page;
    let linked = null;
    try {
      [page, linked] = await Promise.all([
        this.api("GET", this.storyPath(`/comments?${query}`), undefined, undefined,
          changed ? "no-cache" : undefined),
        linkId ? this.api("GET", this.storyPath(`/comments?${new URLSearchParams({ sort: this.sort, comment: String(linkId) })}`))
          .catch(() => null) : null,
      ]);
    } catch (error) {
      if (this.handleSessionEnd(error)) return;
      const alert = h("li", { class: "alert error", role: "alert", text: error.message });
      if (reset) this.list.replaceChildren(alert);
      else this.list.append(alert);
      return;
    } finally {
      this.moreButton.disabled = false;
    }
    if (reset) {
      this.items.clear();
      this.list.replaceChildren();
      this.linkNote.replaceChildren();
      this.linkedRoot = null;
      this.pendingList.replaceChildren(...(page.my_pending || []).map((c) => this.renderComment(c)));
      this.rejectedList.replaceChildren(...(page.my_rejected || []).map((c) => this.renderRejected(c)));
      this.story = Object.assign(this.story, page.story);
      this.updateCount();
    }
    // The linked conversation comes first, however deep in the thread it sits; the pages
    // that follow leave it where it is.
    const around = linked && linked.linked && linked.comments.length ? linked.comments[0] : null;
    if (around) {
      this.linkedRoot = around.id;
      this.list.append(this.renderComment(around));
      for (const reply of around.replies || []) this.list.append(this.renderComment(reply));
    }
    for (const comment of page.comments) {
      if (comment.id === this.linkedRoot) continue;
      this.list.append(this.renderComment(comment));
      for (const reply of comment.replies || []) this.list.append(this.renderComment(reply));
    }
    if (!this.list.children.length) this.list.append(h("li", { class: "empty", text: s.empty }));
    this.cursor = page.next_cursor;
    this.moreButton.hidden = !this.cursor;
    if (linked && linked.linked) this.showLinked(linked.linked);
  }

  // Scroll to the linked comment and mark it; say so politely when it cannot be shown.
  showLinked(linked) {
    const s = this.s;
    const entry = linked.state === "shown" ? this.items.get(linked.id) : null;
    if (entry) {
      entry.li.classList.add("highlight", "linked");
      entry.li.setAttribute("tabindex", "-1");
      entry.li.scrollIntoView({ block: "center" });
      entry.li.focus({ preventScroll: true });
      return;
    }
    const text = { pending: s.linkPending, removed: s.linkRemoved }[linked.state];
    if (!text) return; // not a comment of this story: another widget on the page may have it
    const note = h("p", { class: "alert info", role: "status", tabindex: "-1", text });
    this.linkNote.replaceChildren(note);
    note.scrollIntoView({ block: "center" });
    note.focus({ preventScroll: true });
  }

  // The address of one comment: the story page's own, with the comment's fragment.
  permalink(id) {
    const base = String(this.config.url || window.location.href).split("#")[0];
    return `${base}#comment-${id}`;
  }

  async copyLink(c, button, slot) {
    const s = this.s;
    const url = this.permalink(c.id);
    try {
      await navigator.clipboard.writeText(url);
    } catch (e) {
      // No clipboard (an insecure page, a refused permission): show the link to copy by hand.
      slot.replaceChildren(h("p", { class: "alert info" }, s.linkHere, " ",
        h("a", { href: url, text: url })));
      return;
    }
    const label = button.getAttribute("aria-label");
    button.textContent = s.linkCopied;
    button.setAttribute("aria-label", s.linkCopied);
    this.announce(s.linkCopied);
    setTimeout(() => {
      button.textContent = s.copyLink;
      button.setAttribute("aria-label", label);
    }, 2500);
  }

  insertReply(li, parentId) {
    const parent = this.items.get(parentId);
    if (!parent) return;
    const depth = Number(parent.li.dataset.depth);
    let next = parent.li.nextElementSibling;
    while (next && Number(next.dataset.depth) > depth) next = next.nextElementSibling;
    this.list.insertBefore(li, next);
  }

  canEdit(comment) {
    const age = (Date.now() - Date.parse(comment.created_at)) / 1000;
    return comment.mine && !comment.removed && age < this.limits.edit_window_seconds && this.story.is_open;
  }

  renderComment(c) {
    const s = this.s;
    const li = h("li", {
      class: `c${c.depth > 0 ? " reply" : ""}`, id: `th-comment-${c.id}`,
      style: `--d:${c.display_depth}`, dataset: { id: String(c.id), depth: String(c.depth) },
    });
    const old = this.items.get(c.id);
    this.items.set(c.id, { data: c, li });
    // Shown now (the author's own post can be announced on the stream before its answer).
    if (this.fresh.delete(c.id)) this.updateFresh();
    if (old && old.li !== li) old.li.replaceWith(li);
    const parent = c.parent_id ? this.items.get(c.parent_id) : null;
    const head = h("div", { class: "c-head" });
    if (c.removed) {
      li.append(h("p", { class: "c-body removed", text: c.status === "rejected" ? s.removedPlaceholder : s.deletedPlaceholder }));
      return li;
    }
    const name = c.author ? c.author.display_name : "";
    if (c.muted && !(this.unfolded && this.unfolded.has(c.id))) {
      // A muted author's comment folds to one line; the reader may still open it.
      li.classList.add("muted");
      li.append(h("p", { class: "c-body removed" }, fill(s.mutedComment, { name }), " ",
        h("button", { type: "button", class: "link", text: s.showMuted,
          onclick: () => {
            (this.unfolded ||= new Set()).add(c.id);
            const opened = this.renderComment(c);
            opened.setAttribute("tabindex", "-1");
            opened.focus();
          } })));
      return li;
    }
    head.append(...[
      h("span", { class: "avatar", "aria-hidden": "true", style: `background:hsl(${hue(c.author ? c.author.id : 0)} 45% 30%)`, text: initials(name) }),
      h("span", { class: "name", text: name }),
      parent && parent.data.author ? h("span", { class: "sr", text: fill(s.replyTo, { name: parent.data.author.display_name }) }) : null,
      h("time", { datetime: c.created_at, title: exactTime(this.lang, c.created_at), text: relativeTime(this.lang, c.created_at) }),
      c.edited_at ? h("span", { class: "edited", title: exactTime(this.lang, c.edited_at), text: `· ${s.edited}` }) : null,
      c.status === "pending" ? h("span", { class: "badge", text: s.awaitingReview }) : null,
    ].filter(Boolean));
    const body = h("div", { class: "c-body" });
    body.append(safeBody(c.body_html));
    const actions = h("div", { class: "c-actions" });
    const slot = h("div", { class: "c-slot" });
    if (c.status === "published") {
      if (c.mine) {
        actions.append(h("span", { class: "likes", text: s.likes(c.like_count) }));
      } else {
        // The button says "Like" (its name adds whose comment and the count, WCAG 2.5.3);
        // the count beside it is for the eye.
        actions.append(h("button", {
          type: "button", class: "like", "aria-pressed": String(!!c.liked), "aria-label": s.likeLabel(name, c.like_count),
          text: s.like, onclick: (e) => this.toggleLike(c, e.currentTarget),
        }), h("span", { class: "like-count", "aria-hidden": "true", text: c.like_count ? fmtNumber(this.lang, c.like_count) : "" }));
      }
      if (this.story.is_open) {
        actions.append(h("button", { type: "button", "aria-expanded": "false", text: s.reply, onclick: (e) => this.openReply(c, slot, e.currentTarget) }));
      }
      actions.append(h("button", {
        type: "button", text: s.copyLink, "aria-label": fill(s.copyLinkLabel, { name }),
        onclick: (e) => this.copyLink(c, e.currentTarget, slot),
      }));
      if (!c.mine && c.author && this.viewer && this.story.community !== "youth") {
        actions.append(h("button", {
          type: "button", class: "mute", text: s.mute, "aria-label": fill(s.muteLabel, { name }),
          onclick: () => this.setMuted(c.author.id, true, name),
        }));
      }
      if (!c.mine && this.features.reports) {
        // A reader reports a comment once: after that the action says it was done.
        actions.append(c.reported
          ? h("span", { class: "reported", text: s.reported })
          : h("button", { type: "button", "aria-expanded": "false", text: s.report, onclick: (e) => this.openReport(c, slot, e.currentTarget) }));
      }
      if (!c.mine) {
        // A notice of illegal content (DSA art. 16): anyone may send one, signed in or not.
        actions.append(h("button", { type: "button", class: "notify-illegal", "aria-expanded": "false", text: s.noticeOpen,
          onclick: (e) => this.openNotice(c, slot, e.currentTarget) }));
      }
    }
    if (this.canEdit(c)) {
      actions.append(h("button", { type: "button", text: s.edit, onclick: (e) => this.openEdit(c, slot, e.currentTarget) }));
    }
    if (c.mine) {
      actions.append(h("button", { type: "button", text: s.delete, onclick: (e) => this.openDelete(c, slot, e.currentTarget) }));
    }
    li.append(head, body, actions, slot);
    return li;
  }

  closeSlot(slot, opener) {
    slot.replaceChildren();
    if (opener) {
      if (opener.hasAttribute("aria-expanded")) opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
  }

  openSlot(slot, opener, content) {
    const li = slot.closest("li");
    for (const b of li.querySelectorAll(":scope > .c-actions [aria-expanded]")) b.setAttribute("aria-expanded", "false");
    if (opener.hasAttribute("aria-expanded")) opener.setAttribute("aria-expanded", "true");
    slot.replaceChildren(content);
    const first = content.querySelector("textarea, input, button");
    if (first) first.focus();
  }

  openReply(c, slot, opener) {
    if (!this.requireViewer()) return;
    if (this.nameFlagged()) {
      this.showNamePrompt();
      return;
    }
    this.openSlot(slot, opener, this.composer({ kind: "reply", parent: c, onCancel: () => this.closeSlot(slot, opener) }));
  }

  openEdit(c, slot, opener) {
    this.openSlot(slot, opener, this.composer({ kind: "edit", comment: c, onCancel: () => this.closeSlot(slot, opener) }));
  }

  openDelete(c, slot, opener) {
    const s = this.s;
    const error = h("p", { class: "alert error", role: "alert" });
    const box = h("div", { class: "dialog", role: "group", "aria-label": s.delete },
      h("p", { style: "margin:0", text: s.confirmDelete }), error,
      h("div", { class: "actions-row" },
        h("button", { type: "button", class: "btn", text: s.yesDelete, onclick: async () => {
          try {
            await this.api("DELETE", `comments/${c.id}`);
          } catch (err) {
            if (!this.handleSessionEnd(err)) error.textContent = err.message;
            return;
          }
          this.afterDelete(c);
        } }),
        h("button", { type: "button", class: "btn quiet", text: s.cancel, onclick: () => this.closeSlot(slot, opener) })));
    this.openSlot(slot, opener, box);
  }

  afterDelete(c) {
    const entry = this.items.get(c.id);
    if (c.status === "published") {
      this.story.comment_count = Math.max(0, this.story.comment_count - 1);
      this.updateCount();
    }
    const hasReplies = entry && Number(entry.li.nextElementSibling?.dataset.depth) > c.depth;
    if (entry) {
      if (hasReplies) this.renderComment(Object.assign({}, c, { removed: true, status: "deleted", author: null, body_html: "" }));
      else {
        entry.li.remove();
        this.items.delete(c.id);
      }
    }
    this.announce(this.s.deletedOk);
    const focusTarget = this.accountArea.querySelector("textarea, button");
    if (focusTarget) focusTarget.focus({ preventScroll: true });
  }

  async toggleLike(c, button) {
    if (!this.requireViewer()) return;
    button.disabled = true;
    try {
      const result = await this.api(c.liked ? "DELETE" : "POST", `comments/${c.id}/like`);
      c.liked = result.liked;
      c.like_count = result.like_count;
      const name = c.author ? c.author.display_name : "";
      button.setAttribute("aria-pressed", String(c.liked));
      button.setAttribute("aria-label", this.s.likeLabel(name, c.like_count));
      const count = button.nextElementSibling;
      if (count && count.classList.contains("like-count")) count.textContent = c.like_count ? fmtNumber(this.lang, c.like_count) : "";
    } catch (error) {
      if (!this.handleSessionEnd(error)) this.announce(error.message);
      const slot = button.closest("li").querySelector(":scope > .c-slot");
      slot.replaceChildren(h("p", { class: "alert error", role: "alert", text: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  openReport(c, slot, opener) {
    if (!this.requireViewer()) return;
    const s = this.s;
    const name = nextId("reason");
    const reasons = [...this.guidelines, { code: "other", title: s.reasonOther }];
    const detailsId = nextId("details");
    const error = h("p", { class: "alert error", role: "alert" });
    const form = h("form", { class: "dialog", role: "dialog", "aria-label": s.reportTitle, novalidate: true },
      h("fieldset", {}, h("legend", { text: s.reportTitle }),
        reasons.map((r, i) => {
          const id = `${name}-${i}`;
          return h("label", { class: "radio", for: id },
            h("input", { type: "radio", id, name: "reason", value: r.code, checked: reasons.length === 1 }), h("span", { text: r.title }));
        })),
      h("label", { for: detailsId, text: s.reportDetails }),
      h("textarea", { id: detailsId, name: "text", rows: "2", maxlength: "1000" }),
      error,
      h("div", { class: "actions-row" },
        h("button", { type: "submit", class: "btn", text: s.reportSend }),
        h("button", { type: "button", class: "btn quiet", text: s.cancel, onclick: () => this.closeSlot(slot, opener) })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[name=reason]:checked");
      if (!chosen) { error.textContent = s.chooseReason; return; }
      const payload = { reason: chosen.value };
      const text = form.elements.text.value.trim();
      if (text) payload.text = text;
      try {
        await this.api("POST", `comments/${c.id}/reports`, payload);
      } catch (err) {
        if (!this.handleSessionEnd(err)) error.textContent = err.message;
        return;
      }
      const done = h("p", { class: "alert ok", tabindex: "-1", text: s.reportSent });
      slot.replaceChildren(done);
      c.reported = true;
      opener.replaceWith(h("span", { class: "reported", text: s.reported }));
      done.focus();
      this.announce(s.reportSent);
    });
    this.openSlot(slot, opener, form);
  }

  async openNotice(c, slot, opener) {
    const s = this.s;
    let grounds;
    try {
      grounds = await this.api("GET", `notices/grounds?lang=${this.lang}`);
    } catch (err) {
      slot.replaceChildren(h("p", { class: "alert error", role: "alert", text: err.message }));
      return;
    }
    const ids = { ground: nextId("ground"), law: nextId("law"), why: nextId("why"), name: nextId("name"), email: nextId("email"), faith: nextId("faith") };
    const error = h("p", { class: "alert error", role: "alert" });
    const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id, text: label }), input);
    const form = h("form", { class: "dialog", role: "dialog", "aria-label": s.noticeTitle, novalidate: true },
      h("p", { class: "reason", text: s.noticeIntro }),
      field(ids.ground, s.noticeGround, h("select", { id: ids.ground, name: "ground" },
        grounds.grounds.map((g) => h("option", { value: g.code, text: g.label })))),
      field(ids.law, s.noticeLaw, h("input", { id: ids.law, name: "law", maxlength: "300" })),
      field(ids.why, s.noticeExplanation, h("textarea", { id: ids.why, name: "explanation", rows: "3", maxlength: "5000", required: true })),
      field(ids.name, s.noticeName, h("input", { id: ids.name, name: "name", maxlength: "200", autocomplete: "name" })),
      field(ids.email, s.noticeEmail, h("input", { id: ids.email, name: "email", type: "email", maxlength: "254", autocomplete: "email" })),
      h("p", { class: "reason", text: s.noticeIdentity }),
      h("label", { class: "check", for: ids.faith }, h("input", { type: "checkbox", id: ids.faith, name: "good_faith" }), h("span", { text: s.noticeGoodFaith })),
      error,
      h("div", { class: "actions-row" },
        h("button", { type: "submit", class: "btn", text: s.noticeSend }),
        h("button", { type: "button", class: "btn quiet", text: s.cancel, onclick: () => this.closeSlot(slot, opener) })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const send = form.querySelector("button[type=submit]");
      send.disabled = true;
      error.textContent = s.noticeWorking;
      const value = (name) => form.elements[name].value.trim();
      try {
        const challenge = await this.api("GET", "notices/challenge");
        const nonce = await solve(challenge.challenge, challenge.bits);
        const made = await this.api("POST", "notices", {
          comment_id: c.id, ground: value("ground"), law: value("law"), explanation: value("explanation"),
          name: value("name"), email: value("email"), good_faith: form.elements.good_faith.checked,
          language: this.lang, challenge: challenge.challenge, nonce,
        });
        const done = h("p", { class: "alert ok", role: "status", tabindex: "-1", text: fill(s.noticeSent, { reference: made.reference }) });
        slot.replaceChildren(done);
        opener.setAttribute("aria-expanded", "false");
        done.focus();
        this.announce(done.textContent);
      } catch (err) {
        error.textContent = err.message;
        send.disabled = false;
      }
    });
    this.openSlot(slot, opener, form);
  }

  // The author's own rejected comment: why, and an appeal to a different moderator.
  renderRejected(c) {
    const s = this.s;
    const li = h("li", { class: "c rejected", id: `th-rejected-${c.id}`, "data-id": String(c.id) });
    const why = c.guideline ? fill(s.rejectedBecause, { guideline: c.guideline.title }) : s.rejectedGeneric;
    li.append(
      h("div", { class: "c-head" }, h("span", { class: "badge", text: s.notPublished })),
      h("p", { class: "c-body", text: c.body }),
      h("p", { class: "reason", text: why }),
      c.note ? h("p", { class: "reason", text: fill(s.moderatorNote, { note: c.note }) }) : null,
      // The statement of reasons (DSA art. 17) comes written in the author's language.
      c.statement ? h("details", { class: "statement" },
        h("summary", { text: s.statementOfReasons }),
        ...c.statement.text.map((paragraph) => h("p", { class: "reason", text: paragraph }))) : null);
    const slot = h("div", { class: "slot" });
    if (c.appeal) {
      const text = c.appeal.status === "upheld"
        ? fill(s.appealUpheld, { date: longDate(this.lang, c.appeal.decided_at || c.appeal.created_at) })
        : fill(s.appealOpen, { date: longDate(this.lang, c.appeal.created_at) });
      li.append(h("p", { class: "alert ok", role: "status", text }));
    } else if (c.can_appeal) {
      const opener = h("button", { type: "button", class: "btn quiet", text: s.appealOpenButton,
        "aria-expanded": "false", onclick: () => this.openAppeal(c, slot, opener) });
      li.append(c.appeal_until ? h("p", { class: "reason", text: fill(s.appealUntil, { date: longDate(this.lang, c.appeal_until) }) }) : null,
        h("div", { class: "c-actions" }, opener), slot);
    }
    return li;
  }

  openAppeal(c, slot, opener) {
    const s = this.s;
    const whyId = nextId("appeal");
    const error = h("p", { class: "alert error", role: "alert" });
    const form = h("form", { class: "dialog", "aria-label": s.appealOpenButton, novalidate: true },
      h("label", { for: whyId, text: s.appealWhy }),
      h("textarea", { id: whyId, name: "message", rows: "3", maxlength: "2000" }),
      error,
      h("div", { class: "actions-row" },
        h("button", { type: "submit", class: "btn", text: s.appealSend }),
        h("button", { type: "button", class: "btn quiet", text: s.cancel, onclick: () => this.closeSlot(slot, opener) })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await this.api("POST", `comments/${c.id}/appeal`, { message: form.elements.message.value.trim() });
      } catch (err) {
        if (!this.handleSessionEnd(err)) error.textContent = err.message;
        return;
      }
      const done = h("p", { class: "alert ok", role: "status", tabindex: "-1", text: s.appealSent });
      slot.replaceChildren(done);
      opener.remove();
      done.focus();
      this.announce(s.appealSent);
    });
    this.openSlot(slot, opener, form);
  }

  updateTimes() {
    for (const el of this.root.querySelectorAll("time[datetime]")) {
      el.textContent = relativeTime(this.lang, el.getAttribute("datetime"));
    }
  }
};

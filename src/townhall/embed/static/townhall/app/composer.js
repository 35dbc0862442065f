/*! Townhall widget: writing a comment, a reply or an edit, and what the server made of it. */

import { fill } from "./strings.js";
import { ApiError, instances, NAME_GUIDELINE, randomKey } from "./api.js";
import { h, nextId } from "./dom.js";

// The composer: one form for a new comment, a reply or an edit, with the pre-publication check.
export const Composer = (Base) => class extends Base {
  // The consent is kept on the account (per site, language and terms version): once given,
  // on any story or in any browser, it is not asked again until the terms change.
  termsAccepted() {
    return !!(this.viewer && this.viewer.terms_accepted);
  }

  composer({ kind, parent, comment, onCancel }) {
    const s = this.s;
    const max = this.limits.max_comment_length;
    const id = nextId("body");
    const countId = `${id}-count`;
    const needsTerms = kind !== "edit" && !this.termsAccepted();
    const textarea = h("textarea", {
      id, name: "body", maxlength: String(max + 1000), placeholder: kind === "edit" ? null : s.placeholder,
      "aria-describedby": `${countId} ${id}-error`, rows: kind === "comment" ? "4" : "3",
    });
    if (comment) textarea.value = comment.body;
    const counter = h("span", { class: "counter", id: countId });
    const updateCounter = () => {
      const left = max - textarea.value.trim().length;
      counter.textContent = left >= 0 ? s.charsLeft(left) : s.charsOver(-left);
      counter.classList.toggle("over", left < 0);
    };
    textarea.addEventListener("input", updateCounter);
    updateCounter();
    const termsId = nextId("terms");
    const terms = needsTerms ? h("div", { class: "field", dataset: { field: "accept_terms" } },
      h("label", { class: "check", for: termsId },
        h("input", { type: "checkbox", id: termsId, name: "accept_terms", "aria-describedby": `${termsId}-error` }),
        h("span", { text: s.acceptTerms })),
      h("p", { class: "field-error", id: `${termsId}-error` })) : null;
    const nudge = h("div", { class: "nudge" });
    const error = h("p", { class: "alert error", role: "alert", tabindex: "-1" });
    const label = kind === "edit" ? s.editLabel : fill(s.commentingAs, { name: this.viewer.display_name });
    const submit = h("button", { type: "submit", class: "btn", text: kind === "edit" ? s.save : kind === "reply" ? s.postReply : s.post });
    const form = h("form", { class: kind === "comment" ? "" : "dialog", novalidate: true },
      h("div", { class: "field", dataset: { field: "body" } },
        // The new comment's label names the author for screen readers only: the line above
        // the composer says who is signed in.
        h("label", { for: id, class: kind === "comment" ? "who sr" : "who", text: label }),
        kind === "reply" ? h("p", { class: "hint", text: fill(s.replyTo, { name: parent.author ? parent.author.display_name : "" }) }) : null,
        textarea,
        h("p", { class: "field-error", id: `${id}-error` })),
      terms, nudge, error,
      h("div", { class: "actions-row" }, submit,
        onCancel ? h("button", { type: "button", class: "btn quiet", text: s.cancel, onclick: onCancel }) : null,
        h("span", { class: "spacer" }), counter));
    let idempotencyKey = randomKey();
    textarea.addEventListener("input", () => { nudge.replaceChildren(); });

    const send = async (anyway) => {
      const body = textarea.value.trim();
      const fail = (field, message) => { throw new ApiError(422, [{ field, code: "invalid", message }], message); };
      if (!body) fail("body", s.writeSomething);
      if (body.length > max) fail("body", s.tooLong);
      if (terms && !form.elements.accept_terms.checked) fail("accept_terms", s.termsRequired);
      if (kind === "edit") {
        const updated = await this.api("PATCH", `comments/${comment.id}`, { body });
        this.afterEdit(updated);
        return;
      }
      if (!anyway && this.features.check) {
        let check = null;
        try { check = await this.api("POST", this.storyPath("/comments/check"), { body }); } catch (e) { check = null; }
        if (check && check.action && check.action !== "publish") {
          this.showNudge(nudge, check, textarea, submit, () => run(true));
          return;
        }
      }
      const payload = { body };
      if (terms) payload.accept_terms = true;
      if (parent) payload.parent_id = parent.id;
      if (anyway) payload.review_requested = true;
      const created = await this.api("POST", this.storyPath("/comments"), payload, { "Idempotency-Key": idempotencyKey });
      if (terms) {
        for (const w of instances) {
          if (w.viewer && w.site === this.site && w.policy.language === this.policy.language
              && w.policy.version === this.policy.version) w.viewer.terms_accepted = true;
        }
      }
      idempotencyKey = randomKey();
      textarea.value = "";
      updateCounter();
      nudge.replaceChildren();
      if (terms) terms.remove();
      this.afterPost(created, parent, form);
    };
    const run = async (anyway) => {
      submit.disabled = true;
      error.textContent = "";
      try {
        await send(anyway);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (!this.handleSessionEnd(err)) this.showErrors(form, err);
      } finally {
        submit.disabled = false;
      }
    };
    form.addEventListener("submit", (event) => { event.preventDefault(); run(false); });
    return form;
  }

  // While the nudge offers "Edit my comment" and "Post anyway", the form's own submit button is
  // hidden, so that two buttons do not both post; editing the text brings it back.
  showNudge(nudge, check, textarea, submit, postAnyway) {
    const s = this.s;
    const code = (check.guidelines || [])[0];
    const text = code ? fill(s.nudge, { guideline: this.guidelineTitle(code) }) : s.nudgeGeneric;
    const restore = () => { nudge.replaceChildren(); submit.hidden = false; };
    textarea.addEventListener("input", restore, { once: true });
    submit.hidden = true;
    nudge.replaceChildren(h("div", { class: "alert info", role: "alert" },
      h("p", { style: "margin:0 0 .5rem", text }),
      h("div", { class: "actions-row", style: "margin-top:0" },
        h("button", { type: "button", class: "btn secondary", text: s.editIt, onclick: () => { restore(); textarea.focus(); } }),
        h("button", { type: "button", class: "btn quiet", text: s.postAnyway, onclick: () => { restore(); postAnyway(); } }))));
  }

  reasonText(created) {
    const s = this.s;
    const codes = (created.guidelines || []).filter(Boolean);
    if (codes.length) return fill(s.reason, { reason: codes.map((c) => this.guidelineTitle(c)).join(", ") });
    if (this.story.moderation_mode === "pre") return s.reasonPremoderation;
    return "";
  }

  afterPost(created, parent, form) {
    const s = this.s;
    let message;
    let tone = "ok";
    let heldForName = false;
    if (created.status === "published") {
      message = parent ? s.replyPublished : s.published;
      this.story.comment_count += 1;
      this.updateCount();
      const li = this.renderComment(created);
      if (parent) this.insertReply(li, parent.id);
      else {
        this.list.querySelector(".empty")?.remove();
        this.list.prepend(li);
      }
      li.classList.add("highlight");
    } else if (created.status === "pending") {
      tone = "info";
      message = [s.pending, this.reasonText(created)].filter(Boolean).join(" ");
      this.pendingList.prepend(this.renderComment(created));
      heldForName = (created.guidelines || []).includes(NAME_GUIDELINE);
    } else {
      tone = "error";
      message = [s.rejected, this.reasonText(created)].filter(Boolean).join(" ");
    }
    const result = h("p", { class: `alert ${tone}`, tabindex: "-1", text: message });
    if (parent) {
      const slot = this.items.get(parent.id)?.li.querySelector(":scope > .c-slot");
      if (slot) slot.replaceChildren(result);
    } else {
      form.querySelector(".result")?.remove();
      result.classList.add("result");
      form.append(result);
    }
    result.focus();
    this.announce(message);
    if (heldForName) this.promptForName();
  }

  afterEdit(updated) {
    const entry = this.items.get(updated.id);
    if (!entry) return;
    const li = this.renderComment(updated);
    entry.li.replaceWith(li);
    if (updated.status === "pending") {
      li.remove();
      this.pendingList.prepend(li);
      this.story.comment_count = Math.max(0, this.story.comment_count - (entry.data.status === "published" ? 1 : 0));
      this.updateCount();
    }
    const message = updated.status === "pending" ? this.s.pending : this.s.savedOk;
    const result = h("p", { class: "alert ok", tabindex: "-1", text: message });
    li.querySelector(":scope > .c-slot").replaceChildren(result);
    result.focus();
    this.announce(message);
  }
};

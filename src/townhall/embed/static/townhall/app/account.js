/*! Townhall widget: joining, signing in and out, the email check, a name in doubt, moderators' notices. */

import { fill, longDate } from "./strings.js";
import { storage, DEVICE_KEY, instances, setToken, ApiError } from "./api.js";
import { cssEscape, h, nextId } from "./dom.js";

// The account area above the thread: who the reader is and what they must do before posting.
export const Account = (Base) => class extends Base {
  // A reader whose name a moderator doubts is asked about it: the question needs the name
  // itself and any change waiting for approval, which only the account's own record has.
  async loadAccount() {
    this.account = null;
    if (this.viewer && this.viewer.name_status === "flagged") {
      try { this.account = await this.api("GET", "me"); } catch (e) { this.account = null; }
    }
    if (this.account) {
      this.viewerEmail = this.account.email;
      this.viewer.name_status = this.account.name_status;
    }
    if (!this.nameFlagged()) this.nameHeld = false;
  }

  renderNotices() {
    this.noticeArea.replaceChildren(...this.notices.map((n) => this.renderNotice(n)));
  }

  renderNotice(notice) {
    const s = this.s;
    const titleId = nextId("notice");
    const kind = notice.kind === "suspend" || notice.kind === "ban" ? notice.kind : "warn";
    const key = { warn: "noticeWarn", suspend: "noticeSuspend", ban: "noticeBan" }[kind];
    const values = {
      guideline: this.guidelineTitle(notice.guideline),
      date: notice.ends_at ? longDate(this.lang, notice.ends_at) : "",
    };
    const error = h("p", { class: "alert error", role: "alert" });
    const button = h("button", { type: "button", class: "btn", text: s.noticeDismiss });
    button.addEventListener("click", () => this.dismissNotice(notice, button, error));
    return h("section", { class: `notice ${kind}`, "aria-labelledby": titleId, dataset: { notice: String(notice.id) } },
      h("h3", { id: titleId, text: fill(s[`${key}Title`], values) }),
      h("p", { text: fill(s[key], values) }),
      notice.message ? h("blockquote", {},
        h("p", { class: "from", text: s.noticeMessage }),
        h("p", { class: "said", text: notice.message })) : null,
      // A suspension or ban says why (DSA art. 17), written in the reader's language.
      notice.statement ? h("details", { class: "statement" },
        h("summary", { text: s.statementOfReasons }),
        ...notice.statement.map((paragraph) => h("p", { text: paragraph }))) : null,
      error,
      h("div", { class: "actions-row" }, button));
  }

  async dismissNotice(notice, button, error) {
    button.disabled = true;
    error.textContent = "";
    try {
      await this.api("POST", `me/notices/${notice.id}/seen`);
    } catch (err) {
      button.disabled = false;
      if (this.handleSessionEnd(err)) return;
      // 404: already acknowledged, in another tab: it goes all the same.
      if (err.status !== 404) {
        error.textContent = err.message;
        return;
      }
    }
    const next = button.closest(".notice").nextElementSibling;
    for (const w of instances) {
      w.notices = w.notices.filter((n) => n.id !== notice.id);
      if (w.noticeArea) w.noticeArea.querySelector(`[data-notice="${notice.id}"]`)?.remove();
    }
    this.announce(this.s.noticeDismissed);
    const target = next ? next.querySelector("button") : this.root.querySelector(`#${this.titleId}`);
    if (target) target.focus({ preventScroll: true });
  }

  renderAccount(focus) {
    const s = this.s;
    const area = this.accountArea;
    if (this.viewer) {
      this.mode = "composer";
      const signedIn = h("div", { class: "signed" },
        h("span", { text: fill(s.signedInAs, { name: this.viewer.display_name }) }),
        h("span", { class: "tools" }, this.renderBell(),
          h("button", { type: "button", class: "link", text: s.signOut, onclick: () => this.signOut() })));
      const panel = h("div", { class: "panel" }, signedIn, this.bellPanel);
      if (this.flash) {
        panel.append(h("p", { class: "alert ok", role: "status", text: this.flash }));
        this.flash = "";
      }
      const pending = this.account && this.account.name_status === "flagged" && this.account.pending_name;
      if (!this.viewer.email_verified) panel.append(this.renderVerify());
      else if (this.nameFlagged()) panel.append(this.renderNameCheck());
      else {
        const youth = this.story.community === "youth";
        if (pending) panel.append(h("p", { class: "alert info", role: "status", text: youth ? s.namePendingYouth : fill(s.namePending, { name: pending.display_name }) }));
        panel.append(this.composer({ kind: "comment" }));
      }
      area.replaceChildren(panel);
      this.listenReader();
    } else if (this.mode === "signin") {
      area.replaceChildren(this.signInForm());
    } else if (this.mode === "signup") {
      area.replaceChildren(this.signUpForm());
    } else if (this.mode === "forgot") {
      area.replaceChildren(this.forgotForm());
    } else if (this.mode === "checkEmail") {
      area.replaceChildren(h("div", { class: "panel", role: "status" },
        h("h3", { text: s.checkEmailTitle }),
        h("p", { text: fill(s.checkEmail, { email: this.pendingEmail || "" }) }),
        h("button", { type: "button", class: "btn", text: s.signIn, onclick: () => this.switchMode("signin") })));
    } else {
      this.mode = "join";
      const panel = h("div", { class: "panel join" },
        h("h3", { text: s.join }),
        h("button", { type: "button", class: "btn", text: s.createAccount, onclick: () => this.switchMode("signup") }),
        h("p", {}, s.haveAccount, " ",
          h("button", { type: "button", class: "link", text: s.signIn, onclick: () => this.switchMode("signin") })));
      if (this.flash) {
        panel.append(h("p", { class: "alert info wide", role: "status", text: this.flash }));
        this.flash = "";
      }
      area.replaceChildren(panel);
    }
    if (focus) {
      const target = area.querySelector("input, textarea, button.btn");
      if (target) target.focus();
    }
  }

  switchMode(mode) {
    this.mode = mode;
    this.renderAccount(true);
  }

  field({ name, label, type = "text", autocomplete, hint, value }) {
    const id = nextId(name);
    const errorId = `${id}-error`;
    const hintId = hint ? `${id}-hint` : null;
    const input = h("input", {
      id, name, type, autocomplete, value: value || null, required: true,
      "aria-describedby": [hintId, errorId].filter(Boolean).join(" "),
    });
    return h("div", { class: "field", dataset: { field: name } },
      h("label", { for: id, text: label }), input,
      hint ? h("p", { class: "hint", id: hintId, text: hint }) : null,
      h("p", { class: "field-error", id: errorId }));
  }

  showErrors(form, error) {
    const general = form.querySelector(".alert.error");
    for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const loose = [];
    for (const item of error.items.length ? error.items : [{ message: error.message }]) {
      const box = item.field && form.querySelector(`[data-field="${cssEscape(item.field)}"]`);
      if (box) {
        const input = box.querySelector("input, textarea");
        if (input) input.setAttribute("aria-invalid", "true");
        const slot = box.querySelector(".field-error");
        slot.textContent = [slot.textContent, item.message].filter(Boolean).join(" ");
      } else {
        loose.push(item.message);
      }
    }
    general.textContent = loose.join(" ");
    const firstInvalid = form.querySelector("[aria-invalid=true]");
    if (firstInvalid) firstInvalid.focus();
    else if (loose.length) general.focus();
    this.announce(error.items.map((i) => i.message).join(" ") || error.message);
  }

  formShell(title, fields, submitText, onSubmit, extra) {
    const error = h("p", { class: "alert error", role: "alert", tabindex: "-1" });
    const submit = h("button", { type: "submit", class: "btn", text: submitText });
    const form = h("form", { class: "panel", novalidate: true },
      h("h3", { text: title }), fields, error,
      h("div", { class: "actions-row" }, submit,
        h("button", { type: "button", class: "btn quiet", text: this.s.cancel, onclick: () => this.switchMode("join") }),
        extra || null));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      submit.disabled = true;
      try {
        await onSubmit(form);
      } catch (err) {
        if (err instanceof ApiError) this.showErrors(form, err);
        else throw err;
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  signInForm() {
    const s = this.s;
    return this.formShell(s.signIn, [
      this.field({ name: "email", label: s.email, type: "email", autocomplete: "email", value: this.pendingEmail }),
      this.field({ name: "password", label: s.password, type: "password", autocomplete: "current-password" }),
    ], s.signIn, async (form) => {
      const email = form.elements.email.value.trim();
      const body = { email, password: form.elements.password.value };
      const device = storage.get(DEVICE_KEY);
      if (device) body.device = device;
      const data = await this.api("POST", "sessions", body);
      if (data.device) storage.set(DEVICE_KEY, data.device);
      this.pendingEmail = "";
      this.announce(s.signedIn);  // for screen readers: the panel already says who it is
      setToken(data.token);
    }, h("button", { type: "button", class: "link", text: s.forgot, onclick: () => this.switchMode("forgot") }));
  }

  forgotForm() {
    const s = this.s;
    return this.formShell(s.forgot, [
      this.field({ name: "email", label: s.email, type: "email", autocomplete: "email", value: this.pendingEmail }),
    ], s.sendReset, async (form) => {
      const email = form.elements.email.value.trim();
      await this.api("POST", "accounts/password-reset", { email });
      this.pendingEmail = email;
      this.flash = fill(s.resetSent, { email });
      this.switchMode("join");
    });
  }

  signUpForm() {
    const s = this.s;
    const youth = this.story.community === "youth";
    const termsId = nextId("terms");
    const terms = h("div", { class: "field", dataset: { field: "accept_terms" } },
      h("label", { class: "check", for: termsId },
        h("input", { type: "checkbox", id: termsId, name: "accept_terms", required: true, "aria-describedby": `${termsId}-error` }),
        h("span", { text: s.acceptTerms })),
      h("p", { class: "field-error", id: `${termsId}-error` }));
    return this.formShell(s.createAccount, [
      h("p", { class: "hint", text: youth ? s.youthNameHint : s.realNameHint }),
      h("div", { class: "row" },
        this.field({ name: "first_name", label: s.firstName, autocomplete: "given-name" }),
        this.field({ name: "last_name", label: s.lastName, autocomplete: "family-name" })),
      this.field({ name: "email", label: s.email, type: "email", autocomplete: "email" }),
      this.field({ name: "password", label: s.password, type: "password", autocomplete: "new-password", hint: s.passwordHint }),
      terms,
    ], s.createSubmit, async (form) => {
      // The server checks every field at once and records the consent with the account.
      const email = form.elements.email.value.trim();
      await this.api("POST", "accounts", {
        first_name: form.elements.first_name.value, last_name: form.elements.last_name.value,
        email, password: form.elements.password.value, language: this.lang,
        return_to: window.location.href.slice(0, 1000),
        terms: { site: this.site, language: this.policy.language, version: this.policy.version },
        accept_terms: form.elements.accept_terms.checked,
      });
      this.pendingEmail = email;
      this.switchMode("checkEmail");
      this.announce(`${s.checkEmailTitle}. ${fill(s.checkEmail, { email })}`);
    });
  }

  renderVerify() {
    const s = this.s;
    const message = h("p", { class: "alert info", role: "status", text: fill(s.verifyNeeded, { email: this.viewerEmail || "" }) });
    const result = h("p", { class: "alert ok", role: "status" });
    const box = h("div", {}, message,
      h("div", { class: "actions-row" },
        h("button", { type: "button", class: "btn", text: s.verifiedContinue, onclick: async () => {
          await this.refresh();
          if (this.viewer && !this.viewer.email_verified) this.announce(s.stillUnverified);
        } }),
        h("button", { type: "button", class: "btn quiet", text: s.resend, onclick: async () => {
          try {
            await this.api("POST", "accounts/verify/resend");
            result.className = "alert ok";
            result.textContent = s.resent;
          } catch (error) {
            result.className = "alert error";
            result.textContent = error.message;
          }
        } })),
      result);
    if (!this.viewerEmail) {
      this.api("GET", "me").then((me) => {
        this.viewerEmail = me.email;
        message.textContent = fill(s.verifyNeeded, { email: me.email });
      }, () => {});
    }
    return box;
  }

  // A moderator (or the sign-up check) doubted the name: the account's comments are held
  // until its owner confirms or changes it, so the widget asks before offering the composer.
  nameFlagged() {
    return !!(this.account && this.account.name_status === "flagged" && !this.account.pending_name);
  }

  renderNameCheck() {
    const s = this.s;
    const account = this.account;
    const youth = this.story.community === "youth";
    const titleId = nextId("name");
    const box = h("div", { class: "name-check", role: "group", "aria-labelledby": titleId });
    const ask = (focus) => {
      const error = h("p", { class: "alert error", role: "alert", tabindex: "-1" });
      const change = h("button", { type: "button", class: "btn quiet", text: s.nameChange, onclick: () => edit() });
      box.replaceChildren(...[
        h("h3", { id: titleId, text: s.nameTitle }),
        this.nameHeld ? h("p", { class: "alert info", text: s.nameHeld }) : null,
        // Youth communities never show real names on the page, not even the reader's own.
        h("p", { text: youth ? s.nameAskYouth : fill(s.nameAsk, { name: `${account.first_name} ${account.last_name}`.trim() }) }),
        youth ? h("p", { class: "hint", text: s.youthNameHint }) : null,
        error,
        h("div", { class: "actions-row" },
          h("button", { type: "button", class: "btn", text: s.nameConfirm, onclick: (e) => this.confirmName(e.currentTarget, error) }),
          change),
      ].filter(Boolean));
      if (focus) change.focus();
    };
    const edit = () => {
      const submit = h("button", { type: "submit", class: "btn", text: s.nameSave });
      const form = h("form", { novalidate: true },
        h("h3", { id: titleId, text: s.nameChangeTitle }),
        h("p", { class: "hint", text: youth ? s.youthNameHint : s.realNameHint }),
        h("div", { class: "row" },
          this.field({ name: "first_name", label: s.firstName, autocomplete: "given-name", value: youth ? "" : account.first_name }),
          this.field({ name: "last_name", label: s.lastName, autocomplete: "family-name", value: youth ? "" : account.last_name })),
        h("p", { class: "alert error", role: "alert", tabindex: "-1" }),
        h("div", { class: "actions-row" }, submit,
          h("button", { type: "button", class: "btn quiet", text: s.cancel, onclick: () => ask(true) })));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        submit.disabled = true;
        try {
          const changed = await this.api("PATCH", "me", {
            first_name: form.elements.first_name.value, last_name: form.elements.last_name.value,
          });
          // Waiting for approval: the account area says so in place of this message.
          await this.afterNameCheck(changed.pending_approval ? "" : s.nameChanged);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          if (!this.handleSessionEnd(err)) this.showErrors(form, err);
        } finally {
          submit.disabled = false;
        }
      });
      box.replaceChildren(form);
      form.elements.first_name.focus();
    };
    ask(false);
    return box;
  }

  async confirmName(button, error) {
    button.disabled = true;
    error.textContent = "";
    try {
      await this.api("POST", "me/name/confirm");
    } catch (err) {
      button.disabled = false;
      if (this.handleSessionEnd(err)) return;
      // name_not_flagged: a moderator cleared the doubt meanwhile; read the account again.
      if (err.code !== "name_not_flagged") {
        error.textContent = err.message;
        error.focus();
        return;
      }
    }
    await this.afterNameCheck(this.s.nameConfirmed);
  }

  // Every widget on the page reads the account again, and its thread: comments held for the
  // name may be published now, and the name itself may have changed.
  async afterNameCheck(message) {
    this.nameHeld = false;
    this.flash = message;
    await Promise.all(instances.map((w) => w.refresh()));
    if (message) this.announce(message);
    const target = this.accountArea.querySelector("textarea, .name-check button");
    if (target) target.focus();
  }

  // A comment came back held for its author's name (doubted since the widget loaded):
  // ask for the name where the composer was.
  async promptForName() {
    this.viewer.name_status = "flagged";
    await this.loadAccount();
    if (!this.nameFlagged()) return;
    this.nameHeld = true;
    this.renderAccount();
    this.showNamePrompt();
  }

  showNamePrompt() {
    this.accountArea.scrollIntoView({ block: "center", behavior: "smooth" });
    this.accountArea.querySelector(".name-check button")?.focus({ preventScroll: true });
    this.announce(this.nameHeld ? this.s.nameHeld : this.s.nameTitle);
  }

  async signOut() {
    // Close the reader's own stream first, and open none until signed out: reconnecting
    // after the session ended would only be refused.
    instances.forEach((w) => { w.signingOut = true; w.closeReader(); });
    try { await this.api("DELETE", "sessions/current"); } catch (e) { /* the token is dropped anyway */ }
    this.viewerEmail = "";
    instances.forEach((w) => { w.flash = w.s.signedOut; w.mode = "join"; w.signingOut = false; });
    setToken(null);
  }

  requireViewer() {
    if (this.viewer && this.viewer.email_verified) return true;
    if (!this.viewer) {
      this.flash = this.s.signInFirst;
      this.mode = "join";
      this.renderAccount(false);
      this.accountArea.scrollIntoView({ block: "center", behavior: "smooth" });
      this.accountArea.querySelector("button")?.focus({ preventScroll: true });
    } else {
      this.accountArea.scrollIntoView({ block: "center", behavior: "smooth" });
      this.announce(this.s.stillUnverified);
    }
    return false;
  }
};

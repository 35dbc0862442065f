/*! Townhall widget: the notification centre (a bell, the reader's notifications, how reply
 * emails arrive, followed stories and muted accounts), kept live by the reader's own stream. */

import { townhall } from "./api.js";
import { h, nextId } from "./dom.js";
import { fill, relativeTime } from "./strings.js";

const EMAIL_CHOICES = ["immediate", "daily", "off"];
const SVG = "http://www.w3.org/2000/svg";

// A bell drawn in the page's text colour (built as DOM: a strict CSP allows it).
function bellIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "bell-icon");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z");
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

export const Notifications = (Base) => class extends Base {
  // The bell for the signed-in line: its count comes with the story's first answer.
  renderBell() {
    this.unread = (this.viewer && this.viewer.unread_notifications) || 0;
    this.bellPanelId = this.bellPanelId || nextId("notifications");
    this.bell = h("button", {
      type: "button", class: "bell", "aria-expanded": "false", "aria-controls": this.bellPanelId,
      onclick: () => (this.bellPanel && !this.bellPanel.hidden ? this.closeBell(true) : this.openBell()),
    });
    this.bellPanel = h("section", { class: "bell-panel", id: this.bellPanelId, hidden: true,
      "aria-label": this.s.notifications,
      onkeydown: (event) => { if (event.key === "Escape") this.closeBell(true); } });
    this.updateBell();
    return this.bell;
  }

  updateBell() {
    if (!this.bell) return;
    const n = this.unread || 0;
    this.bell.setAttribute("aria-label", this.s.bellLabel(n));
    this.bell.replaceChildren(bellIcon(),
      h("span", { class: "bell-text", "aria-hidden": "true", text: this.s.notifications }));
    if (n) this.bell.append(h("span", { class: "bell-count", "aria-hidden": "true", text: n > 99 ? "99+" : String(n) }));
  }

  async openBell() {
    this.bell.setAttribute("aria-expanded", "true");
    this.bellPanel.hidden = false;
    this.bellPanel.replaceChildren(h("p", { class: "hint", text: this.s.loadingNotes }));
    await this.loadBell();
    this.bellPanel.querySelector("h3")?.focus();
  }

  closeBell(focusBell) {
    if (!this.bellPanel) return;
    this.bellPanel.hidden = true;
    this.bell.setAttribute("aria-expanded", "false");
    if (focusBell) this.bell.focus();
  }

  async loadBell() {
    let list, settings, mutes, follow;
    try {
      [list, settings, mutes, follow] = await Promise.all([
        this.api("GET", "me/notifications?limit=20"),
        this.api("GET", "me/notification-settings"),
        this.api("GET", "me/mutes"),
        this.api("GET", this.storyPath("/follow")),
      ]);
    } catch (error) {
      if (this.handleSessionEnd(error)) return;
      this.bellPanel.replaceChildren(h("p", { class: "alert error", role: "alert", text: error.message }));
      return;
    }
    this.unread = list.unread_count;
    this.updateBell();
    this.bellPanel.replaceChildren(...this.renderBellPanel(list, settings, mutes, follow));
  }

  renderBellPanel(list, settings, mutes, follow) {
    const s = this.s;
    const titleId = nextId("bell-title");
    const items = h("ul", { class: "notes", "aria-labelledby": titleId });
    for (const n of list.notifications) {
      const link = /^https?:\/\//.test(n.link || "") ? n.link : null;
      const text = [h("span", { class: "note-title", text: n.title }),
        n.story_title ? h("span", { class: "note-story", text: n.story_title }) : null,
        h("time", { datetime: n.created_at, text: relativeTime(this.lang, n.created_at) })];
      items.append(h("li", { class: `note${n.read ? "" : " unread"}`, dataset: { note: String(n.id) } },
        n.read ? null : h("span", { class: "sr", text: s.unreadMark }),
        link
          ? h("a", { href: link, onclick: () => this.markRead([n.id]) }, ...text)
          : h("div", {}, ...text)));
    }
    const head = h("div", { class: "bell-head" },
      h("h3", { id: titleId, tabindex: "-1", text: s.notifications }),
      list.unread_count ? h("button", { type: "button", class: "link", text: s.markAllRead, onclick: () => this.markRead(null, true) }) : null,
      h("button", { type: "button", class: "link", text: s.close, onclick: () => this.closeBell(true) }));
    const parts = [head, list.notifications.length ? items : h("p", { class: "hint", text: s.noNotifications })];
    parts.push(this.renderBellSettings(settings, mutes, follow));
    return parts;
  }

  renderBellSettings(settings, mutes, follow) {
    const s = this.s;
    const saved = h("p", { class: "hint saved", role: "status" });
    const name = nextId("email");
    const emails = h("fieldset", { class: "choices" }, h("legend", { text: s.replyEmails }));
    for (const choice of EMAIL_CHOICES) {
      const id = nextId("email-choice");
      emails.append(h("div", { class: "choice" },
        h("input", { type: "radio", id, name, value: choice, checked: settings.email === choice,
          onchange: async () => {
            try {
              await this.api("PUT", "me/notification-settings", { email: choice });
              saved.textContent = s.saved;
            } catch (error) { saved.textContent = error.message; }
          } }),
        h("label", { for: id, text: s.emailChoice[choice] })));
    }
    const followId = nextId("follow");
    const followBox = h("div", { class: "choice" },
      h("input", { type: "checkbox", id: followId, checked: !!follow.following,
        onchange: async (event) => {
          const on = event.currentTarget.checked;
          try {
            await this.api(on ? "POST" : "DELETE", this.storyPath("/follow"));
            saved.textContent = on ? s.followingStory : s.notFollowingStory;
          } catch (error) {
            event.currentTarget.checked = !on;
            saved.textContent = error.message;
          }
        } }),
      h("label", { for: followId, text: s.followStory }));
    const muted = h("ul", { class: "muted-list" });
    for (const account of mutes.accounts || []) {
      const who = account.display_name || s.mutedSomeone;
      muted.append(h("li", {}, h("span", { text: who }),
        h("button", { type: "button", class: "link", text: s.unmute, "aria-label": fill(s.unmuteLabel, { name: who }),
          onclick: () => this.setMuted(account.id, false, who) })));
    }
    const settingsId = nextId("bell-settings");
    return h("div", { class: "bell-settings", role: "group", "aria-labelledby": settingsId },
      h("h4", { id: settingsId, text: s.notificationSettings }),
      emails, followBox,
      h("h4", { text: s.mutedAccounts }),
      (mutes.accounts || []).length ? muted : h("p", { class: "hint", text: s.noMuted }),
      saved);
  }

  async markRead(ids, focusBell) {
    try {
      const done = await this.api("POST", "me/notifications/read", ids ? { ids } : {});
      this.unread = done.unread_count;
      this.updateBell();
      if (!ids) {
        await this.loadBell();
        this.announce(this.s.allRead);
        if (focusBell) this.bellPanel.querySelector("h3")?.focus();
      }
    } catch (error) { this.handleSessionEnd(error); }
  }

  // Mute or unmute the author of comments on this page: their comments fold (or open).
  async setMuted(accountId, muted, name) {
    try {
      await this.api(muted ? "POST" : "DELETE", `accounts/${accountId}/mute`);
    } catch (error) {
      if (!this.handleSessionEnd(error)) this.announce(error.message);
      return;
    }
    this.announce(fill(muted ? this.s.mutedDone : this.s.unmutedDone, { name }));
    await this.loadThread(true, true);
    if (this.bellPanel && !this.bellPanel.hidden) await this.loadBell();
  }

  // The reader's own stream: a new notification raises the count at once, on every tab.
  async listenReader() {
    if (!this.viewer) {
      this.stopReader();
      return;
    }
    if (this.readerEvents || this.signingOut || !this.features.events
        || typeof EventSource !== "function") return;
    this.readerEvents = "opening";
    let ticket;
    try { ticket = await this.api("POST", "me/events/ticket", {}); } catch (e) {
      this.readerEvents = null;
      if (!this.handleSessionEnd(e) && this.viewer) this.retryReader();
      return;
    }
    if (!this.viewer || this.readerEvents !== "opening") {
      // Signed out, or stopped, while the ticket was on its way.
      if (this.readerEvents === "opening") this.readerEvents = null;
      return;
    }
    const source = new EventSource(`${townhall.origin}${ticket.events_url}`);
    this.readerEvents = source;
    const changed = async (created) => {
      let list;
      try { list = await this.api("GET", "me/notifications?limit=1"); } catch (e) { return; }
      const more = list.unread_count > (this.unread || 0);
      this.unread = list.unread_count;
      this.updateBell();
      if (created && more) this.announce(this.s.newNotification);
      if (this.bellPanel && !this.bellPanel.hidden) this.loadBell();
    };
    // Opened (or opened again): whatever arrived before it listened is counted now.
    source.addEventListener("open", () => { this.readerRetry = 0; changed(false); });
    source.addEventListener("notification.created", () => changed(true));
    source.addEventListener("notification.read", () => changed(false));
    source.onerror = () => {
      // The browser gives up on an answer that is not a stream (a refused ticket, a server
      // error): ask for a new ticket a little later, while the reader is still signed in.
      if (source.readyState !== EventSource.CLOSED || this.readerEvents !== source) return;
      this.readerEvents = null;
      this.retryReader();
    };
  }

  // Try the stream again later, waiting twice as long each time (3 s up to a minute).
  retryReader() {
    this.readerRetry = Math.min(60000, (this.readerRetry || 1500) * 2);
    clearTimeout(this.readerTimer);
    this.readerTimer = setTimeout(() => this.listenReader(), this.readerRetry);
  }

  // Close the stream and forget its retry; the bell stays on screen until the next render.
  closeReader() {
    clearTimeout(this.readerTimer);
    if (this.readerEvents && this.readerEvents !== "opening") this.readerEvents.close();
    this.readerEvents = null;
  }

  stopReader() {
    this.closeReader();
    this.bell = null;
    this.bellPanel = null;
  }
};

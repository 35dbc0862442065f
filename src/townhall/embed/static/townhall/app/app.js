/*! Townhall widget app: the module /embed.js loads when a thread scrolls near the viewport.
 * Dependency-free; renders into a Shadow DOM; talks only to the Townhall origin it came from.
 * The page keeps one global, window.Townhall, which the loader made.
 */

import { townhall, storage, TOKEN_KEY, instances, setToken, request } from "./api.js";
import { Widget } from "./widget.js";

// One widget app per page, however many times the module is reached.
if (!townhall.app) {
  townhall.app = {
    mount(config) {
      const widget = new Widget(config);
      widget.mount();
      return widget;
    },
    // Publisher single sign-on: exchange the publisher's signed token for a Townhall session.
    async login(publisherToken, site) {
      const siteName = site || (instances[0] && instances[0].site);
      if (!siteName) throw new Error("Townhall.login: no site on this page");
      const data = await request("POST", `sso/${encodeURIComponent(siteName)}`, { token: publisherToken },
        (instances[0] && instances[0].lang) || "en");
      setToken(data.token);
      return data.account;
    },
    async logout() {
      if (storage.get(TOKEN_KEY)) {
        try { await request("DELETE", "sessions/current", undefined, "en"); } catch (e) { /* dropped anyway */ }
      }
      setToken(null);
    },
  };
  for (const config of townhall.queue.splice(0)) townhall.app.mount(config);
  for (const call of townhall.waiting.splice(0)) {
    Promise.resolve().then(() => townhall.app[call.name](...call.args)).then(call.resolve, call.reject);
  }
}

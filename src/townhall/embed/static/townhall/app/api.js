/*! Townhall widget: the session kept in this browser and the one door to the API. */

import { stringsFor } from "./strings.js";

export const townhall = window.Townhall;

const memory = new Map();
export const storage = {
  get(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return memory.get(key) ?? null; }
  },
  set(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { memory.set(key, value); }
  },
  remove(key) {
    try { window.localStorage.removeItem(key); } catch (e) { memory.delete(key); }
  },
};
export const TOKEN_KEY = `townhall:${townhall.origin}:token`;
// Marks this browser as one the reader signed in from: a lockout by strangers' guesses
// at their password does not stop it (accounts/services/authentication.py).
export const DEVICE_KEY = `townhall:${townhall.origin}:device`;
export const instances = [];
// On Townhall's own origin the widget and the account pages share one session (the server
// pairs the widget's token with the pages' cookie); on a publisher's page it sends no cookie.
export const sameOrigin = townhall.origin === window.location.origin;
// The guideline under which the server holds comments of an account whose name is in doubt.
export const NAME_GUIDELINE = "real-names";

export function setToken(token) {
  if (token) storage.set(TOKEN_KEY, token);
  else storage.remove(TOKEN_KEY);
  instances.forEach((w) => w.refresh());
}

// Signed in on the account pages of this origin, not yet in the widget: take that session.
export async function adoptPageSession() {
  if (!sameOrigin || storage.get(TOKEN_KEY)) return;
  try {
    const data = await request("POST", "sessions/page", {}, "en");
    if (data && data.token) storage.set(TOKEN_KEY, data.token);
  } catch (e) { /* not signed in on the pages */ }
}

window.addEventListener("storage", (event) => {
  if (event.key === TOKEN_KEY) instances.forEach((w) => w.refresh());
});

export function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class ApiError extends Error {
  constructor(status, items, fallback) {
    super((items[0] && items[0].message) || fallback);
    this.status = status;
    this.items = items;
    this.code = items[0] ? items[0].code : "";
  }
}

// `cache` "no-cache" revalidates with the server: a live event says the thread changed,
// and the browser may otherwise reuse a thread page for its max-age.
export function request(method, path, body, lang, extraHeaders, cache) {
  const headers = Object.assign({ Accept: "application/json", "Accept-Language": lang }, extraHeaders);
  const token = storage.get(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const strings = stringsFor(lang);
  return fetch(`${townhall.origin}/api/v1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: sameOrigin ? "same-origin" : "omit",
    mode: "cors",
    // Anonymous thread pages may be cached for a few seconds, keyed by address alone: a
    // signed-in read must not be answered with them (nor leave its own answer behind).
    cache: token ? "no-store" : cache || "default",
  }).then(
    async (response) => {
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      if (response.ok) return data;
      const items = (data && Array.isArray(data.errors) && data.errors) || [];
      const error = new ApiError(response.status, items, strings.errorGeneric);
      if (response.status === 401 && token && error.code === "not_authenticated") {
        storage.remove(TOKEN_KEY);
        error.sessionEnded = true;
      }
      throw error;
    },
    () => { throw new ApiError(0, [], strings.errorNetwork); },
  );
}

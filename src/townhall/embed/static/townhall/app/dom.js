/*! Townhall widget: building elements, rendering comment HTML safely, adopting the styles. */

import { townhall } from "./api.js";
import { CSS } from "./styles.js";

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    // Through the CSSOM, which a page's CSP allows, unlike a style attribute.
    else if (name === "style") el.style.cssText = value;
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let uid = 0;
export const nextId = (prefix) => `th-${prefix}-${++uid}`;

// Comment HTML is sanitised by the server; rebuild it from an allowlist anyway, so nothing
// but paragraphs, line breaks, emphasis and http(s) links can ever reach the page.
const htmlPolicy = townhall.policy || null;
const ALLOWED = new Set(["P", "BR", "STRONG", "EM"]);
const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "SVG", "MATH", "NOSCRIPT"]);
export function safeBody(html) {
  const fragment = document.createDocumentFragment();
  const source = "<!doctype html><body>" + (html || "");
  const parsed = new DOMParser().parseFromString(htmlPolicy ? htmlPolicy.createHTML(source) : source, "text/html");
  copyAllowed(parsed.body, fragment);
  return fragment;
}
function copyAllowed(from, to) {
  for (let node = from.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.append(document.createTextNode(node.nodeValue));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE || DROPPED.has(node.nodeName)) continue;
    let el = null;
    if (ALLOWED.has(node.nodeName)) el = document.createElement(node.nodeName.toLowerCase());
    else if (node.nodeName === "A") {
      const href = node.getAttribute("href") || "";
      if (/^https?:\/\//i.test(href)) {
        el = document.createElement("a");
        el.href = href;
        el.rel = "nofollow ugc noopener noreferrer";
        el.target = "_blank";
      }
    }
    if (el) {
      copyAllowed(node, el);
      to.append(el);
    } else {
      copyAllowed(node, to);
    }
  }
}

export function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/).filter((p) => !/^\d+$/.test(p));
  return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

export function hue(seed) {
  let n = 0;
  for (const ch of String(seed)) n = (n * 31 + ch.charCodeAt(0)) % 360;
  return n;
}

let sheet = null;
export function adoptStyles(root) {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
    try {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sheet];
      return;
    } catch (e) { /* fall back to a style element */ }
  }
  root.append(h("style", { text: CSS }));
}

// `CSS.escape` where the browser has it, for attribute selectors built from field names.
export function cssEscape(value) {
  return window.CSS && window.CSS.escape ? window.CSS.escape(value) : String(value).replace(/[^\w-]/g, "\\$&");
}

/*! Townhall widget app: loaded by /embed.js when a thread scrolls near the viewport.
 * Dependency-free; renders into a Shadow DOM; talks only to the Townhall origin it came from.
 *
 * Theming (set on the page, e.g. `.townhall-embed { --townhall-accent: #0b5cad; }`):
 *   --townhall-accent      buttons, links, focus ring          (default #b3121b)
 *   --townhall-accent-ink  text on accent buttons              (default #ffffff)
 *   --townhall-text        main text                           (default #1d1d1f)
 *   --townhall-muted       secondary text                      (default #5f6368)
 *   --townhall-surface     card background                     (default #ffffff)
 *   --townhall-soft        quiet panels (policy, forms)        (default #f5f5f3)
 *   --townhall-border      lines                               (default #dadce0)
 *   --townhall-danger      errors                              (default #a50e0e)
 *   --townhall-success     confirmations                       (default #0d652d)
 *   --townhall-font        font family                         (default: the page's)
 *   --townhall-radius      corner radius                       (default 8px)
 */
(() => {
  "use strict";
  const townhall = window.Townhall;
  if (!townhall || townhall.app) return;

  // ---------------------------------------------------------------- strings (EN / FR)
  const plural = (lang, n, one, many) =>
    (new Intl.PluralRules(lang).select(n) === "one" ? one : many).replace("{n}", fmtNumber(lang, n));
  const STRINGS = {
    en: {
      title: "Comments",
      count: (n) => (n === 0 ? "No comments yet" : plural("en", n, "{n} comment", "{n} comments")),
      threadLabel: "Comments on this story",
      join: "Join the conversation",
      createAccount: "Create account",
      haveAccount: "Already have an account?",
      signIn: "Sign in",
      signOut: "Sign out",
      signedInAs: "Signed in as {name}",
      commentingAs: "Commenting as {name}",
      firstName: "First name",
      lastName: "Last name",
      email: "Email",
      password: "Password",
      passwordHint: "At least 10 characters.",
      realNameHint: "Use your real first and last name: they appear with your comments.",
      youthNameHint: "Your name stays private here: you appear under a nickname.",
      acceptTerms: "I have read the community policy above and accept its terms.",
      createSubmit: "Create my account",
      cancel: "Cancel",
      close: "Close",
      checkEmailTitle: "Check your email",
      checkEmail: "We sent a link to {email}. Open it to confirm your address, then sign in here.",
      forgot: "Forgot your password?",
      sendReset: "Email me a reset link",
      resetSent: "If an account uses {email}, a link to choose a new password is on its way.",
      verifyNeeded: "Confirm your email address to comment: open the link we sent to {email}.",
      resend: "Send the link again",
      resent: "A new link is on its way.",
      verifiedContinue: "I have confirmed it",
      stillUnverified: "Your address is not confirmed yet. Open the link in the email first.",
      yourComment: "Your comment",
      yourReply: "Your reply",
      editLabel: "Edit your comment",
      placeholder: "Share your thoughts",
      charsLeft: (n) => plural("en", n, "{n} character left", "{n} characters left"),
      charsOver: (n) => plural("en", n, "{n} character too many", "{n} characters too many"),
      post: "Post comment",
      postReply: "Post reply",
      posting: "Posting…",
      save: "Save changes",
      writeSomething: "Write something before posting.",
      tooLong: "Your comment is too long.",
      termsRequired: "Accept the terms to post a comment.",
      published: "Your comment is published.",
      replyPublished: "Your reply is published.",
      pending: "Your comment is awaiting review. It will appear once a moderator approves it.",
      rejected: "Your comment was not published because it breaks our Submission Guidelines.",
      reason: "Reason: {reason}.",
      reasonPremoderation: "Every comment on this story is reviewed before it appears.",
      reasonRequested: "You asked for a review.",
      awaitingReview: "Awaiting review",
      yourPending: "Your comments awaiting review",
      nudge: "This may break the guideline “{guideline}”. Edit your comment, or post it anyway and a moderator will review it before it appears.",
      nudgeGeneric: "This may break our Submission Guidelines. Edit your comment, or post it anyway and a moderator will review it before it appears.",
      editIt: "Edit my comment",
      postAnyway: "Post anyway",
      sortLabel: "Sort comments",
      newest: "Newest",
      oldest: "Oldest",
      top: "Most liked",
      reply: "Reply",
      replyTo: "Reply to {name}",
      like: "Like",
      likes: (n) => plural("en", n, "{n} like", "{n} likes"),
      likeLabel: (name, n) => `Like the comment by ${name} (${plural("en", n, "{n} like", "{n} likes")})`,
      report: "Report",
      reported: "You reported this",
      reportTitle: "Why are you reporting this comment?",
      reportDetails: "Details (optional)",
      reportSend: "Send report",
      reportSent: "Thank you. A moderator will look at this comment.",
      reasonOther: "Something else",
      chooseReason: "Choose a reason.",
      edit: "Edit",
      delete: "Delete",
      confirmDelete: "Delete this comment? This cannot be undone.",
      yesDelete: "Yes, delete it",
      deletedOk: "Your comment is deleted.",
      savedOk: "Your changes are saved.",
      edited: "edited",
      deletedPlaceholder: "This comment was deleted by its author.",
      removedPlaceholder: "This comment was removed by a moderator.",
      loadMore: "Show more comments",
      loading: "Loading comments…",
      newComments: (n) => plural("en", n, "{n} new comment — show", "{n} new comments — show"),
      closed: "Comments are closed",
      closedDetail: "Thank you to everyone who took part in this conversation.",
      empty: "No comments yet. Start the conversation.",
      errorGeneric: "Something went wrong. Please try again.",
      errorNetwork: "Townhall cannot be reached right now. Check your connection and try again.",
      signInFirst: "Sign in or create an account to like, reply or report.",
      sessionEnded: "Your session has ended. Please sign in again.",
      signedOut: "You are signed out.",
      signedIn: "You are signed in.",
      guidelinesPhrase: "Submission Guidelines",
      guidelinesLink: "Read our Submission Guidelines",
      unavailable: "Comments are not available for this story.",
      you: "you",
      noticeWarnTitle: "A warning from the moderators",
      noticeWarn: "The moderators ask you to respect our guideline “{guideline}”.",
      noticeSuspendTitle: "Your account is suspended until {date}",
      noticeSuspend: "Until then, your comments will not be published. This is because of our guideline “{guideline}”.",
      noticeBanTitle: "Your account can no longer comment",
      noticeBan: "Your comments will no longer be published. This is because of our guideline “{guideline}”.",
      noticeMessage: "Their message:",
      noticeDismiss: "I understand",
      noticeDismissed: "Thank you. The message is dismissed.",
      nameTitle: "Please confirm your name",
      nameAsk: "A moderator asked you to confirm that “{name}” is your real first and last name. Until you confirm or change it, your comments wait for review.",
      nameAskYouth: "A moderator asked you to confirm that the first and last name on your account are your real name. Until you confirm or change it, your comments wait for review.",
      nameHeld: "Your comment was received and is waiting for review.",
      nameConfirm: "Yes, this is my real name",
      nameChange: "Change my name",
      nameChangeTitle: "Change your name",
      nameSave: "Save my name",
      nameConfirmed: "Thank you. Your name is confirmed.",
      nameChanged: "Your name is changed.",
      namePending: "Your new name, {name}, is waiting for a moderator’s approval. Until then, your comments wait for review.",
      namePendingYouth: "Your new name is waiting for a moderator’s approval. Until then, your comments wait for review.",
    },
    fr: {
      title: "Commentaires",
      count: (n) => (n === 0 ? "Aucun commentaire" : plural("fr", n, "{n} commentaire", "{n} commentaires")),
      threadLabel: "Commentaires sur cet article",
      join: "Joignez-vous à la conversation",
      createAccount: "Créer un compte",
      haveAccount: "Vous avez déjà un compte?",
      signIn: "Se connecter",
      signOut: "Se déconnecter",
      signedInAs: "Connecté en tant que {name}",
      commentingAs: "Vous commentez en tant que {name}",
      firstName: "Prénom",
      lastName: "Nom",
      email: "Courriel",
      password: "Mot de passe",
      passwordHint: "Au moins 10 caractères.",
      realNameHint: "Utilisez vos vrais prénom et nom\u00a0: ils accompagnent vos commentaires.",
      youthNameHint: "Votre nom reste privé ici\u00a0: vous apparaissez sous un surnom.",
      acceptTerms: "J’ai lu la politique de la communauté ci-dessus et j’en accepte les conditions.",
      createSubmit: "Créer mon compte",
      cancel: "Annuler",
      close: "Fermer",
      checkEmailTitle: "Vérifiez vos courriels",
      checkEmail: "Nous avons envoyé un lien à {email}. Ouvrez-le pour confirmer votre adresse, puis connectez-vous ici.",
      forgot: "Mot de passe oublié?",
      sendReset: "M’envoyer un lien de réinitialisation",
      resetSent: "Si un compte utilise {email}, un lien pour choisir un nouveau mot de passe lui a été envoyé.",
      verifyNeeded: "Confirmez votre adresse courriel pour commenter\u00a0: ouvrez le lien envoyé à {email}.",
      resend: "Renvoyer le lien",
      resent: "Un nouveau lien vous a été envoyé.",
      verifiedContinue: "J’ai confirmé mon adresse",
      stillUnverified: "Votre adresse n’est pas encore confirmée. Ouvrez d’abord le lien reçu par courriel.",
      yourComment: "Votre commentaire",
      yourReply: "Votre réponse",
      editLabel: "Modifier votre commentaire",
      placeholder: "Donnez votre avis",
      charsLeft: (n) => plural("fr", n, "{n} caractère restant", "{n} caractères restants"),
      charsOver: (n) => plural("fr", n, "{n} caractère de trop", "{n} caractères de trop"),
      post: "Publier",
      postReply: "Répondre",
      posting: "Publication en cours…",
      save: "Enregistrer",
      writeSomething: "Écrivez quelque chose avant de publier.",
      tooLong: "Votre commentaire est trop long.",
      termsRequired: "Acceptez les conditions pour publier un commentaire.",
      published: "Votre commentaire est publié.",
      replyPublished: "Votre réponse est publiée.",
      pending: "Votre commentaire est en attente de modération. Il paraîtra une fois approuvé.",
      rejected: "Votre commentaire n’a pas été publié, car il enfreint nos lignes directrices de participation.",
      reason: "Motif\u00a0: {reason}.",
      reasonPremoderation: "Tous les commentaires sur cet article sont lus avant d’être publiés.",
      reasonRequested: "Vous avez demandé une vérification.",
      awaitingReview: "En attente de modération",
      yourPending: "Vos commentaires en attente de modération",
      nudge: "Ce texte pourrait enfreindre la ligne directrice «\u00a0{guideline}\u00a0». Modifiez votre commentaire, ou publiez-le quand même\u00a0: un modérateur l’examinera avant sa parution.",
      nudgeGeneric: "Ce texte pourrait enfreindre nos lignes directrices de participation. Modifiez votre commentaire, ou publiez-le quand même\u00a0: un modérateur l’examinera avant sa parution.",
      editIt: "Modifier mon commentaire",
      postAnyway: "Publier quand même",
      sortLabel: "Trier les commentaires",
      newest: "Plus récents",
      oldest: "Plus anciens",
      top: "Plus aimés",
      reply: "Répondre",
      replyTo: "Réponse à {name}",
      like: "J’aime",
      likes: (n) => plural("fr", n, "{n} mention J’aime", "{n} mentions J’aime"),
      likeLabel: (name, n) => `Aimer le commentaire de ${name} (${plural("fr", n, "{n} mention J’aime", "{n} mentions J’aime")})`,
      report: "Signaler",
      reported: "Vous l’avez signalé",
      reportTitle: "Pourquoi signalez-vous ce commentaire?",
      reportDetails: "Précisions (facultatif)",
      reportSend: "Envoyer le signalement",
      reportSent: "Merci. Une personne de l’équipe de modération examinera ce commentaire.",
      reasonOther: "Autre raison",
      chooseReason: "Choisissez une raison.",
      edit: "Modifier",
      delete: "Supprimer",
      confirmDelete: "Supprimer ce commentaire? Cette action est définitive.",
      yesDelete: "Oui, le supprimer",
      deletedOk: "Votre commentaire est supprimé.",
      savedOk: "Vos modifications sont enregistrées.",
      edited: "modifié",
      deletedPlaceholder: "Ce commentaire a été supprimé par son auteur.",
      removedPlaceholder: "Ce commentaire a été retiré par la modération.",
      loadMore: "Afficher plus de commentaires",
      loading: "Chargement des commentaires…",
      newComments: (n) => plural("fr", n, "{n} nouveau commentaire — afficher", "{n} nouveaux commentaires — afficher"),
      closed: "Les commentaires sont fermés",
      closedDetail: "Merci à toutes les personnes qui ont pris part à cette conversation.",
      empty: "Aucun commentaire pour l’instant. Lancez la conversation.",
      errorGeneric: "Une erreur est survenue. Veuillez réessayer.",
      errorNetwork: "Impossible de joindre Townhall pour le moment. Vérifiez votre connexion et réessayez.",
      signInFirst: "Connectez-vous ou créez un compte pour aimer, répondre ou signaler.",
      sessionEnded: "Votre session a pris fin. Veuillez vous reconnecter.",
      signedOut: "Vous êtes déconnecté.",
      signedIn: "Vous êtes connecté.",
      guidelinesPhrase: "lignes directrices de participation",
      guidelinesLink: "Lire nos lignes directrices de participation",
      unavailable: "Les commentaires ne sont pas offerts pour cet article.",
      you: "vous",
      noticeWarnTitle: "Un avertissement de la modération",
      noticeWarn: "L’équipe de modération vous demande de respecter notre ligne directrice «\u00a0{guideline}\u00a0».",
      noticeSuspendTitle: "Votre compte est suspendu jusqu’au {date}",
      noticeSuspend: "D’ici là, vos commentaires ne seront pas publiés. Motif\u00a0: notre ligne directrice «\u00a0{guideline}\u00a0».",
      noticeBanTitle: "Votre compte ne peut plus commenter",
      noticeBan: "Vos commentaires ne seront plus publiés. Motif\u00a0: notre ligne directrice «\u00a0{guideline}\u00a0».",
      noticeMessage: "Leur message\u00a0:",
      noticeDismiss: "J’ai compris",
      noticeDismissed: "Merci. Le message est fermé.",
      nameTitle: "Veuillez confirmer votre nom",
      nameAsk: "Une personne de l’équipe de modération vous demande de confirmer que «\u00a0{name}\u00a0» sont bien vos vrais prénom et nom. Tant que vous ne les aurez pas confirmés ou modifiés, vos commentaires resteront en attente de modération.",
      nameAskYouth: "Une personne de l’équipe de modération vous demande de confirmer que les prénom et nom de votre compte sont bien vos vrais prénom et nom. Tant que vous ne les aurez pas confirmés ou modifiés, vos commentaires resteront en attente de modération.",
      nameHeld: "Votre commentaire a bien été reçu et est en attente de modération.",
      nameConfirm: "Oui, c’est mon vrai nom",
      nameChange: "Modifier mon nom",
      nameChangeTitle: "Modifier votre nom",
      nameSave: "Enregistrer mon nom",
      nameConfirmed: "Merci. Votre nom est confirmé.",
      nameChanged: "Votre nom est modifié.",
      namePending: "Votre nouveau nom, {name}, attend l’approbation de la modération. D’ici là, vos commentaires restent en attente de modération.",
      namePendingYouth: "Votre nouveau nom attend l’approbation de la modération. D’ici là, vos commentaires restent en attente de modération.",
    },
  };

  function fmtNumber(lang, n) {
    return new Intl.NumberFormat(lang === "fr" ? "fr-CA" : "en-CA").format(n);
  }

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  }

  // ---------------------------------------------------------------- storage and session
  const memory = new Map();
  const storage = {
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
  const TOKEN_KEY = `townhall:${townhall.origin}:token`;
  // Marks this browser as one the reader signed in from: a lockout by strangers' guesses
  // at their password does not stop it (accounts/services.py, authenticate).
  const DEVICE_KEY = `townhall:${townhall.origin}:device`;
  const termsKey = (site, lang, accountId) =>
    `townhall:${townhall.origin}:terms:${site}:${lang}:${accountId}`;
  const instances = [];
  // The guideline under which the server holds comments of an account whose name is in doubt.
  const NAME_GUIDELINE = "real-names";

  function setToken(token) {
    if (token) storage.set(TOKEN_KEY, token);
    else storage.remove(TOKEN_KEY);
    instances.forEach((w) => w.refresh());
  }

  window.addEventListener("storage", (event) => {
    if (event.key === TOKEN_KEY) instances.forEach((w) => w.refresh());
  });

  function randomKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  class ApiError extends Error {
    constructor(status, items, fallback) {
      super((items[0] && items[0].message) || fallback);
      this.status = status;
      this.items = items;
      this.code = items[0] ? items[0].code : "";
    }
  }

  // `cache` "no-cache" revalidates with the server: a live event says the thread changed,
  // and the browser may otherwise reuse a thread page for its max-age.
  function request(method, path, body, lang, extraHeaders, cache) {
    const headers = Object.assign({ Accept: "application/json", "Accept-Language": lang }, extraHeaders);
    const token = storage.get(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const strings = STRINGS[lang] || STRINGS.en;
    return fetch(`${townhall.origin}/api/v1/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
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

  // ---------------------------------------------------------------- DOM helpers
  function h(tag, attrs, ...children) {
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
  const nextId = (prefix) => `th-${prefix}-${++uid}`;

  // Comment HTML is sanitised by the server; rebuild it from an allowlist anyway, so nothing
  // but paragraphs, line breaks, emphasis and http(s) links can ever reach the page.
  const htmlPolicy = townhall.policy || null;
  const ALLOWED = new Set(["P", "BR", "STRONG", "EM"]);
  const DROPPED = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "SVG", "MATH", "NOSCRIPT"]);
  function safeBody(html) {
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

  function initials(name) {
    const parts = String(name || "?").trim().split(/\s+/).filter((p) => !/^\d+$/.test(p));
    return ((parts[0] || "?")[0] + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
  }

  function hue(seed) {
    let n = 0;
    for (const ch of String(seed)) n = (n * 31 + ch.charCodeAt(0)) % 360;
    return n;
  }

  function relativeTime(lang, iso) {
    const seconds = (Date.parse(iso) - Date.now()) / 1000;
    const rtf = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const abs = Math.abs(seconds);
    if (abs < 45) return rtf.format(0, "second");
    if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), "minute");
    if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), "hour");
    if (abs < 26 * 86400) return rtf.format(Math.round(seconds / 86400), "day");
    if (abs < 320 * 86400) return rtf.format(Math.round(seconds / (30 * 86400)), "month");
    return rtf.format(Math.round(seconds / (365 * 86400)), "year");
  }

  function exactTime(lang, iso) {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", {
      dateStyle: "long", timeStyle: "short",
    }).format(new Date(iso));
  }

  function longDate(lang, iso) {
    return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", { dateStyle: "long" }).format(new Date(iso));
  }

  function humanize(code) {
    const text = String(code || "").replace(/[_-]+/g, " ").trim();
    return text ? text[0].toUpperCase() + text.slice(1) : "";
  }

  // ---------------------------------------------------------------- styles
  const CSS = `
:host { all: initial; display: block; contain: content;
  --a: var(--townhall-accent, #b3121b); --ai: var(--townhall-accent-ink, #fff);
  --t: var(--townhall-text, #1d1d1f); --m: var(--townhall-muted, #5f6368);
  --s: var(--townhall-surface, #fff); --soft: var(--townhall-soft, #f5f5f3);
  --b: var(--townhall-border, #dadce0); --err: var(--townhall-danger, #a50e0e);
  --ok: var(--townhall-success, #0d652d); --r: var(--townhall-radius, 8px);
  font-family: var(--townhall-font, inherit); }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.th { color: var(--t); background: var(--s); font: 400 16px/1.55 var(--townhall-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif); max-width: 100%; }
h2 { font-size: 1.35rem; line-height: 1.25; margin: 0; display: flex; align-items: baseline; gap: .6rem; flex-wrap: wrap; }
h2 .count { font-size: .95rem; font-weight: 500; color: var(--m); }
h3 { font-size: 1.1rem; margin: 0 0 .6rem; }
.head { border-top: 3px solid var(--t); padding-top: .8rem; margin-bottom: 1rem; }
.policy { background: var(--soft); border-radius: var(--r); padding: .8rem 1rem; font-size: .84rem; color: var(--m); margin: .8rem 0 1.2rem; }
.policy p { margin: 0 0 .4rem; } .policy p:last-child { margin: 0; }
.policy .names { color: var(--t); font-weight: 600; }
a { color: var(--a); }
button { font: inherit; cursor: pointer; }
button:disabled { cursor: default; opacity: .6; }
.btn { background: var(--a); color: var(--ai); border: 1px solid var(--a); border-radius: 999px; padding: .5rem 1.15rem; font-weight: 600; font-size: .95rem; }
.btn.secondary { background: transparent; color: var(--a); }
.btn.quiet { background: transparent; color: var(--t); border-color: var(--b); }
.link { background: none; border: 0; padding: 0; color: var(--a); text-decoration: underline; font-weight: 600; }
:focus-visible { outline: 3px solid var(--a); outline-offset: 2px; border-radius: 4px; }
.panel { border: 1px solid var(--b); border-radius: var(--r); padding: 1rem 1.1rem; margin-bottom: 1.2rem; background: var(--s); }
.join { display: flex; flex-wrap: wrap; align-items: center; gap: .8rem 1.2rem; }
.join h3 { flex: 1 0 100%; margin: 0; }
.join p { margin: 0; color: var(--m); }
.join .wide { flex-basis: 100%; margin: 0; }
.signed { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .4rem; font-size: .9rem; color: var(--m); margin-bottom: .5rem; }
form { margin: 0; }
label { display: block; font-weight: 600; font-size: .9rem; margin: .7rem 0 .25rem; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 0 .8rem; }
@media (max-width: 480px) { .row { grid-template-columns: 1fr; } }
input[type=text], input[type=email], input[type=password], textarea { width: 100%; font: inherit; color: var(--t); background: var(--s); border: 1px solid #9aa0a6; border-radius: 6px; padding: .55rem .65rem; }
textarea { min-height: 6.5rem; resize: vertical; line-height: 1.5; }
input[aria-invalid=true], textarea[aria-invalid=true] { border-color: var(--err); }
.hint { font-size: .82rem; color: var(--m); margin: .25rem 0 0; }
.check { display: flex; gap: .55rem; align-items: flex-start; font-weight: 400; font-size: .88rem; margin-top: .8rem; }
.check input { margin-top: .25rem; width: 1.05rem; height: 1.05rem; flex: none; accent-color: var(--a); }
.actions-row { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; margin-top: .9rem; }
.actions-row .spacer { flex: 1; }
.counter { font-size: .82rem; color: var(--m); }
.counter.over { color: var(--err); font-weight: 600; }
.alert { border-radius: 6px; padding: .55rem .8rem; margin: .7rem 0 0; font-size: .92rem; }
.alert:empty { display: none; }
.alert.error { color: var(--err); background: #fce8e6; }
.alert.ok { color: var(--ok); background: #e6f4ea; }
.alert.info { color: var(--t); background: var(--soft); border-left: 4px solid var(--a); }
.field-error { color: var(--err); font-size: .84rem; margin: .25rem 0 0; }
.field-error:empty { display: none; }
.who { font-weight: 600; font-size: .95rem; margin: 0 0 .2rem; }
.banner { display: flex; gap: .8rem; align-items: center; border: 1px solid var(--b); border-left: 4px solid var(--t); border-radius: var(--r); padding: .9rem 1rem; margin-bottom: 1.2rem; background: var(--soft); }
.banner strong { display: block; font-size: 1.05rem; }
.banner p { margin: .1rem 0 0; color: var(--m); font-size: .9rem; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .6rem; margin: .4rem 0 .6rem; border-bottom: 1px solid var(--b); padding-bottom: .5rem; }
.reported { font-size: .86rem; color: var(--m); padding: .35rem .1rem; }
.sort { display: inline-flex; border: 1px solid var(--b); border-radius: 999px; overflow: hidden; }
.sort button { background: var(--s); border: 0; padding: .35rem .85rem; font-size: .86rem; color: var(--t); }
.sort button + button { border-left: 1px solid var(--b); }
.sort button[aria-pressed=true] { background: var(--t); color: var(--s); font-weight: 600; }
/* The new-comments bar floats over the thread (a slot of no height, kept in view while the
   reader is in the thread): showing it moves nothing the reader is reading. */
.fresh-slot { position: sticky; top: .75rem; z-index: 2; height: 0; display: flex; justify-content: center; align-items: flex-start; }
.fresh { background: var(--a); color: var(--ai); border: 0; border-radius: 999px; padding: .45rem 1.1rem; font-weight: 600; font-size: .9rem; box-shadow: 0 2px 10px rgba(0, 0, 0, .25); }
ul.list { list-style: none; margin: 0; padding: 0; }
li.c { --d: 0; margin-left: calc(var(--d) * 1.6rem); padding: .9rem 0 .7rem; border-top: 1px solid var(--b); }
/* The toolbar's rule is the top of the first comment: no second line under it. */
.pending-list > li.c:first-child, .pending-list:empty + ul.list > li.c:first-child { border-top: 0; }
li.c.reply { border-top: 0; border-left: 2px solid var(--b); padding-left: .9rem; padding-top: .5rem; }
@media (max-width: 480px) { li.c { margin-left: calc(var(--d) * .75rem); } li.c.reply { padding-left: .6rem; } }
li.c.highlight { animation: th-flash 2.4s ease-out; }
@keyframes th-flash { from { background: #fff4cc; } to { background: transparent; } }
.c-head { display: flex; flex-wrap: wrap; align-items: center; gap: .2rem .55rem; font-size: .9rem; }
.avatar { width: 2rem; height: 2rem; border-radius: 50%; display: inline-grid; place-items: center; font-size: .78rem; font-weight: 700; color: #fff; flex: none; }
.name { font-weight: 700; color: var(--t); }
time, .edited { color: var(--m); font-size: .84rem; }
.badge { font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; background: #fef7e0; color: #8a5300; border-radius: 4px; padding: .1rem .4rem; }
.c-body { margin: .35rem 0 .3rem 2.55rem; overflow-wrap: anywhere; }
.c-body p { margin: 0 0 .55rem; } .c-body p:last-child { margin-bottom: 0; }
.c-body.removed { color: var(--m); font-style: italic; font-size: .92rem; }
.c-actions { display: flex; flex-wrap: wrap; gap: .15rem .3rem; margin-left: 2.2rem; }
.c-actions button { background: none; border: 0; border-radius: 999px; color: var(--m); font-size: .84rem; font-weight: 600; padding: .3rem .55rem; }
.c-actions button:hover { background: var(--soft); color: var(--t); }
.c-actions button[aria-pressed=true] { color: var(--a); }
.c-actions .likes { color: var(--m); font-size: .84rem; padding: .3rem .55rem; }
.c-slot:not(:empty) { margin: .5rem 0 .2rem 2.55rem; }
@media (max-width: 480px) { .c-body, .c-slot:not(:empty) { margin-left: 0; } .c-actions { margin-left: -.55rem; } }
.dialog { border: 1px solid var(--b); border-radius: var(--r); padding: .8rem 1rem; background: var(--s); }
fieldset { border: 0; margin: 0; padding: 0; }
legend { font-weight: 700; padding: 0; margin-bottom: .3rem; }
.radio { display: flex; gap: .5rem; align-items: center; font-weight: 400; margin: .35rem 0; }
.more { display: block; margin: 1rem auto 0; }
.empty { color: var(--m); padding: 1rem 0; }
.pending-list { margin-bottom: .8rem; }
.notice { background: #fef7e0; color: #3b2a00; border: 1px solid #f0d48a; border-left: 4px solid #b06000; border-radius: var(--r); padding: .85rem 1rem; margin: 0 0 1rem; }
.notice h3 { margin: 0 0 .3rem; font-size: 1.05rem; }
.notice p { margin: 0; }
.notice blockquote { margin: .6rem 0 0; padding: .1rem 0 .1rem .8rem; border-left: 2px solid #d9b45a; }
.notice .from { font-size: .84rem; font-weight: 600; }
.notice .said { white-space: pre-line; overflow-wrap: anywhere; }
.notice .actions-row { margin-top: .8rem; }
.panel > .alert { margin-bottom: .6rem; }
.name-check h3 { margin: .2rem 0 .4rem; }
.name-check > p { margin: 0 0 .4rem; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

  let sheet = null;
  function adoptStyles(root) {
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

  // ---------------------------------------------------------------- the widget
  class Widget {
    constructor(config) {
      this.config = config;
      this.site = config.site;
      this.storyId = config.story;
      this.lang = config.lang === "fr" || config.lang === "en" ? config.lang : "";
      this.sort = "newest";
      this.cursor = null;
      this.items = new Map(); // comment id -> {data, li}
      this.fresh = new Set();
      this.guidelines = [];
      this.mode = "join";
      this.events = null;
      this.account = null; // the reader's own account (GET /me), read only when the name is doubted
      this.notices = [];
      this.nameHeld = false;
    }

    get s() { return STRINGS[this.lang || "en"]; }

    api(method, path, body, headers, cache) {
      return request(method, path, body, this.lang || "en", headers, cache);
    }

    storyPath(suffix) {
      return `sites/${encodeURIComponent(this.site)}/stories/${encodeURIComponent(this.storyId)}${suffix || ""}`;
    }

    // ---------------------------------------------------- lifecycle
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
        boot = await this.bootstrap();
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

    guidelineTitle(code) {
      const found = this.guidelines.find((g) => g.code === code);
      return found ? found.title : humanize(code);
    }

    // ---------------------------------------------------- skeleton
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
      this.list = h("ul", { class: "list", "aria-label": s.threadLabel });
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
        this.pendingList,
        this.list,
        this.moreButton,
      );
      this.updateCount();
      this.renderNotices();
      if (this.story.is_open) this.renderAccount();
    }

    // ---------------------------------------------------- moderators' notices
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

    // ---------------------------------------------------- account area
    renderAccount(focus) {
      const s = this.s;
      const area = this.accountArea;
      if (this.viewer) {
        this.mode = "composer";
        const signedIn = h("div", { class: "signed" },
          h("span", { text: fill(s.signedInAs, { name: this.viewer.display_name }) }),
          h("button", { type: "button", class: "link", text: s.signOut, onclick: () => this.signOut() }));
        const panel = h("div", { class: "panel" }, signedIn);
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
        const box = item.field && form.querySelector(`[data-field="${CSS_escape(item.field)}"]`);
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
        if (!form.elements.accept_terms.checked) {
          throw new ApiError(422, [{ field: "accept_terms", code: "required", message: s.termsRequired }], s.termsRequired);
        }
        const email = form.elements.email.value.trim();
        const created = await this.api("POST", "accounts", {
          first_name: form.elements.first_name.value, last_name: form.elements.last_name.value,
          email, password: form.elements.password.value, language: this.lang,
          return_to: window.location.href.slice(0, 1000),
        });
        storage.set(termsKey(this.site, this.policy.language, created.id), String(this.policy.version));
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

    // ---------------------------------------------------- a name in doubt
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
      try { await this.api("DELETE", "sessions/current"); } catch (e) { /* the token is dropped anyway */ }
      this.viewerEmail = "";
      instances.forEach((w) => { w.flash = w.s.signedOut; w.mode = "join"; });
      setToken(null);
    }

    // ---------------------------------------------------- composer (comment, reply, edit)
    termsAccepted() {
      return this.viewer && storage.get(termsKey(this.site, this.policy.language, this.viewer.id)) === String(this.policy.version);
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
        const payload = { body, accept_terms: true };
        if (parent) payload.parent_id = parent.id;
        if (anyway) payload.review_requested = true;
        const created = await this.api("POST", this.storyPath("/comments"), payload, { "Idempotency-Key": idempotencyKey });
        storage.set(termsKey(this.site, this.policy.language, this.viewer.id), String(this.policy.version));
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

    // ---------------------------------------------------- the thread
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
      let page;
      try {
        page = await this.api("GET", this.storyPath(`/comments?${query}`), undefined, undefined,
          changed ? "no-cache" : undefined);
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
        this.pendingList.replaceChildren(...(page.my_pending || []).map((c) => this.renderComment(c)));
        this.story = Object.assign(this.story, page.story);
        this.updateCount();
      }
      for (const comment of page.comments) {
        this.list.append(this.renderComment(comment));
        for (const reply of comment.replies || []) this.list.append(this.renderComment(reply));
      }
      if (!this.list.children.length) this.list.append(h("li", { class: "empty", text: s.empty }));
      this.cursor = page.next_cursor;
      this.moreButton.hidden = !this.cursor;
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
      head.append(...[
        h("span", { class: "avatar", "aria-hidden": "true", style: `background:hsl(${hue(c.author ? c.author.id : 0)} 45% 38%)`, text: initials(name) }),
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
          actions.append(h("button", {
            type: "button", "aria-pressed": String(!!c.liked), "aria-label": s.likeLabel(name, c.like_count),
            text: c.like_count ? `${s.like} · ${fmtNumber(this.lang, c.like_count)}` : s.like,
            onclick: (e) => this.toggleLike(c, e.currentTarget),
          }));
        }
        if (this.story.is_open) {
          actions.append(h("button", { type: "button", "aria-expanded": "false", text: s.reply, onclick: (e) => this.openReply(c, slot, e.currentTarget) }));
        }
        if (!c.mine && this.features.reports) {
          // A reader reports a comment once: after that the action says it was done.
          actions.append(c.reported
            ? h("span", { class: "reported", text: s.reported })
            : h("button", { type: "button", "aria-expanded": "false", text: s.report, onclick: (e) => this.openReport(c, slot, e.currentTarget) }));
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
        button.textContent = c.like_count ? `${this.s.like} · ${fmtNumber(this.lang, c.like_count)}` : this.s.like;
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

    updateTimes() {
      for (const el of this.root.querySelectorAll("time[datetime]")) {
        el.textContent = relativeTime(this.lang, el.getAttribute("datetime"));
      }
    }

    // ---------------------------------------------------- live updates
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
          if (id && !this.items.has(id)) {
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
  }

  function CSS_escape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/[^\w-]/g, "\\$&");
  }

  // ---------------------------------------------------------------- the public namespace
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
})();

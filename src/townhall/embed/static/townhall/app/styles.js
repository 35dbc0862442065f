/*! Townhall widget: the stylesheet of its Shadow DOM.
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

export const CSS = `
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
.pending-list > li.c:first-child, .pending-list:empty + .rejected-list:empty + ul.list > li.c:first-child { border-top: 0; }
li.c.reply { border-top: 0; border-left: 2px solid var(--b); padding-left: .9rem; padding-top: .5rem; }
@media (max-width: 480px) { li.c { margin-left: calc(var(--d) * .75rem); } li.c.reply { padding-left: .6rem; } }
li.c.highlight { animation: th-flash 2.4s ease-out; }
li.c.linked { box-shadow: inset 3px 0 0 var(--a); background: var(--soft); }
.link-note:empty { display: none; }
.link-note .alert { margin: .6rem 0; }
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
.c-actions .like-count { color: var(--m); font-size: .84rem; font-weight: 600; align-self: center; margin: 0 .3rem 0 -.35rem; }
.c-actions .like-count:empty { display: none; }
.c-actions button { min-height: 24px; }
.c-slot:not(:empty) { margin: .5rem 0 .2rem 2.55rem; }
@media (max-width: 480px) { .c-body, .c-slot:not(:empty) { margin-left: 0; } .c-actions { margin-left: -.55rem; } }
.dialog { border: 1px solid var(--b); border-radius: var(--r); padding: .8rem 1rem; background: var(--s); }
fieldset { border: 0; margin: 0; padding: 0; }
legend { font-weight: 700; padding: 0; margin-bottom: .3rem; }
.radio { display: flex; gap: .5rem; align-items: center; font-weight: 400; margin: .35rem 0; }
.more { display: block; margin: 1rem auto 0; }
.empty { color: var(--m); padding: 1rem 0; }
.pending-list { margin-bottom: .8rem; }
.rejected-list:not(:empty) { margin-bottom: .8rem; }
.rejected-list > li.c { background: #fdf3f2; border-radius: 8px; padding: .6rem .8rem; }
.rejected-list .reason { margin: .3rem 0; color: var(--m); }
.rejected-list .c-body { margin-left: 0; }
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
.signed .tools { display: inline-flex; align-items: center; gap: .9rem; }
.signed .tools .link { white-space: nowrap; }
.bell { display: inline-flex; align-items: center; gap: .3rem; min-height: 2rem; background: none; border: 1px solid var(--b); border-radius: 999px; padding: .2rem .7rem; color: var(--t); font-size: .86rem; font-weight: 600; }
.bell[aria-expanded=true] { background: var(--soft); }
.bell-icon { width: 1.05rem; height: 1.05rem; flex: none; }
.bell-count { background: var(--a); color: var(--ai); border-radius: 999px; min-width: 1.3rem; padding: 0 .35rem; font-size: .76rem; line-height: 1.3rem; text-align: center; }
.bell-panel { border: 1px solid var(--b); border-radius: var(--r); padding: .7rem .9rem; margin: 0 0 .9rem; background: var(--s); }
.bell-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .4rem 1rem; }
.bell-head h3 { margin: 0 auto 0 0; font-size: 1rem; }
.bell-head .link { font-size: .86rem; min-height: 24px; }
ul.notes { list-style: none; margin: .5rem 0 .2rem; padding: 0; }
.note a, .note > div { display: grid; gap: .05rem; padding: .5rem .6rem; border-radius: 6px; color: var(--t); text-decoration: none; }
.note + .note { border-top: 1px solid var(--b); }
.note a:hover { background: var(--soft); }
.note.unread a, .note.unread > div { box-shadow: inset 3px 0 0 var(--a); font-weight: 600; }
.note-story, .note time { color: var(--m); font-size: .84rem; font-weight: 400; }
.bell-settings { border-top: 1px solid var(--b); margin-top: .6rem; padding-top: .4rem; font-size: .9rem; }
.bell-settings h4 { font-size: .92rem; margin: .6rem 0 .3rem; }
.choices legend { font-weight: 600; font-size: .9rem; margin: .3rem 0 .2rem; }
.choice { display: flex; gap: .5rem; align-items: center; margin: .25rem 0; }
.choice input { width: 1.1rem; height: 1.1rem; margin: 0; accent-color: var(--a); flex: none; }
.choice label { font-weight: 400; margin: 0; font-size: .9rem; }
ul.muted-list { list-style: none; margin: 0; padding: 0; }
.muted-list li { display: flex; justify-content: space-between; gap: 1rem; padding: .2rem 0; }
.saved:empty { display: none; }
li.c.muted .c-body { margin-left: 0; }
.sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

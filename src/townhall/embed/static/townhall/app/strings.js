/*! Townhall widget: every string it shows, and how numbers and dates read.
 *
 * The English text is the source. Each string is looked up in the server's `djangojs`
 * translation catalogue, which `./catalog.js` carries for every language the server speaks:
 * `make messages` extracts the gettext() and ngettext() calls below into
 * `locale/LANG/LC_MESSAGES/djangojs.po`, and translators work there as for the pages.
 */

import catalogs from "./catalog.js";

export function fmtNumber(lang, n) {
  return new Intl.NumberFormat(lang === "fr" ? "fr-CA" : "en-CA").format(n);
}

export function fill(text, values) {
  return String(text).replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
}

const messages = (gettext, ngettext) => ({
  title: gettext("Comments"),
  count: (n) => (n === 0 ? gettext("No comments yet") : ngettext("{n} comment", "{n} comments", n)),
  threadLabel: gettext("Comments on this story"),
  join: gettext("Join the conversation"),
  createAccount: gettext("Create account"),
  haveAccount: gettext("Already have an account?"),
  signIn: gettext("Sign in"),
  signOut: gettext("Sign out"),
  signedInAs: gettext("Signed in as {name}"),
  commentingAs: gettext("Commenting as {name}"),
  firstName: gettext("First name"),
  lastName: gettext("Last name"),
  email: gettext("Email"),
  password: gettext("Password"),
  passwordHint: gettext("At least 10 characters."),
  realNameHint: gettext("Use your real first and last name: they appear with your comments."),
  youthNameHint: gettext("Your name stays private here: you appear under a nickname."),
  acceptTerms: gettext("I have read the community policy above and accept its terms."),
  createSubmit: gettext("Create my account"),
  cancel: gettext("Cancel"),
  close: gettext("Close"),
  checkEmailTitle: gettext("Check your email"),
  checkEmail: gettext("We sent a link to {email}. Open it to confirm your address, then sign in here."),
  forgot: gettext("Forgot your password?"),
  sendReset: gettext("Email me a reset link"),
  resetSent: gettext("If an account uses {email}, a link to choose a new password is on its way."),
  verifyNeeded: gettext("Confirm your email address to comment: open the link we sent to {email}."),
  resend: gettext("Send the link again"),
  resent: gettext("A new link is on its way."),
  verifiedContinue: gettext("I have confirmed it"),
  stillUnverified: gettext("Your address is not confirmed yet. Open the link in the email first."),
  yourComment: gettext("Your comment"),
  yourReply: gettext("Your reply"),
  editLabel: gettext("Edit your comment"),
  placeholder: gettext("Share your thoughts"),
  charsLeft: (n) => ngettext("{n} character left", "{n} characters left", n),
  charsOver: (n) => ngettext("{n} character too many", "{n} characters too many", n),
  post: gettext("Post comment"),
  postReply: gettext("Post reply"),
  posting: gettext("Posting…"),
  save: gettext("Save changes"),
  writeSomething: gettext("Write something before posting."),
  tooLong: gettext("Your comment is too long."),
  termsRequired: gettext("Accept the terms to post a comment."),
  published: gettext("Your comment is published."),
  replyPublished: gettext("Your reply is published."),
  pending: gettext("Your comment is awaiting review. It will appear once a moderator approves it."),
  rejected: gettext("Your comment was not published because it breaks our Submission Guidelines."),
  reason: gettext("Reason: {reason}."),
  reasonPremoderation: gettext("Every comment on this story is reviewed before it appears."),
  reasonRequested: gettext("You asked for a review."),
  awaitingReview: gettext("Awaiting review"),
  yourPending: gettext("Your comments awaiting review"),
  yourRejected: gettext("Your comments that were not published"),
  notPublished: gettext("Not published"),
  rejectedBecause: gettext("A moderator did not publish this comment because of our guideline “{guideline}”."),
  rejectedGeneric: gettext("A moderator did not publish this comment because it breaks our Submission Guidelines."),
  moderatorNote: gettext("The moderator’s note: {note}"),
  appealOpenButton: gettext("Appeal this decision"),
  appealWhy: gettext("Why should the moderators look again? (optional)"),
  appealSend: gettext("Send my appeal"),
  appealUntil: gettext("You can appeal until {date}."),
  statementOfReasons: gettext("Statement of reasons"),
  noticeOpen: gettext("Notify illegal content"),
  noticeTitle: gettext("Notice of illegal content"),
  noticeIntro: gettext("Tell us why this comment is illegal. A moderator reviews every notice and tells you the decision."),
  noticeGround: gettext("What the law forbids here"),
  noticeLaw: gettext("The law concerned (optional)"),
  noticeExplanation: gettext("Why the comment is illegal"),
  noticeName: gettext("Your name"),
  noticeEmail: gettext("Your email"),
  noticeIdentity: gettext("Your name and email are needed, except for child sexual abuse material. The author of the comment is not told who you are."),
  noticeGoodFaith: gettext("I believe in good faith that the information in this notice is accurate and complete."),
  noticeSend: gettext("Send the notice"),
  noticeWorking: gettext("Sending…"),
  noticeSent: gettext("Notice received. Its reference is {reference}; an acknowledgement is on its way by email."),
  appealSent: gettext("Your appeal is sent. A different moderator will look at your comment again."),
  appealOpen: gettext("You appealed on {date}. A different moderator will look at your comment again."),
  appealAccepted: gettext("Your appeal was accepted: your comment is published again."),
  appealUpheld: gettext("Your appeal was reviewed on {date}: the decision stands."),
  nudge: gettext("This may break the guideline “{guideline}”. Edit your comment, or post it anyway and a moderator will review it before it appears."),
  nudgeGeneric: gettext("This may break our Submission Guidelines. Edit your comment, or post it anyway and a moderator will review it before it appears."),
  editIt: gettext("Edit my comment"),
  postAnyway: gettext("Post anyway"),
  sortLabel: gettext("Sort comments"),
  newest: gettext("Newest"),
  oldest: gettext("Oldest"),
  top: gettext("Most liked"),
  reply: gettext("Reply"),
  replyTo: gettext("Reply to {name}"),
  like: gettext("Like"),
  likes: (n) => ngettext("{n} like", "{n} likes", n),
  likeLabel: (name, n) => fill(gettext("Like the comment by {name} ({likes})"), { name, likes: ngettext("{n} like", "{n} likes", n) }),
  report: gettext("Report"),
  reported: gettext("You reported this"),
  copyLink: gettext("Copy link"),
  copyLinkLabel: gettext("Copy link to the comment by {name}"),
  linkCopied: gettext("Link copied"),
  linkHere: gettext("The link to this comment:"),
  linkPending: gettext("The comment this link leads to is awaiting review. It will appear here once a moderator approves it."),
  linkRemoved: gettext("The comment this link leads to is no longer available."),
  reportTitle: gettext("Why are you reporting this comment?"),
  reportDetails: gettext("Details (optional)"),
  reportSend: gettext("Send report"),
  reportSent: gettext("Thank you. A moderator will look at this comment."),
  reasonOther: gettext("Something else"),
  chooseReason: gettext("Choose a reason."),
  edit: gettext("Edit"),
  delete: gettext("Delete"),
  confirmDelete: gettext("Delete this comment? This cannot be undone."),
  yesDelete: gettext("Yes, delete it"),
  deletedOk: gettext("Your comment is deleted."),
  savedOk: gettext("Your changes are saved."),
  edited: gettext("edited"),
  deletedPlaceholder: gettext("This comment was deleted by its author."),
  removedPlaceholder: gettext("This comment was removed by a moderator."),
  loadMore: gettext("Show more comments"),
  loading: gettext("Loading comments…"),
  newComments: (n) => ngettext("{n} new comment — show", "{n} new comments — show", n),
  closed: gettext("Comments are closed"),
  closedDetail: gettext("Thank you to everyone who took part in this conversation."),
  empty: gettext("No comments yet. Start the conversation."),
  errorGeneric: gettext("Something went wrong. Please try again."),
  errorNetwork: gettext("Townhall cannot be reached right now. Check your connection and try again."),
  signInFirst: gettext("Sign in or create an account to like, reply or report."),
  sessionEnded: gettext("Your session has ended. Please sign in again."),
  signedOut: gettext("You are signed out."),
  signedIn: gettext("You are signed in."),
  guidelinesPhrase: gettext("Submission Guidelines"),
  guidelinesLink: gettext("Read our Submission Guidelines"),
  unavailable: gettext("Comments are not available for this story."),
  you: gettext("you"),
  noticeWarnTitle: gettext("A warning from the moderators"),
  noticeWarn: gettext("The moderators ask you to respect our guideline “{guideline}”."),
  noticeSuspendTitle: gettext("Your account is suspended until {date}"),
  noticeSuspend: gettext("Until then, your comments will not be published. This is because of our guideline “{guideline}”."),
  noticeBanTitle: gettext("Your account can no longer comment"),
  noticeBan: gettext("Your comments will no longer be published. This is because of our guideline “{guideline}”."),
  noticeMessage: gettext("Their message:"),
  noticeDismiss: gettext("I understand"),
  noticeDismissed: gettext("Thank you. The message is dismissed."),
  nameTitle: gettext("Please confirm your name"),
  nameAsk: gettext("A moderator asked you to confirm that “{name}” is your real first and last name. Until you confirm or change it, your comments wait for review."),
  nameAskYouth: gettext("A moderator asked you to confirm that the first and last name on your account are your real name. Until you confirm or change it, your comments wait for review."),
  nameHeld: gettext("Your comment was received and is waiting for review."),
  nameConfirm: gettext("Yes, this is my real name"),
  nameChange: gettext("Change my name"),
  nameChangeTitle: gettext("Change your name"),
  nameSave: gettext("Save my name"),
  nameConfirmed: gettext("Thank you. Your name is confirmed."),
  nameChanged: gettext("Your name is changed."),
  namePending: gettext("Your new name, {name}, is waiting for a moderator’s approval. Until then, your comments wait for review."),
  notifications: gettext("Notifications"),
  bellLabel: (n) => (n === 0 ? gettext("Notifications, none unread")
    : ngettext("Notifications, {n} unread", "Notifications, {n} unread", n)),
  loadingNotes: gettext("Loading…"),
  unreadMark: gettext("Unread:"),
  markAllRead: gettext("Mark all as read"),
  allRead: gettext("All notifications are marked as read."),
  noNotifications: gettext("Nothing yet. Replies to your comments and moderators’ decisions will appear here."),
  newNotification: gettext("You have a new notification."),
  notificationSettings: gettext("Settings"),
  replyEmails: gettext("Email me about replies and decisions"),
  emailChoice: {
    immediate: gettext("Right away"),
    daily: gettext("Once a day, in a digest"),
    off: gettext("Never"),
  },
  saved: gettext("Saved."),
  followStory: gettext("Tell me about every new comment on this story"),
  followingStory: gettext("You follow this story."),
  notFollowingStory: gettext("You no longer follow this story."),
  mutedAccounts: gettext("Muted accounts"),
  noMuted: gettext("You have not muted anyone."),
  mutedSomeone: gettext("A reader under a nickname"),
  mute: gettext("Mute"),
  muteLabel: gettext("Mute {name}: fold their comments for you"),
  unmute: gettext("Unmute"),
  unmuteLabel: gettext("Unmute {name}"),
  mutedDone: gettext("{name} is muted: their comments are folded for you."),
  unmutedDone: gettext("{name} is no longer muted."),
  mutedComment: gettext("A comment by {name}, whom you muted."),
  showMuted: gettext("Show it"),
  namePendingYouth: gettext("Your new name is waiting for a moderator’s approval. Until then, your comments wait for review."),
});

const cache = new Map();

// The strings of one language. A plural picks its form by the language's rules: English and
// French each have two forms, and French uses the singular for 0 and 1, as its catalogue does.
export function stringsFor(lang) {
  const code = lang === "fr" ? "fr" : "en";
  let found = cache.get(code);
  if (!found) {
    const catalog = catalogs[code] || {};
    const rules = new Intl.PluralRules(code);
    const gettext = (id) => (typeof catalog[id] === "string" && catalog[id]) || id;
    const ngettext = (one, many, n) => {
      const form = rules.select(n) === "one" ? 0 : 1;
      const forms = Array.isArray(catalog[one]) ? catalog[one] : [];
      return (forms[form] || (form === 0 ? one : many)).replace("{n}", fmtNumber(code, n));
    };
    found = Object.freeze(messages(gettext, ngettext));
    cache.set(code, found);
  }
  return found;
}

export function relativeTime(lang, iso) {
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

export function exactTime(lang, iso) {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", {
    dateStyle: "long", timeStyle: "short",
  }).format(new Date(iso));
}

export function longDate(lang, iso) {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-CA" : "en-CA", { dateStyle: "long" }).format(new Date(iso));
}

export function humanize(code) {
  const text = String(code || "").replace(/[_-]+/g, " ").trim();
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

"""Request and response shapes shared by the routers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


def _utc(value: dt.datetime) -> dt.datetime:
    """Store and compare moments in UTC: databases refuse some offsets Python accepts
    (PostgreSQL stops at ±15:59), and a naive time is read as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError("the moment is out of range") from error


# A date and time with any offset, turned into UTC.
Moment = Annotated[dt.datetime, AfterValidator(_utc)]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Input(Schema):
    """Requests reject unknown fields so typos get a 422 naming them, and NUL characters
    anywhere in their text (PostgreSQL cannot store them; nobody types them)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise PydanticCustomError("nul_character", "Text may not contain NUL characters.")
        return value


class ErrorItemOut(Schema):
    field: str | None
    code: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorItemOut]


class PendingNameOut(Schema):
    first_name: str
    last_name: str
    display_name: str
    requested_at: dt.datetime


class TermsAcceptedOut(Schema):
    site: str
    language: str
    version: int
    accepted_at: dt.datetime


class AccountOut(Schema):
    id: int
    display_name: str
    first_name: str
    last_name: str
    email: str
    email_verified: bool
    role: str
    language: str
    name_status: str = Field(default="ok", description="ok | flagged (confirm or change "
                                                        "your name to be published) | confirmed")
    pending_name: PendingNameOut | None = Field(
        default=None, description="A name change waiting for a moderator's approval")
    totp_enabled: bool = Field(default=False, description="Two-factor sign-in is on")
    deletion_due_at: dt.datetime | None = Field(
        default=None, description="When a requested account deletion will be carried out")
    terms_accepted: list[TermsAcceptedOut] = Field(
        default_factory=list, description="Each site's terms the account accepted, newest first")


class NameChangeOut(AccountOut):
    pending_approval: bool


class TermsIn(Input):
    """The site policy a form showed: its site, language and version."""

    site: str = Field(max_length=100)
    language: str = Field(max_length=2)
    version: int = Field(ge=1, le=2**31)


class SignUpIn(Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1000)
    first_name: str = Field(max_length=200)
    last_name: str = Field(max_length=200)
    language: str = "en"
    # The story page signed up on: the verification page links back to it.
    return_to: str = Field(default="", max_length=1000)
    # The terms the form showed: given, `accept_terms` must be true, and it is recorded.
    terms: TermsIn | None = None
    accept_terms: bool | None = None


class SignUpOut(Schema):
    id: int
    display_name: str
    email_verified: bool


class TokenIn(Input):
    token: str = Field(max_length=200)


class SignInIn(Input):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1000)
    totp: str | None = Field(default=None, max_length=20,
                             description="The authenticator code, when two-factor sign-in is on")
    device: str | None = Field(default=None, max_length=500, description=(
        "The `device` of an earlier sign-in from this browser: a lockout by other people's "
        "wrong guesses does not stop it"))


class DeletionOut(Schema):
    deletion_due_at: dt.datetime


class TotpEnrolOut(Schema):
    secret: str
    otpauth_uri: str


class TotpCodeIn(Input):
    code: str = Field(max_length=20)


class PasswordIn(Input):
    password: str = Field(max_length=1000)


class SessionOut(Schema):
    token: str
    account: AccountOut
    device: str = Field(description="Keep it and send it at the next sign-in from this device")


class EmailIn(Input):
    email: str = Field(max_length=254)


class ResetConfirmIn(Input):
    token: str = Field(max_length=200)
    password: str = Field(max_length=1000)


class PasswordChangeIn(Input):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=1000)


class NameChangeIn(Input):
    first_name: str = Field(max_length=200)
    last_name: str = Field(max_length=200)


class StoryIn(Input):
    url: str | None = Field(default=None, max_length=1000)
    title: str | None = Field(default=None, max_length=500)
    language: str | None = None
    community: str | None = None
    moderation_mode: str | None = None
    closes_at: Moment | None = None


class StoryPatchIn(StoryIn):
    action: str | None = Field(default=None, description="close | reopen")


class StoryOut(Schema):
    site: str
    external_id: str
    url: str
    title: str
    language: str
    community: str
    moderation_mode: str
    closes_at: dt.datetime | None
    is_open: bool
    comment_count: int


class AuthorOut(Schema):
    id: int
    display_name: str


class CommentOut(Schema):
    id: int
    parent_id: int | None
    depth: int
    display_depth: int
    status: str
    removed: bool
    author: AuthorOut | None
    body_html: str
    body: str
    created_at: dt.datetime
    edited_at: dt.datetime | None
    like_count: int
    reply_count: int
    liked: bool
    mine: bool
    featured: bool = False
    # The viewer muted the author: show the comment collapsed.
    muted: bool = False
    # The viewer has reported this comment already (reports are once per reader).
    reported: bool = False


class ThreadCommentOut(CommentOut):
    replies: list[CommentOut]


class LinkedOut(Schema):
    id: int
    state: Literal["shown", "pending", "removed", "unknown"]


class GuidelineRefOut(Schema):
    code: str
    title: str


class AppealStateOut(Schema):
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class StatementOut(Schema):
    """A statement of reasons (DSA art. 17) in the author's language, built from the
    decision record: `text` is what to show, the rest says the same as data."""

    decision_id: int
    restriction: str
    decided_at: dt.datetime
    ground: Literal["guideline", "law"]
    guideline: GuidelineRefOut | None
    law: str
    facts: str
    detected_by: Literal["rule", "model", "report", "notice", "person"]
    decided_by: Literal["rule", "model", "person"]
    rule: str
    model_version: str
    automated_detection: bool
    automated_decision: Literal["fully", "partially", "not"]
    appeal_until: dt.datetime | None
    language: str
    means: str
    text: list[str]


class RejectedOut(CommentOut):
    """One of the signed-in author's rejected comments on the story, and its appeal."""

    guideline: GuidelineRefOut | None
    note: str
    appeal: AppealStateOut | None
    can_appeal: bool
    appeal_until: dt.datetime | None
    statement: StatementOut | None = None


class ThreadOut(Schema):
    story: StoryOut
    sort: str
    comments: list[ThreadCommentOut]
    next_cursor: str | None
    my_pending: list[CommentOut]
    # The signed-in author's rejected comments here, which they may appeal from the widget.
    my_rejected: list[RejectedOut] = []
    # Only for `?comment=N`: whether the linked comment is in `comments`, and why not.
    linked: LinkedOut | None = None


class CommentIn(Input):
    body: str = Field(max_length=20_000)
    parent_id: int | None = None
    accept_terms: bool = False
    review_requested: bool = Field(
        default=False, description="Post anyway after a guideline nudge: goes to review"
    )


class CommentCreatedOut(CommentOut):
    guidelines: list[str]
    story_id: int


class CommentEditIn(Input):
    body: str = Field(max_length=20_000)


class LikeOut(Schema):
    liked: bool
    like_count: int


class CountsOut(Schema):
    counts: dict[str, int]


class PolicyOut(Schema):
    site: str
    language: str
    version: int
    texts: dict[str, Any]

"""`townhall export` and `townhall import townhall` round-trip a whole installation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from townhall.accounts.models import Account
from townhall.comments.models import Comment
from townhall.comments.services import like_add
from townhall.moderation.posting import comment_create, comment_edit
from townhall.porting.townhall_jsonl import installation_models

from tests.conftest import PASSWORD, Api, make_account, make_site, make_staff, make_story


def _rows(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == "townhall-jsonl"
    return lines[1:]


def _empty_installation() -> None:
    for model in reversed(installation_models()):
        model._default_manager.all()._raw_delete(model._default_manager.db)


def test_export_then_import_restores_the_same_installation(tmp_path: Path, api: Api) -> None:
    site, _key = make_site()
    story = make_story(site, "1.1", title="Ünïcödé « quotes » and <tags>")
    staff = make_staff(sites=[site])
    alice, bob = make_account(), make_account()
    top, _ = comment_create(account=alice, story=story, body="Top **level**", accept_terms=True)
    comment_edit(account=alice, comment=top, body="Top level, edited")
    reply, _ = comment_create(account=bob, story=story, body="A reply", parent_id=top.pk,
                              accept_terms=True)
    like_add(account=bob, comment=top)
    before = tmp_path / "before.jsonl"
    call_command("export", str(before), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert before.stat().st_mode & 0o077 == 0  # readable by its owner only
    rows = _rows(before)
    assert any('"model": "comments.comment"' in r for r in rows)

    _empty_installation()
    assert Account.objects.count() == 0
    call_command("import", "townhall", str(before), stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = tmp_path / "after.jsonl"
    call_command("export", str(after), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _rows(after) == rows

    # The restored installation works: people sign in, threads read, ids continue.
    token = api.post("sessions", {"email": alice.email, "password": PASSWORD}).json()["token"]
    thread = api.get(f"sites/{site.name}/stories/1.1/comments").json()
    assert [c["id"] for c in thread["comments"]] == [top.pk]
    assert thread["comments"][0]["replies"][0]["id"] == reply.pk
    posted = api.as_(token).post(f"sites/{site.name}/stories/1.1/comments",
                                 {"body": "After the restore", "accept_terms": True})
    assert posted.status_code == 201 and posted.json()["id"] > reply.pk
    assert Comment.objects.count() == 3
    assert Account.objects.get(pk=staff.pk).role == staff.role


def test_import_refuses_a_non_empty_installation_or_a_foreign_file(tmp_path: Path, db: None
                                                                  ) -> None:
    make_account()
    backup = tmp_path / "backup.jsonl"
    call_command("export", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match="fresh installation"):
        call_command("import", "townhall", str(backup))
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"hello": "world"}\n')
    with pytest.raises(CommandError, match="not a Townhall export"):
        call_command("import", "townhall", str(foreign))
    with pytest.raises(CommandError, match="unknown format"):
        call_command("import", "nosuchformat", str(backup))

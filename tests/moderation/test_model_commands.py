"""Moderators' decisions retrain the toxicity model into a staged version that an admin
switches on, and back off, with one command each; evaluate-model prints the table.

Training runs on a tiny data directory written here, so the test takes seconds; the real
figures are in docs/model-card.md.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from townhall.moderation import phases
from townhall.moderation.learning import moderator_examples
from townhall.moderation.toxicity import registry, scorers
from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

PATH = "sites/daily/stories/s1/comments"

_CIVIL = [
    "Thanks for the clear report on the council vote.",
    "When does the new bridge open to cyclists?",
    "My thoughts are with the families tonight.",
    "The mayor should publish the full budget.",
    "Merci pour cet article très clair.",
    "Quand le pont ouvrira-t-il aux cyclistes ?",
]
_ABUSIVE = [
    "You are a worthless idiot and a liar.",
    "Shut up, moron, nobody asked you.",
    "What a pathetic loser this reporter is.",
    "Go away you stupid clown.",
    "Ferme-la, espèce de connard.",
    "Quel abruti, ce journaliste minable.",
]


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _labelled(prefix: str, count: int) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for index in range(count):
        rows.append([f"{_CIVIL[index % len(_CIVIL)]} ({prefix} {index})", 0])
        rows.append([f"{_ABUSIVE[index % len(_ABUSIVE)]} ({prefix} {index})", 1])
    return rows


@pytest.fixture
def training_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    _write(data / "en" / "jigsaw_train.csv", ["text", "toxic"], _labelled("train", 30))
    _write(data / "en" / "jigsaw_test.csv", ["text", "toxic"], _labelled("test", 10))
    _write(data / "en" / "ken20_train.csv", ["text", "label"], _labelled("ken", 10))
    _write(data / "en" / "ken20_dev.csv", ["text", "label"], _labelled("kendev", 5))
    for name in ("dynahate", "founta"):
        _write(data / "en" / f"{name}_train.csv", ["text", "label"], _labelled(name, 10))
        _write(data / "en" / f"{name}_dev.csv", ["text", "label"], _labelled(f"{name}dev", 5))
    _write(
        data / "en" / "toxigen_annotated.csv",
        ["text", "target_group", "toxicity_human", "intent", "lewd", "framing"],
        [[text, "group", 1 + 4 * label, 1, "", ""] for text, label in _labelled("toxigen", 10)],
    )
    _write(
        data / "en" / "davidson_labeled_data.csv",
        ["count", "hate_speech", "offensive_language", "neither", "class", "tweet"],
        [[3, 0, 0, 3, 2 - 2 * label, text] for text, label in _labelled("dav", 10)],
    )
    for split, count in (("train", 30), ("dev", 5), ("test", 10)):
        _write(data / "fr" / f"fr_hate_{split}.csv", ["text", "label"],
               _labelled(f"fr{split}", count))
    _write(
        data / "fr" / "mlma_fr.csv",
        ["HITId", "tweet", "sentiment", "directness", "annotator_sentiment", "target", "group"],
        [[1, "Ferme-la, espèce de connard. (frtrain 0)", "offensive", "direct", "anger",
          "origin", "other"]],
    )
    return data


@pytest.fixture
def site(db: None) -> Site:
    site, _key = make_site()
    make_story(site, "s1", title="Council approves the new bridge")
    return site


@pytest.fixture
def fresh_default_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each test sees the pointer at once and leaves no scorer loaded from its temp dir.
    monkeypatch.setattr(scorers, "_default_scorer", None)
    monkeypatch.setattr(scorers, "_default_directory", None)
    monkeypatch.setattr(scorers, "_pointer_checked_at", float("-inf"))
    monkeypatch.setattr(scorers, "POINTER_RECHECK_SECONDS", 0.0)


def _post(client: Api, body: str) -> dict[str, Any]:
    response = client.post(PATH, {"body": body, "accept_terms": True})
    assert response.status_code == 201, response.json()
    return response.json()


def _decide(moderator: Api, comment: dict[str, Any], **decision: str) -> None:
    response = moderator.post(f"moderation/comments/{comment['id']}/decisions", decision)
    assert response.status_code == 200, response.json()


def _moderate_a_few(site: Site) -> None:
    author = Api(token_for(make_account()))
    moderator = Api(token_for(make_staff(sites=[site])))
    insult = _post(author, "Only an idiot would vote for this bridge.")
    harmless = _post(author, "Stupid question maybe, but when does the bridge open?")
    reversed_call = _post(author, "Which moron designed the cycle lane?")
    assert {insult["status"], harmless["status"], reversed_call["status"]} == {"pending"}
    _post(author, "Nice to see the bridge finally approved.")
    _decide(moderator, insult, action="reject", guideline="respect")
    _decide(moderator, harmless, action="approve")
    _decide(moderator, reversed_call, action="approve")
    _decide(moderator, reversed_call, action="reject", guideline="respect")


def test_moderator_decisions_become_labelled_examples(site: Site) -> None:
    _moderate_a_few(site)

    assert moderator_examples(site=site) == [
        ("Only an idiot would vote for this bridge.", 1, "en"),
        ("Stupid question maybe, but when does the bridge open?", 0, "en"),
        ("Which moron designed the cycle lane?", 1, "en"),
    ]
    other, _key = make_site("other")
    assert moderator_examples(site=other) == []


def test_retrained_model_is_staged_compared_and_switched_on_only_by_an_admin(
    site: Site, settings: Any, tmp_path: Path, training_data: Path, fresh_default_scorer: None
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    builtin_version = scorers.get_default_scorer().score("hello").model_version
    _moderate_a_few(site)

    out = io.StringIO()
    call_command("train_model", "--with-decisions", "--data", str(training_data),
                 stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    assert "Learning from 3 decisions: 2 rejections, 1 approvals" in printed
    assert "Too few decisions for a replay split by time (3, fewer than 40)." in printed
    (version,) = registry.staged_versions()
    assert f"Staged {version}" in printed and f"activate-model {version}" in printed
    assert f"Compared with the active model {builtin_version}" in printed
    assert "| measure | value | baseline | change | target |" in printed
    assert scorers.get_default_scorer().score("hello").model_version == builtin_version

    out = io.StringIO()
    call_command("activate_model", version, stdout=out)
    assert version in out.getvalue()
    assert scorers.get_default_scorer().score("hello").model_version == version

    out = io.StringIO()
    call_command("evaluate_model", "--quick", "--data", str(training_data), stdout=out)
    assert f"Model {version}" in out.getvalue()

    call_command("activate_model", "builtin", stdout=io.StringIO())
    assert scorers.get_default_scorer().score("hello").model_version == builtin_version
    assert registry.staged_versions() == [version]  # the retrained model stays available


def test_activating_an_unknown_model_changes_nothing(
    settings: Any, tmp_path: Path, fresh_default_scorer: None
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    with pytest.raises(CommandError, match="no staged model"):
        call_command("activate_model", "th-tox-nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="not a model version"):
        call_command("activate_model", "../escape", stdout=io.StringIO())
    assert registry.active_version() == registry.BUILTIN


def test_a_staged_model_whose_semantic_stage_is_missing_is_not_switched_on(
    settings: Any, tmp_path: Path, fresh_default_scorer: None
) -> None:
    settings.DATA_DIR = tmp_path / "var"
    staged = tmp_path / "var" / "models" / "th-tox-20991231-0badc0de"
    shutil.copytree(scorers.ARTIFACT_DIR, staged)
    (staged / "semantic.onnx").unlink()
    with pytest.raises(CommandError, match="semantic stage"):
        call_command("activate_model", "th-tox-20991231-0badc0de", stdout=io.StringIO())
    assert registry.active_version() == registry.BUILTIN


def test_retraining_without_decisions_says_so(site: Site, settings: Any, tmp_path: Path,
                                              training_data: Path) -> None:
    settings.DATA_DIR = tmp_path / "var"
    with pytest.raises(CommandError, match="no moderator decisions"):
        call_command("train_model", "--with-decisions", "--data", str(training_data))


def test_the_toxicity_phase_gives_the_scorer_the_story_language(db: None) -> None:
    class HintedScorer:
        name = "hinted"

        def __init__(self) -> None:
            self.hints: list[str | None] = []

        def score(self, text: str, *, language_hint: str | None = None) -> Any:
            self.hints.append(language_hint)
            return scorers.ToxicityResult(0.01, {}, [], language_hint or "en", "hinted-1")

    hinted = HintedScorer()
    site, _key = make_site("journal", language="fr")
    make_story(site, "fr1", title="Le conseil approuve le pont", language="fr")
    phases.use_scorer(hinted)
    try:
        author = Api(token_for(make_account()))
        response = author.post("sites/journal/stories/fr1/comments",
                               {"body": "Enfin un pont pour les cyclistes.", "accept_terms": True})
    finally:
        phases.use_scorer(None)
    assert response.status_code == 201 and response.json()["status"] == "published"
    assert hinted.hints == ["fr"]


def test_a_replay_split_by_time_shows_what_a_site_gains_from_its_own_decisions(
    training_data: Path,
) -> None:
    """This site rejects resale offers, which no public data set calls abusive."""
    from townhall_lab.replay import format_replay, replay

    examples = []
    for index in range(60):
        examples.append((f"Selling two ferry tickets for Friday, message me ({index})", 1, "en"))
        examples.append((f"The Friday ferry was on time for once ({index})", 0, "en"))
    figures = replay(examples, training_data)
    assert (figures["earlier"], figures["later"], figures["later_rejections"]) == (84, 36, 18)
    assert figures["after"]["auc"] > figures["before"]["auc"]
    assert figures["after"]["rejections_held"] > figures["before"]["rejections_held"]
    assert "| ROC-AUC of the acted-on score |" in format_replay(figures)
    with pytest.raises(ValueError, match="at least 40"):
        replay(examples[:10], training_data)

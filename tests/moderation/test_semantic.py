"""The semantic stage and the cascade, through the committed artifact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from townhall.moderation.toxicity.model import ArtifactError
from townhall.moderation.toxicity.scorers import (
    ARTIFACT_DIR,
    DEFAULT_HOLD_THRESHOLD,
    LocalScorer,
)
from townhall.moderation.toxicity.semantic import MODEL_FILE

TEXTS = [
    "The ferry timetable changes on Monday; check the port's website.",
    "I know where you live and I will hurt you.",
    "You are a pathetic idiot and nobody wants you here.",
    "Honestly this council is useless, they never listen to anyone.",
    "Those people are all the same, they only come here to take.",
    "Ce gouvernement se moque de nous, comme d'habitude.",
    "Le député a présenté le contrat au conseil municipal hier soir.",
    "Les immigrés ne sont pas le problème, la pauvreté l'est.",
    "Stop pretending you care, you clown.",
    "I don't hate anyone, I just think the plan is badly drawn.",
    "I don't hate immigrants, I hate the way this was reported.",
    "What a dumb idea from the mayor.",
    "You are so stupid it hurts.",
]


@pytest.fixture(scope="module")
def scorer() -> LocalScorer:
    return LocalScorer.from_directory()


def test_the_committed_model_ships_its_semantic_stage(scorer: LocalScorer) -> None:
    assert scorer.semantic is not None
    cascade = scorer.model.metadata["semantic"]
    low, high = cascade["band"]
    assert 0 < low <= DEFAULT_HOLD_THRESHOLD < high < 1
    assert set(cascade["calibration"]) == {"en", "fr"}


def test_the_runtime_gives_the_logits_measured_when_it_was_calibrated(
    scorer: LocalScorer,
) -> None:
    assert scorer.semantic is not None
    reference = scorer.model.metadata["semantic"]["reference_logits"]
    logits = scorer.semantic.logits([text for text, _value in reference])
    assert list(logits) == pytest.approx([value for _text, value in reference], abs=1e-3)


def test_the_cascade_reads_again_only_what_the_fast_model_is_unsure_of(
    scorer: LocalScorer,
) -> None:
    fast = LocalScorer(scorer.model)  # the same model without its semantic stage
    low, high = scorer.model.metadata["semantic"]["band"]
    asked = 0
    for text in TEXTS:
        result, alone = scorer.score(text), fast.score(text)
        assert alone.semantic is None
        if result.semantic is None:
            assert result.score == pytest.approx(alone.score)
            continue
        asked += 1
        # Asked only inside the band and when no rule holds; the answer stays in the band.
        held_by_rule = max(v for k, v in alone.rules.items() if k != "obscenity")
        assert held_by_rule < DEFAULT_HOLD_THRESHOLD
        fast_score = max(alone.categories["insult"], alone.categories["hate"])
        assert low <= fast_score < high
        # The sentence model may release a comment, never hold one the fast model did not.
        assert result.score == pytest.approx(
            min(fast_score, (fast_score + result.semantic) / 2), abs=1e-3)
        assert result.score <= alone.score + 1e-6
    assert 0 < asked < len(TEXTS)
    threat = scorer.score("I know where you live and I will hurt you.")
    assert threat.semantic is None and threat.score >= DEFAULT_HOLD_THRESHOLD


def test_one_comment_and_a_batch_are_judged_alike(scorer: LocalScorer) -> None:
    batch = scorer.score_batch(TEXTS)
    for text, together in zip(TEXTS, batch, strict=True):
        alone = scorer.score(text)
        assert together.score == pytest.approx(alone.score, abs=1e-4)
        assert (together.semantic is None) == (alone.semantic is None)


def test_a_long_comment_is_read_to_its_end_before_it_is_released(scorer: LocalScorer) -> None:
    opening = ("The council met on Tuesday evening to discuss the new ferry timetable, the "
               "parking rules near the terminal, the budget for the library and the repairs "
               "planned for the old bridge over the river this spring. ")
    text = opening + "You are so stupid it hurts. " * 14
    assert scorer.semantic is not None and len(scorer.semantic.windows(text)) > 1
    fast = LocalScorer(scorer.model).score(text)
    assert fast.score >= DEFAULT_HOLD_THRESHOLD
    result = scorer.score(text)
    # The insults after the civil opening are read: the comment stays held.
    assert result.semantic is not None and result.semantic >= 0.5
    assert result.score >= DEFAULT_HOLD_THRESHOLD


def test_a_model_that_declares_a_semantic_stage_it_lacks_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "artifacts"
    shutil.copytree(ARTIFACT_DIR, copy)
    (copy / MODEL_FILE).unlink()
    with pytest.raises(ArtifactError, match="semantic stage"):
        LocalScorer.from_directory(copy)


def test_a_damaged_semantic_stage_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "artifacts"
    shutil.copytree(ARTIFACT_DIR, copy)
    data = bytearray((copy / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ArtifactError):
        LocalScorer.from_directory(copy)


def test_the_fine_tune_cuts_a_comment_into_the_pieces_the_runtime_reads(
    scorer: LocalScorer,
) -> None:
    import json

    from townhall_lab.semantic import tokenizer_for

    assert scorer.semantic is not None
    pieces = json.loads((ARTIFACT_DIR / "semantic.json").read_text(encoding="utf-8"))["pieces"]
    lab = tokenizer_for([(piece, float(score)) for piece, score in pieces])
    for text in [*TEXTS, "Line one.\n\n  Line   two, Zyxwvutsrq!", "Député:\tconseil ＦＵＬＬ"]:
        assert [0, *lab.encode(text).ids, 2] == scorer.semantic.windows(text)[0], text

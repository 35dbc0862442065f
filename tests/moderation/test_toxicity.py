"""The committed toxicity model scores, explains and loads the way moderation relies on.

These tests load the committed artifact; none retrains. They run without a database.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import pickle
import shutil
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from townhall.moderation.toxicity import scorers
from townhall.moderation.toxicity.langdetect import detect_language
from townhall.moderation.toxicity.model import ArtifactError, ToxicityModel
from townhall.moderation.toxicity.normalize import fold_text
from townhall.moderation.toxicity.rules import rule_score
from townhall.moderation.toxicity.scorers import (
    ARTIFACT_DIR,
    DEFAULT_HOLD_THRESHOLD,
    DEFAULT_REJECT_THRESHOLD,
    HttpScorer,
    LocalScorer,
    ScorerUnavailable,
    get_default_scorer,
)

from townhall_lab.evaluate import perturb, roc_auc
from townhall_lab.newsset import DEFAULT_PATH as NEWS_PATH


@pytest.fixture(scope="module")
def scorer() -> LocalScorer:
    default = get_default_scorer()
    assert isinstance(default, LocalScorer)
    return default


# --- the model reproduces training ------------------------------------------------------


def test_numpy_scorer_reproduces_sklearn_decision_function(scorer: LocalScorer) -> None:
    references = scorer.model.metadata["reference_decisions"]
    assert len(references) >= 20
    for reference in references:
        row = scorer.model.language_index(reference["lang"])
        logits = scorer.model.logits([fold_text(reference["text"])], [row])[0]
        np.testing.assert_allclose(logits, reference["decision"], atol=1e-6, rtol=0)


def test_version_names_date_and_weights(scorer: LocalScorer) -> None:
    version = scorer.model_version
    assert version.startswith("th-tox-")
    _, _, date, digest = version.split("-")
    assert len(date) == 8 and date.isdigit()
    assert len(digest) == 8 and int(digest, 16) >= 0


# --- scoring ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "You are a f*cking idiot.",
        "you are an іdіоt and a l0ser",  # Cyrillic look-alikes and leet
        "shut up you m o r o n",
        "what a stuuuuupid piece of sh1t",
        "Ta gueule, espèce de c0nnard.",
        "t'es qu'une s@lope, va te faire f*utre",
    ],
)
def test_obfuscated_insults_score_above_the_hold_threshold(scorer: LocalScorer, text: str) -> None:
    assert scorer.score(text).score >= DEFAULT_HOLD_THRESHOLD


@pytest.mark.parametrize(
    "text",
    [
        "The gunman killed four people before police shot him, according to the prosecutor.",
        "My thoughts are with the families of those murdered in yesterday's terror attack.",
        "Why were there no armed officers at the station when the stabbing started?",
        "The war has already killed thousands of civilians; we need a ceasefire now.",
        "Les victimes de l'attentat ont été tuées par balle, selon la police.",
        "Pensées aux familles. Le meurtrier doit être jugé et condamné à perpétuité.",
    ],
)
def test_civil_comments_on_violent_news_stay_below_the_hold_threshold(
    scorer: LocalScorer, text: str
) -> None:
    assert scorer.score(text).score < DEFAULT_HOLD_THRESHOLD


def test_threats_are_held_by_rules_but_never_rejected_by_them(scorer: LocalScorer) -> None:
    result = scorer.score("I know where the judge lives. Watch your back.")
    assert result.score >= DEFAULT_HOLD_THRESHOLD
    assert result.categories["threat"] > 0.5
    assert (
        DEFAULT_REJECT_THRESHOLD is None or result.categories["insult"] < DEFAULT_REJECT_THRESHOLD
    )


def test_threat_and_dehumanisation_rules_never_fire_on_civil_news_rows() -> None:
    with NEWS_PATH.open(encoding="utf-8") as handle:
        civil = [row for row in csv.DictReader(handle) if row["label"] == "0"]
    assert civil
    assert not [row["text"] for row in civil if rule_score(fold_text(row["text"]), row["lang"])]


def test_spans_point_at_the_offending_words_in_the_original_text(scorer: LocalScorer) -> None:
    text = "Honestly, you are a f*cking іdіоt."
    result = scorer.score(text)
    assert result.spans, "an insult must come with spans"
    assert len(result.spans) <= 8
    for span in result.spans:
        assert text[span.start : span.end] == span.text
    weights = [span.weight for span in result.spans]
    assert weights == sorted(weights, reverse=True)
    # The insult, not the swearing: obscenity is the word list's to highlight (and hold).
    assert result.spans[0].text == "іdіоt"


def test_spans_cover_spaced_out_words_whole(scorer: LocalScorer) -> None:
    text = "you are an i d i o t"
    result = scorer.score(text)
    assert result.spans[0].text == "i d i o t"


def test_result_carries_language_version_and_bounded_categories(scorer: LocalScorer) -> None:
    result = scorer.score("Tous les journalistes sont des menteurs, bande d'abrutis.")
    assert result.language == "fr"
    assert result.model_version == scorer.model_version
    assert 0.0 <= result.score <= 1.0
    assert set(result.categories) == {"insult", "hate", "threat", "obscenity", "spam"}
    assert all(0.0 <= value <= 1.0 for value in result.categories.values())


def test_batch_scores_match_single_scores(scorer: LocalScorer) -> None:
    texts = [
        "You are a f*cking idiot.",
        "Merci pour cet article.",
        "",
        "Thoughts with the victims.",
    ]
    batch = scorer.score_batch(texts)
    for text, result in zip(texts, batch, strict=True):
        assert result.score == pytest.approx(scorer.score(text).score, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_score_between_zero_and_one(text: str) -> None:
    result = get_default_scorer().score(text)
    assert 0.0 <= result.score <= 1.0
    assert result.language in {"en", "fr"}


# --- language ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je ne comprends pas pourquoi la police n'est pas intervenue plus tôt.", "fr"),
        ("c'est qui ce bouffon", "fr"),
        ("ferme ta gueule connard", "fr"),
        ("I don't understand why the police didn't step in sooner.", "en"),
        ("shut up you idiot", "en"),
    ],
)
def test_language_is_detected_per_comment(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_language_hint_settles_comments_with_no_evidence() -> None:
    assert detect_language("Macron !!!", hint="fr") == "fr"
    assert detect_language("Macron !!!") == "en"
    assert detect_language("The police did nothing and that is a scandal.", hint="fr") == "en"


# --- loading ----------------------------------------------------------------------------


def _copy_artifact(tmp_path: Path) -> Path:
    target = tmp_path / "artifact"
    shutil.copytree(ARTIFACT_DIR, target)
    return target


def test_loading_rejects_arrays_that_do_not_match_their_hash(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    arrays = artifact / "model.npz"
    data = bytearray(arrays.read_bytes())
    data[len(data) // 2] ^= 0xFF
    arrays.write_bytes(bytes(data))
    with pytest.raises(ArtifactError, match="hash"):
        ToxicityModel.load(artifact)


def test_loading_rejects_a_pickled_array_even_with_a_matching_hash(tmp_path: Path) -> None:
    artifact = _copy_artifact(tmp_path)
    arrays = artifact / "model.npz"
    with zipfile.ZipFile(ARTIFACT_DIR / "model.npz") as source:
        members = {name: source.read(name) for name in source.namelist()}
    pickled = io.BytesIO()
    np.lib.format.write_array(pickled, np.array([object()], dtype=object), allow_pickle=True)
    members["intercept.npy"] = pickled.getvalue()
    with zipfile.ZipFile(arrays, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    metadata = json.loads((artifact / "model.json").read_text())
    metadata["arrays_sha256"] = hashlib.sha256(arrays.read_bytes()).hexdigest()
    (artifact / "model.json").write_text(json.dumps(metadata))
    with pytest.raises(ArtifactError, match="cannot read arrays"):
        ToxicityModel.load(artifact)


def test_loading_never_unpickles(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("pickle used while loading the model")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    model = ToxicityModel.load(ARTIFACT_DIR)
    assert model.n_cols > 0


def test_artifact_is_small_and_plain(scorer: LocalScorer) -> None:
    # Issue 16's budget: 60 MB in all, the semantic stage's ONNX file included.
    assert sum(p.stat().st_size for p in ARTIFACT_DIR.iterdir()) <= 60 * 1000 * 1000
    with np.load(ARTIFACT_DIR / "model.npz", allow_pickle=False) as archive:
        assert all(archive[name].dtype.kind in "uif" for name in archive.files)


def test_default_scorer_loads_once_even_when_threads_race(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scorers, "_default_scorer", None)
    seen: list[object] = []
    barrier = threading.Barrier(8)

    def load() -> None:
        barrier.wait()
        seen.append(get_default_scorer())

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 8
    assert all(instance is seen[0] for instance in seen)


# --- the news-context set ---------------------------------------------------------------


def test_news_context_eval_split_has_enough_rows_in_both_languages() -> None:
    with NEWS_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    evaluation = [row for row in rows if row["split"] == "eval"]
    assert sum(row["label"] == "0" for row in evaluation) >= 300
    assert sum(row["label"] == "1" for row in evaluation) >= 300
    for language in ("en", "fr"):
        assert sum(row["lang"] == language for row in evaluation) >= 250
    splits_of_template: dict[str, set[str]] = {}
    for row in rows:
        splits_of_template.setdefault(row["template"], set()).add(row["split"])
    assert all(len(splits) == 1 for splits in splits_of_template.values())


# --- evaluation helpers -----------------------------------------------------------------


def test_roc_auc_handles_ties_and_perfect_ranking() -> None:
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([0, 1], [0.5, 0.5]) == 0.5
    assert roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75


def test_perturbation_disguises_target_words_deterministically() -> None:
    import random

    first = perturb("you stupid idiot, read the article", random.Random(1))
    second = perturb("you stupid idiot, read the article", random.Random(1))
    assert first == second
    assert "stupid" not in first and "idiot" not in first


# --- the external scorer ----------------------------------------------------------------

SECRET = b"test-secret"


class _Verdicts(BaseHTTPRequestHandler):
    mode = "ok"
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        header = self.headers["X-Townhall-Signature"]
        parts = dict(part.split("=", 1) for part in header.split(","))
        expected = hmac.new(SECRET, f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
        payload = json.loads(body)
        _Verdicts.received.append(
            {"payload": payload, "valid": hmac.compare_digest(expected, parts["v1"])}
        )
        if self.mode == "slow":
            threading.Event().wait(1.0)
        status, answer = (
            200,
            {
                "score": 0.87,
                "categories": {"insult": 0.87},
                "spans": [{"start": 0, "end": 5, "weight": 1.5}],
                "model_version": "remote-3",
            },
        )
        if self.mode == "error":
            status, answer = 503, {"error": "down"}
        elif self.mode == "malformed":
            answer = {"verdict": "bad"}
        encoded = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(encoded)))
        self.end_headers()
        self.wfile.write(encoded)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def verdict_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Verdicts)
    _Verdicts.received = []
    _Verdicts.mode = "ok"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/score"
    server.shutdown()
    server.server_close()


def test_http_scorer_signs_its_request_and_returns_the_verdict(verdict_server: str) -> None:
    remote = HttpScorer(url=verdict_server, secret=SECRET, fail_policy="hold")
    result = remote.score("Idiot, read the article.", language_hint="en")
    assert result.score == 0.87
    assert result.spans[0].text == "Idiot"
    assert result.model_version == "remote-3"
    assert _Verdicts.received == [
        {"payload": {"text": "Idiot, read the article.", "language": "en"}, "valid": True}
    ]


@pytest.mark.parametrize("mode", ["error", "malformed", "slow"])
def test_http_scorer_failures_raise_unavailable(verdict_server: str, mode: str) -> None:
    _Verdicts.mode = mode
    remote = HttpScorer(url=verdict_server, secret=SECRET, fail_policy="allow", timeout=0.3)
    with pytest.raises(ScorerUnavailable):
        remote.score("hello")


def test_http_scorer_unreachable_service_raises_unavailable() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Verdicts)
    port = server.server_address[1]
    server.server_close()
    remote = HttpScorer(url=f"http://127.0.0.1:{port}/", secret=SECRET, fail_policy="hold")
    with pytest.raises(ScorerUnavailable):
        remote.score("hello")


def test_http_scorer_requires_an_explicit_fail_policy() -> None:
    with pytest.raises(ValueError, match="fail_policy"):
        HttpScorer(url="http://127.0.0.1:9/", secret=SECRET, fail_policy="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="url"):
        HttpScorer(url="file:///etc/passwd", secret=SECRET, fail_policy="hold")


# --- threshold choice -------------------------------------------------------------------


def test_hold_line_lets_through_at_most_the_allowed_share_of_civil_comments() -> None:
    from townhall_lab.train import choose_hold_logit, fit_slope

    civil = np.array([-3.0, -2.0, -1.0, 0.0, 0.5, 2.5])
    abusive = np.array([1.0, 2.0, 3.0, 4.0])
    strict = choose_hold_logit(civil, abusive, max_civil_share=0.0)
    assert 2.5 < strict < 3.0
    lenient = choose_hold_logit(civil, abusive, max_civil_share=0.2)
    assert 0.5 < lenient < 1.0
    slope = fit_slope(np.concatenate([civil, abusive]), np.array([0] * 6 + [1] * 4), lenient)
    assert slope > 0


# --- hold rules written from the labelling policy ---------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Good riddance, the lot of them had it coming.", "en"),
        ("Glad he's dead, serves him right.", "en"),
        ("Bon débarras, ils l'ont bien cherché.", "fr"),
        ("Migrants are all criminals and everyone knows it.", "en"),
        ("Ces étrangers, voleurs et menteurs, il faut les surveiller.", "fr"),
        ("Les immigrés sont des délinquants.", "fr"),
        ("Give me five minutes alone with the suspect and a baseball bat.", "en"),
        ("Quel bouffon ce journaliste.", "fr"),
        # threats that name no "you" and carry no insult
        ("We are going to stab that judge when he leaves court.", "en"),
        ("The senator won't live to see next spring.", "en"),
        ("People know where the editor works. Just saying.", "en"),
        ("Would be a shame if something happened to the anchor's kids.", "en"),
        ("Time to torch their synagogue, all of it.", "en"),
        ("On va poignarder ce juge à la sortie du tribunal.", "fr"),
        ("Nous savons où travaille la rédactrice.", "fr"),
        ("Il faudrait incendier leur mosquée.", "fr"),
        # hate without a slur: derogation, conspiracy, elimination
        ("Honestly I despise Somalis.", "en"),
        ("Jews own the media, everybody knows.", "en"),
        ("Exterminate the gypsies, every last one.", "en"),
        ("Je hais les Maghrébins.", "fr"),
        ("Les juifs dirigent le gouvernement.", "fr"),
        ("Il faut expulser tous les étrangers.", "fr"),
        # conjugated, elided and sentence-spanning French, and veiled warnings
        ("Qu'on expulse tous les Roms et on n'en parlera plus.", "fr"),
        ("Les Tamouls, les juifs, peu importe : ils ne sont pas des humains comme nous.", "fr"),
        ("Les réfugiés n'ont rien à faire dans ce quartier. C'est de la vermine.", "fr"),
        ("Il est temps de prendre les armes et d'incendier la synagogue.", "fr"),
        ("On saura où habite ce chroniqueur, il verra.", "fr"),
        ("Ce ne sera pas un avertissement la prochaine fois, dites-le au maire.", "fr"),
        ("Les musulmanes veulent nous remplacer, ouvrez les yeux.", "fr"),
        ("Les juifs contrôlent en secret la finance.", "fr"),
        ("Les homosexuels sont répugnants.", "fr"),
        ("Encore un de ces sales migrants.", "fr"),
        ("Ce conseiller est trop bête pour comprendre un budget.", "fr"),
        ("Keep posting this and you'll end up like him.", "en"),
        ("Refugees are not even human.", "en"),
        ("Immigrants are trying to replace us.", "en"),
        ("I'll break the councillor's arms.", "en"),
        ("Glad he's gone. Hope the rest of them die too.", "en"),
        ("Get to the temple at noon with rifles and finish the job.", "en"),
        ("Pakistanis should go home. They're parasites, all of them.", "en"),
        ("The town would be better off if the Roma just vanished.", "en"),
        ("Gays are deviants, keep them out of schools.", "en"),
        ("Girls like that deserve whatever happens to them.", "en"),
        # the review's evasions: a reported phrase the comment agrees with, one's own hatred,
        # an unclosed quote, "when you are…", a clause after "but"
        ("Someone said that Muslims are vermin and they're not wrong.", "en"),
        ("Mon père a dit que les Arabes sont des voleurs. On va me traiter de raciste.", "fr"),
        ("I feel nothing but hatred towards Muslims, they're parasites.", "en"),
        ("Honestly, 'immigrants are rats and always will be.", "en"),
        ("Quand on est un débile pareil on ne commente pas.", "fr"),
        ("I was an idiot like you once.", "en"),
        ("Migrants? I'm not racist, but they are vermin.", "en"),
        ("Les migrants ne sont pas des gens, c'est de la vermine.", "fr"),
        ("Wow, the harbour is crawling with Somalis now. Disgusting parasites.", "en"),
        ("Il faut saccager la synagogue.", "fr"),
        ("Nous savons où travaillent ta femme et toi.", "fr"),
        ("J'espère qu'ils meurent tous.", "fr"),
        ("Les Arabes, c'est ce qu'il y a de pire.", "fr"),
        ("We'd be better off if all the Muslims disappeared.", "en"),
        ("Sérieux ? Qu'on expulse tous les immigrés.", "fr"),
        ("Alors crève dans un fossé, déchet.", "fr"),
        ("Faut vraiment être un déchet pour accuser les victimes.", "fr"),
        # the writer's own call, whatever verb carries it
        ("I want to deport all Muslims.", "en"),
        ("Je veux expulser tous les Arabes.", "fr"),
        ("Deport all the Somalis, every one of them.", "en"),
    ],
)
def test_policy_rules_hold_celebration_generalisation_threats_and_insults(
    scorer: LocalScorer, text: str, language: str
) -> None:
    assert rule_score(fold_text(text), language) > 0
    assert scorer.score(text, language_hint=language).score >= DEFAULT_HOLD_THRESHOLD


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Migrants are not criminals; the attacker was born here.", "en"),
        ("Les immigrés ne sont pas des délinquants, arrêtez les amalgames.", "fr"),
        ("Muslims in the city condemned the terrorists and held a vigil.", "en"),
        ("The killer is a monster and I hope he never walks free.", "en"),
        ("Il y a un mort de moins que prévu, selon la préfecture.", "fr"),
        # ordinary talk with the same verbs and nouns
        ("We are going to kill the bill in committee next week.", "en"),
        ("I'm going to hurt my back carrying all these boxes.", "en"),
        ("I won't see the end of this series, it is far too long.", "en"),
        ("Police will storm the building if the talks fail.", "en"),
        ("The mosque was attacked last year and volunteers now guard it.", "en"),
        ("Muslims run the food bank on Elm Street.", "en"),
        ("I hate black dresses, they look grim at weddings.", "en"),
        ("Canada should not deport refugees to war zones.", "en"),
        ("Please stop saying all Muslims are terrorists.", "en"),
        ("Saying \"Jews control the banks\" is an old antisemitic lie.", "en"),
        ("Je vais tuer le temps à la bibliothèque.", "fr"),
        ("Il ne faut pas expulser les réfugiés.", "fr"),
        ("Dire que « les Roms sont des voleurs » est ignoble.", "fr"),
        # "retard" is a delay in French; an insult turned on oneself or said of an act
        ("Encore un retard de vingt minutes sur la ligne 2.", "fr"),
        ("Je suis un idiot, j'ai oublié mon parapluie.", "fr"),
        ("C'était idiot de construire le pont à cet endroit.", "fr"),
        ("Am I an idiot for still trusting the bus schedule?", "en"),
        ("I felt like an idiot, I was the only one in a suit.", "en"),
        ("I'm the biggest idiot, I left the keys in the car.", "en"),
        ("Je suis le pire des abrutis, j'ai raté le bus.", "fr"),
        ("Un salaire minable pour un travail pareil.", "fr"),
        # someone else's hate, reported and condemned, or named as what should go
        ("Someone wrote that refugees are animals. That is disgusting.", "en"),
        ("Quelqu'un a écrit ici que les juifs sont des rats. C'est honteux.", "fr"),
        ("Comments attacking Muslims should be removed.", "en"),
        ("Saying 'immigrants are vermin' has no place here.", "en"),
        # news and history with the same words
        ("Les nazis ont déporté des juifs de cette gare en 1942.", "fr"),
        ("La France expulse des migrants vers l'Italie, selon le journal.", "fr"),
        ("You are next, said the nurse, and I went in.", "en"),
        ("This is your last warning before the road closes for winter.", "en"),
        ("Hot sale: women's boots half price.", "en"),
        ("Les rebelles ont pris les armes en 1837.", "fr"),
        ("Refugees are welcome here. They're not vermin, whatever the posters say.", "en"),
        ("Nobody is better off if the factory workers vanished from the census.", "en"),
        # the review's civil sentences that the first draft of these rules held
        ("Liverpool beat Chelsea 3-0 on Saturday. Arsenal, you're next!", "en"),
        ("Keep it up and you'll end up like Messi!", "en"),
        ("Next time it won't be a warning, it will be a £100 fine, the council said.", "en"),
        ("Pour les récidivistes, ce ne sera plus un avertissement mais une amende.", "fr"),
        ("I hope all of these fires die down before the weekend.", "en"),
        ("J'espère que les autres ne meurent pas de faim cet hiver.", "fr"),
        ("Grâce au recensement, on sait où travaillent les habitants de la région.", "fr"),
        ("Il ne faut pas prendre les armes, il faut voter.", "fr"),
        ("Il est inacceptable qu'on veuille attaquer la mosquée de notre ville.", "fr"),
        ("Il est temps de cesser d'incendier les églises.", "fr"),
        ("Women are not human incubators.", "en"),
        ("Une infestation de gale touche les réfugiés de Calais.", "fr"),
        ("Immigrants are not the problem. Rats in the council flats are.", "en"),
        ("Economists say migrants will replace our retiring nurses.", "en"),
        ("Les robots chinois nous remplacent à l'usine.", "fr"),
        ("The 'great replacement' is a conspiracy theory claiming Muslims want to replace "
         "Europeans.", "en"),
        ("Le club irait mieux si les Chinois partaient.", "fr"),
        ("C'est scandaleux qu'on expulse des réfugiés vers la guerre.", "fr"),
        ("Pour les réfugiés, c'était le pire hiver depuis des années.", "fr"),
        ("The bake sale migrants organised at the church raised 500 pounds.", "en"),
        ("Nobody deserves whatever happens to them in those camps.", "en"),
        ("Personne ne mérite ce qui leur arrive.", "fr"),
        ("Le PSG a décroché une minable victoire 1-0.", "fr"),
        ("Ce film est trop bête pour faire rire.", "fr"),
        ("I'm going to break my neck on these icy pavements.", "en"),
        ("La collecte des déchets reprend lundi.", "fr"),
        ("Les camps sauvages de migrants à Calais ont été évacués.", "fr"),
        # immigration policy and history, told as news
        ("The plan to deport migrants to Rwanda is cruel.", "en"),
        ("The Nazis began to deport Jews in 1941.", "en"),
        ("They voted to remove the refugees from the hotel.", "en"),
        ("Le préfet a décidé d'expulser les migrants du campement.", "fr"),
        ("Le gouvernement veut expulser les migrants vers l'Italie.", "fr"),
    ],
)
def test_policy_rules_leave_negations_and_condemnation_alone(text: str, language: str) -> None:
    assert rule_score(fold_text(text), language) == 0

"""The French catalogue is complete, compiled from its current text, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

import townhall
from townhall.accounts.names.messages import MESSAGES, french_messages

LC_MESSAGES = Path(townhall.__file__).parent / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]")
# The pages' catalogue and the widget's (djangojs, whose strings name {placeholders}).
DOMAINS = ["django", "djangojs"]
PLACEHOLDERS = {"django": PLACEHOLDER, "djangojs": re.compile(r"\{\w+\}")}


def _po_entries(domain: str = "django") -> list[dict[str, Any]]:
    """Read a .po file into entries: flags, msgctxt, msgid, msgid_plural, msgstr by index."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    field: tuple[str, int] = ("", 0)
    po = LC_MESSAGES / f"{domain}.po"
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid": "", "msgid_plural": None,
                     "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text
            else:
                entry[field[0]] += text
        else:
            match = re.fullmatch(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d)\])? (\".*\")",
                                 line)
            assert match, f"unreadable line in {po.name}: {line!r}"
            keyword, index, text = match.group(1), int(match.group(2) or 0), match.group(3)
            field = (keyword, index)
            if keyword == "msgstr":
                entry["msgstr"][index] = ast.literal_eval(text)
            else:
                entry[keyword] = ast.literal_eval(text)
    return entries


def _messages(domain: str = "django") -> list[dict[str, Any]]:
    return [e for e in _po_entries(domain) if e["msgid"] and not e["obsolete"]]


@pytest.mark.parametrize(("domain", "least"), [("django", 500), ("djangojs", 100)])
def test_the_catalogue_has_hundreds_of_entries_and_french_plural_forms(
        domain: str, least: int) -> None:
    header = next(e for e in _po_entries(domain) if e["msgid"] == "")
    assert "fuzzy" not in header["flags"], "a fuzzy header is ignored, plural rules with it"
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header["msgstr"][0]
    assert "Language: fr" in header["msgstr"][0]
    assert len(_messages(domain)) > least


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated_and_none_is_fuzzy(domain: str) -> None:
    untranslated = [e["msgid"] for e in _messages(domain)
                    if not all(e["msgstr"].values()) or len(e["msgstr"]) < (
                        2 if e["msgid_plural"] is not None else 1)]
    fuzzy = [e["msgid"] for e in _po_entries(domain) if "fuzzy" in e["flags"]]
    obsolete = [e["msgid"] for e in _po_entries(domain) if e["obsolete"]]
    assert untranslated == [] and fuzzy == [] and obsolete == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder_of_the_english(domain: str) -> None:
    placeholder = PLACEHOLDERS[domain]
    for entry in _messages(domain):
        for index, text in entry["msgstr"].items():
            source = entry["msgid_plural"] if index and entry["msgid_plural"] else entry["msgid"]
            assert sorted(set(placeholder.findall(text))) == sorted(
                set(placeholder.findall(source))), entry["msgid"]
            assert source.endswith("\n") == text.endswith("\n"), entry["msgid"]


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_the_po_file(domain: str) -> None:
    with (LC_MESSAGES / f"{domain}.mo").open("rb") as handle:
        compiled: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[Any, str] = {}
    for entry in _messages(domain):
        key = entry["msgid"] if entry["msgctxt"] is None else (
            f"{entry['msgctxt']}\x04{entry['msgid']}")
        if entry["msgid_plural"] is None:
            expected[key] = entry["msgstr"][0]
        else:
            expected.update({(key, i): text for i, text in entry["msgstr"].items()})
    compiled.pop("", None)
    assert compiled == expected, (
        f"{domain}.mo is stale: run `make messages` and commit both files")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("domain", DOMAINS)
def test_msgfmt_accepts_the_catalogue_with_format_checks(tmp_path: Path, domain: str) -> None:
    po = LC_MESSAGES / f"{domain}.po"
    done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / f"{domain}.mo"), str(po)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_key_interface_strings_come_back_in_french() -> None:
    with translation.override("fr"):
        assert _("Sign in") == "Se connecter"
        assert _("Sign out") == "Se déconnecter"
        assert _("Email address") == "Adresse courriel"
        assert _("Submission Guidelines") == "Lignes directrices de participation"
        assert _("Moderator") == "Modérateur"
        assert _("Comments are closed on this story.") == (
            "Les commentaires sont fermés pour cet article.")
        assert pgettext("comment status", "Rejected") == "Rejeté"
        assert _("Rejected") == "Rejetés"
        assert _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": 30} == (
            "Trop de requêtes. Réessayez dans 30 secondes.")
        counted = [ngettext("%(n)s comment", "%(n)s comments", n) % {"n": n} for n in (0, 1, 2)]
        assert counted == ["0 commentaire", "1 commentaire", "2 commentaires"]
    with translation.override("en"):
        assert _("Sign in") == "Sign in"


def test_name_policy_messages_use_the_name_engineers_french() -> None:
    french = french_messages()
    with translation.override("fr"):
        assert {str(message) for message in MESSAGES.values()} == set(french.values())


@pytest.mark.django_db
def test_signed_out_french_reader_gets_the_french_sign_in_page() -> None:
    page = Client().get("/accounts/?lang=fr", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="fr">' in html
    assert "Se connecter" in html and "Mot de passe" in html and "Password" not in html

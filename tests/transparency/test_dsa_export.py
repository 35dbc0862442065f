"""`townhall export-statements` writes statements of reasons in the DSA Transparency
Database's submission format: valid against the schema in docs/schemas/, with no email,
name, IP, comment text or moderator's note."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from townhall.stories.models import Site

from tests.conftest import Api, make_account, make_site, make_staff, make_story, token_for

SCHEMA = Path(__file__).resolve().parents[2] / "docs/schemas/dsa-statement-of-reasons.schema.json"
TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool}


def violations(value: Any, schema: dict[str, Any], root: dict[str, Any],
               where: str = "$") -> list[str]:
    """Check `value` against the subset of JSON Schema the committed schema uses ($ref, type,
    enum, const, required, properties, additionalProperties, items, min/max items and length,
    pattern, allOf with if/then); jsonschema is not a dependency."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return violations(value, target, root, where)
    found: list[str] = []
    kind = schema.get("type")
    if kind and not isinstance(value, TYPES[kind]):
        return [f"{where}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in enum")
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: not {schema['const']!r}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", 10**9) or len(value) < schema.get("minLength", 0):
            found.append(f"{where}: bad length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: does not match {schema['pattern']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 10**9):
            found.append(f"{where}: bad item count")
        for i, item in enumerate(value):
            found += violations(item, schema.get("items", {}), root, f"{where}[{i}]")
    if isinstance(value, dict):
        found += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                found += violations(item, properties[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: unexpected {key}")
        for rule in schema.get("allOf", []):
            if "if" in rule and not violations(value, rule["if"], root, where):
                found += violations(value, rule["then"], root, where)
    return found


def export(**options: Any) -> dict[str, Any]:
    out = io.StringIO()
    call_command("export_statements", stdout=out, **options)
    return json.loads(out.getvalue())


@pytest.fixture
def decided(db: None) -> dict[str, Any]:
    """Two sites; on `daily` one comment held by the model and rejected by a moderator with a
    note naming someone, one rejected by a word rule, one published."""
    site, _key = make_site()
    make_story(site, "s1")
    make_story(make_site("weekly")[0], "w1")
    moderator = Api(token_for(make_staff(sites=[site], first_name="Morgan",
                                         last_name="Quill")))
    moderator.post("moderation/sites/daily/words",
                   {"phrase": "bridgetroll", "action": "block", "guideline": "spam"})
    author = make_account(first_name="Ines", last_name="Lachance",
                          email_address="ines.lachance@example.org")
    client = Api(token_for(author))
    path = "sites/daily/stories/s1/comments"
    held = client.post(path, {"body": "Only an idiot would build it.", "accept_terms": True},
                       **{"X-Forwarded-For": "203.0.113.77"}).json()
    moderator.post(f"moderation/comments/{held['id']}/decisions",
                   {"action": "reject", "guideline": "unlawful",
                    "note": "Names Ines Lachance's neighbour."})
    client.post(path, {"body": "You bridgetroll.", "accept_terms": True})
    client.post(path, {"body": "A fine bridge.", "accept_terms": True})
    return {"site": site, "author": author, "held": held["id"]}


def test_the_export_validates_against_the_committed_schema(decided: dict[str, Any]) -> None:
    body = export(since="2000-01-01")
    schema = json.loads(SCHEMA.read_text())
    assert violations(body, schema, schema) == []
    assert len(body["statements"]) == 2
    law, rule = body["statements"]
    assert law["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert law["illegal_content_legal_ground"] == "Nothing unlawful"
    assert law["automated_detection"] == "No"  # the calm model let it through
    assert law["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert law["source_type"] == "SOURCE_VOLUNTARY" and law["content_type"] == ["CONTENT_TYPE_TEXT"]
    assert rule["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert rule["category"] == "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"
    assert rule["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert len({s["puid"] for s in body["statements"]}) == 2


def test_the_validator_catches_a_broken_statement(decided: dict[str, Any]) -> None:
    body = export(since="2000-01-01")
    schema = json.loads(SCHEMA.read_text())
    broken = dict(body["statements"][0], automated_detection="maybe")
    del broken["puid"]
    assert len(violations({"statements": [broken]}, schema, schema)) == 2


def test_the_export_holds_no_email_name_ip_text_or_note(decided: dict[str, Any],
                                                       settings: Any) -> None:
    settings.PUBLIC_URL = "https://comments.example"
    text = json.dumps(export(since="2000-01-01"), ensure_ascii=False)
    for personal in ("@", "Ines", "Lachance", "Morgan", "Quill", "203.0.113", "idiot",
                     "bridgetroll", "neighbour"):
        assert personal not in text, personal
    assert not re.search(r"\b\d{1,3}(\.\d{1,3}){3}\b", text)


def test_the_export_keeps_to_the_date_and_the_site(decided: dict[str, Any]) -> None:
    assert len(export(since="2000-01-01", site="daily")["statements"]) == 2
    assert export(since="2000-01-01", site="weekly")["statements"] == []
    assert export(since="2999-01-01")["statements"] == []
    with pytest.raises(CommandError):
        export(since="yesterday")
    with pytest.raises(CommandError):
        export(since="2000-01-01", site="nowhere")


def test_the_cli_spells_the_command_with_a_hyphen(decided: dict[str, Any], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from townhall import cli

    target = tmp_path / "statements.json"
    cli.main(["townhall", "export-statements", "--since", "2000-01-01", "--site", "daily",
              "--output", str(target)])
    assert len(json.loads(target.read_text())["statements"]) == 2
    site: Site = decided["site"]
    assert site.name == "daily"

"""Townhall's own backup format: a whole installation as JSON lines.

The first line is a header (`{"format": "townhall-jsonl", "version": 1, …}`); every other
line is one row: `{"model": "comments.comment", "pk": 7, "fields": {…}}`, models ordered so
that a row comes after the rows it refers to, and rows by primary key. The file holds
password hashes and token digests (so that people can still sign in after a restore):
it is written readable by its owner only, and must be kept like the database itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from townhall.core import clock

if TYPE_CHECKING:
    from townhall.stories.models import Site

FORMAT = "townhall-jsonl"
VERSION = 1
NEEDS_SITE = False


class ImportRefused(ValueError):
    """The file cannot be imported here (wrong format, or the database is not empty)."""


class _ExactEncoder(DjangoJSONEncoder):
    """Keep datetimes to the microsecond (Django's encoder cuts them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def installation_models() -> list[type[models.Model]]:
    """Return Townhall's concrete models, each after the models it refers to."""
    found = [
        model for config in apps.get_app_configs() if config.name.startswith("townhall.")
        for model in config.get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    found.sort(key=lambda m: m._meta.label_lower)
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()

    def place(model: type[models.Model], path: tuple[type[models.Model], ...]) -> None:
        if model in placed or model in path:
            return
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            refers = field.concrete and (field.many_to_one or field.one_to_one)
            if refers and isinstance(target, type) and target in found and target is not model:
                place(target, (*path, model))
        placed.add(model)
        ordered.append(model)

    for model in found:
        place(model, ())
    return ordered


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    queryset = model._default_manager.order_by("pk")
    for row in queryset.iterator(chunk_size=2000):
        yield from serializers.serialize("python", [row])


def export_installation(stream: TextIO) -> dict[str, int]:
    """Write every row of the installation to `stream`; return the rows written per model."""
    counts: dict[str, int] = {}
    header = {"format": FORMAT, "version": VERSION, "exported_at": clock.now().isoformat(),
              "models": [m._meta.label_lower for m in installation_models()]}
    stream.write(json.dumps(header) + "\n")
    with transaction.atomic():  # one consistent snapshot
        for model in installation_models():
            label = model._meta.label_lower
            counts[label] = 0
            for row in _rows(model):
                stream.write(json.dumps(row, cls=_ExactEncoder, ensure_ascii=False,
                                        sort_keys=True) + "\n")
                counts[label] += 1
    return counts


def export_file(path: Path) -> dict[str, int]:
    """Write the installation to a file readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        return export_installation(stream)


def import_stream(stream: TextIO) -> dict[str, int]:
    """Load an export into an empty installation, in one transaction; return rows per model."""
    first = stream.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        raise ImportRefused("line 1: not a Townhall export (no JSON header)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportRefused("line 1: not a Townhall export")
    if header.get("version") != VERSION:
        raise ImportRefused(f"line 1: export version {header.get('version')!r} is not supported")
    known = {m._meta.label_lower: m for m in installation_models()}
    counts: dict[str, int] = {}
    with transaction.atomic():
        for label in ("accounts.account", "stories.site"):
            if known[label]._default_manager.exists():
                raise ImportRefused(
                    f"the database already holds {known[label]._meta.verbose_name_plural}; "
                    "import into a fresh installation (townhall migrate on an empty database)")
        # Without accounts and sites, what is left is bookkeeping a fresh installation made
        # for itself (task schedules…): the export's rows replace it.
        for model in reversed(list(known.values())):
            model._default_manager.all().delete()
        for number, line in enumerate(stream, start=2):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = row["model"]
            except (json.JSONDecodeError, TypeError, KeyError):
                raise ImportRefused(f"line {number}: not a row") from None
            if label not in known:
                raise ImportRefused(f"line {number}: unknown model {label!r}")
            try:
                for obj in serializers.deserialize("python", [row]):
                    obj.save()
            except Exception as error:
                raise ImportRefused(f"line {number}: {error}") from error
            counts[label] = counts.get(label, 0) + 1
        _reset_sequences(list(known.values()))
    return counts


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Move id sequences past the imported ids (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def import_file(path: Path, *, site: Site | None = None, stdout: Any = None
                ) -> dict[str, int]:
    """Import a Townhall export file (the `--site` option does not apply: it is all sites)."""
    with open(path, encoding="utf-8") as stream:
        counts = import_stream(stream)
    if stdout is not None:
        for label, count in counts.items():
            stdout.write(f"{label}: {count}\n")
    return counts

"""`townhall export FILE`: write the whole installation as JSON lines (a backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from townhall.porting import townhall_jsonl


class Command(BaseCommand):
    help = ("Write the whole installation to FILE as JSON lines; restore it with "
            "`townhall import townhall FILE`. The file holds password hashes: keep it safe.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = townhall_jsonl.export_file(options["file"])
        self.stdout.write(f"Exported {sum(counts.values())} rows of {len(counts)} kinds "
                          f"to {options['file']}")

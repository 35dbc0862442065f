"""Own moving data in and out of Townhall: whole-installation backups and imports.

`townhall export FILE` writes the whole installation as JSON lines; `townhall import FORMAT
FILE [--site NAME]` reads a file in a named format. Each format is one module here that
provides `import_file(path, *, site, stdout) -> dict[str, int]` (counts of what it imported;
`stdout` is a writable stream for progress) and `NEEDS_SITE` (whether `--site` is
required); add new formats to `FORMATS`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from townhall.stories.models import Site

# Format name → module. Other systems (disqus, wordpress, isso…) add a line each.
FORMATS: dict[str, str] = {
    "townhall": "townhall.porting.townhall_jsonl",
    "disqus": "townhall.porting.disqus",
    "wordpress": "townhall.porting.wordpress",
    "isso": "townhall.porting.isso",
}


class ImportFormat(Protocol):
    NEEDS_SITE: bool

    def import_file(self, path: Path, *, site: Site | None, stdout: Any) -> dict[str, int]:
        ...


class UnknownFormat(LookupError):
    """No module reads this format."""


def importer(name: str) -> ImportFormat:
    """Return the module that imports the format `name`."""
    module_name = FORMATS.get(name)
    if module_name is None:
        raise UnknownFormat(name)
    module: ModuleType = importlib.import_module(module_name)
    return cast(Any, module)

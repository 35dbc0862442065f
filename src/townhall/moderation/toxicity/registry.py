"""Keep retrained models beside the committed one and say which one scores comments.

A model retrained with a site's moderator decisions is written to
``$TOWNHALL_DATA_DIR/models/<version>/`` and stays inactive until an admin runs
``townhall activate-model VERSION``, which writes the version into
``$TOWNHALL_DATA_DIR/models/ACTIVE``. :func:`active_artifact_dir` reads that pointer; with
no pointer (or ``activate-model builtin``) the committed artifact scores comments, and every
staged model stays on disk, so switching back is one command.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .model import ToxicityModel
from .semantic import SemanticStage

__all__ = [
    "BUILTIN",
    "activate",
    "active_artifact_dir",
    "active_version",
    "data_dir",
    "models_dir",
    "stage",
    "staged_versions",
]

BUILTIN = "builtin"
POINTER = "ACTIVE"
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def data_dir() -> Path | None:
    """Return the instance's data directory: Django's ``DATA_DIR``, else the environment's."""
    try:
        from django.conf import settings

        if settings.configured and getattr(settings, "DATA_DIR", None):
            return Path(settings.DATA_DIR)
    except ImportError:  # scoring works without Django (training, benchmarks)
        pass
    configured = os.environ.get("TOWNHALL_DATA_DIR")
    return Path(configured) if configured else None


def models_dir(root: Path | None = None) -> Path | None:
    """Return the directory that holds retrained models, or None without a data directory."""
    base = root if root is not None else data_dir()
    return base / "models" if base is not None else None


def _check_version(version: str) -> str:
    if not _VERSION_RE.match(version) or version == POINTER:
        raise ValueError(f"not a model version: {version!r}")
    return version


def stage(source: Path, version: str, root: Path | None = None) -> Path:
    """Move a freshly written artifact into ``models/<version>/`` and return that directory."""
    directory = models_dir(root)
    if directory is None:
        raise ValueError("no data directory: set TOWNHALL_DATA_DIR")
    target = directory / _check_version(version)
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), target)
    return target


def staged_versions(root: Path | None = None) -> list[str]:
    """Return the versions of every retrained model kept in the data directory."""
    directory = models_dir(root)
    if directory is None or not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if (p / "model.json").is_file())


def active_version(root: Path | None = None) -> str:
    """Return the version the pointer names, or :data:`BUILTIN`."""
    directory = models_dir(root)
    if directory is None:
        return BUILTIN
    try:
        version = (directory / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return BUILTIN
    return version or BUILTIN


def active_artifact_dir(builtin: Path, root: Path | None = None) -> Path:
    """Return the directory of the model that should score comments now."""
    version = active_version(root)
    directory = models_dir(root)
    if version == BUILTIN or directory is None:
        return builtin
    return directory / version


def activate(version: str, root: Path | None = None) -> str:
    """Point scoring at ``version`` (or :data:`BUILTIN`) after checking that it loads.

    Return the model version the scorer will report. The pointer is replaced atomically, so
    a process reading it mid-switch sees the old model or the new one, never half a name.
    """
    directory = models_dir(root)
    if directory is None:
        raise ValueError("no data directory: set TOWNHALL_DATA_DIR")
    if version == BUILTIN:
        loaded_version = BUILTIN
    else:
        target = directory / _check_version(version)
        if not (target / "model.json").is_file():
            known = ", ".join(staged_versions(root)) or "none"
            raise ValueError(f"no staged model {version!r} (staged: {known})")
        model = ToxicityModel.load(target)
        # The semantic stage must load too, or every process would fall back to the
        # committed model after the switch.
        SemanticStage.declared(target, model.metadata)
        loaded_version = model.version
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{POINTER}.tmp"
    temporary.write_text(version + "\n", encoding="utf-8")
    os.replace(temporary, directory / POINTER)
    return loaded_version

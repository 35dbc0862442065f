"""The `townhall` command: Townhall's own commands plus every Django management command."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a command: `townhall serve`, `townhall demo`, `townhall createsite NAME …`."""
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.config.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        # Commands are spelled with hyphens (`train-model`); Django modules use underscores.
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()

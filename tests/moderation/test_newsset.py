"""The committed news-context set is exactly what its generator writes (same seed)."""

from __future__ import annotations

from pathlib import Path

from townhall_lab import newsset


def test_the_generator_rewrites_the_committed_news_context_set_unchanged(tmp_path: Path) -> None:
    written = tmp_path / "news_context.csv"
    assert newsset.main([str(written)]) == 0
    assert written.read_bytes() == newsset.DEFAULT_PATH.read_bytes()

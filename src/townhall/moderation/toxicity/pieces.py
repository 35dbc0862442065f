"""The semantic stage's tokenizer: e5's SentencePiece pieces, run by ``tokenizers``.

One definition for the runtime (:mod:`townhall.moderation.toxicity.semantic`) and for the
fine-tune (``model/townhall_lab/semantic.py``), so that training reads a comment exactly as
serving does. The fine-tune runs in a PyTorch environment that cannot import the Django
project, so this module imports nothing of the project: the lab loads it by its path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["UNK", "tokenizer"]

#: The unknown piece's id (e5's special pieces keep ids 0 to 3 after pruning).
UNK = 3


def tokenizer(pieces: Sequence[tuple[str, float]]) -> Any:
    """Return a Unigram tokenizer over ``pieces`` (each a piece and its log-probability).

    Text is NFKC-normalised, every run of whitespace becomes one space, and each word starts
    with SentencePiece's "▁", as e5's own tokenizer reads it.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    built = Tokenizer(models.Unigram(list(pieces), unk_id=UNK, byte_fallback=False))
    built.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Strip()]
    )
    built.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    built.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return built

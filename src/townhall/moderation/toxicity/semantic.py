"""The semantic stage: a small multilingual encoder that reads the sentence, not its words.

Six layers of multilingual-e5-small, fine-tuned on Townhall's training rows (see
``model/townhall_lab/semantic.py``) and exported to ONNX with int8 weights. It scores only
the comments the fast model cannot clear confidently (the cascade in
:class:`~townhall.moderation.toxicity.scorers.LocalScorer`), one comment at a time on one
thread, through onnxruntime; its tokenizer is e5's SentencePiece vocabulary cut to the
pieces training used, run by the ``tokenizers`` library.

Files, beside the fast model's: ``semantic.onnx`` and ``semantic.json`` (the pieces with
their scores, the sequence length and the files' SHA-256).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from .model import ArtifactError

__all__ = ["SemanticStage"]

MODEL_FILE = "semantic.onnx"
VOCAB_FILE = "semantic.json"
#: e5's special pieces, at the same ids after pruning: begin, padding, end, unknown.
BOS, PAD, EOS, UNK = 0, 1, 2, 3


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class SemanticStage:
    """Score a comment's abusiveness as a logit, reading it whole."""

    def __init__(self, directory: Path) -> None:
        """Load the stage from ``directory``; :class:`ArtifactError` if it is damaged."""
        import onnxruntime
        from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers

        meta_path, model_path = directory / VOCAB_FILE, directory / MODEL_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ArtifactError(f"cannot read {meta_path}: {error}") from error
        if _digest(model_path) != meta.get("onnx_sha256"):
            raise ArtifactError(f"{model_path} does not match the digest in {meta_path}")
        pieces = [(str(piece), float(score)) for piece, score in meta["pieces"]]
        tokenizer = Tokenizer(models.Unigram(pieces, unk_id=UNK, byte_fallback=False))
        tokenizer.normalizer = normalizers.Sequence(
            [normalizers.NFKC(), normalizers.Replace(r"\s+", " "), normalizers.Strip()]
        )
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁",
                                                           prepend_scheme="always")
        tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
        self._tokenizer = tokenizer
        self.max_tokens = int(meta["max_tokens"])
        options = onnxruntime.SessionOptions()
        # One comment at a time, on the request's own thread: the server's other requests
        # keep the other cores.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.metadata: dict[str, Any] = {k: v for k, v in meta.items() if k != "pieces"}

    @staticmethod
    def present(directory: Path) -> bool:
        """Whether ``directory`` holds a semantic stage."""
        return (directory / MODEL_FILE).exists() and (directory / VOCAB_FILE).exists()

    def ids(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return padded token ids and the attention mask for ``texts``."""
        encoded = self._tokenizer.encode_batch(texts)
        rows = [[BOS, *e.ids[: self.max_tokens - 2], EOS] for e in encoded]
        width = max(len(row) for row in rows)
        ids = np.full((len(rows), width), PAD, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for index, row in enumerate(rows):
            ids[index, : len(row)] = row
            mask[index, : len(row)] = 1
        return ids, mask

    def logits(self, texts: list[str]) -> np.ndarray:
        """Return one abusiveness logit per text.

        Each text runs alone: int8 inference quantises activations over the whole input, so
        a comment scored beside others (and their padding) would not get the score it gets
        on its own, which is the one the product acts on.
        """
        out = np.zeros(len(texts))
        for index, text in enumerate(texts):
            ids, mask = self.ids([text])
            # A session serves several threads at once (onnxruntime's run is thread-safe).
            (value,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            out[index] = float(np.asarray(value).reshape(-1)[0])
        return out

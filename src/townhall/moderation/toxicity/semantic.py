"""The semantic stage: a small multilingual encoder that reads the sentence, not its words.

Six layers of multilingual-e5-small, fine-tuned on Townhall's training rows (see
``model/townhall_lab/semantic.py``) and exported to ONNX with 8-bit weights. It scores only
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
from .pieces import tokenizer

__all__ = ["SemanticStage"]

MODEL_FILE = "semantic.onnx"
VOCAB_FILE = "semantic.json"
#: e5's special pieces, at the same ids after pruning: begin, padding, end (unknown: 3).
BOS, PAD, EOS = 0, 1, 2


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class SemanticStage:
    """Score a comment's abusiveness as a logit, reading it whole."""

    def __init__(self, directory: Path) -> None:
        """Load the stage from ``directory``; :class:`ArtifactError` if it is damaged."""
        import onnxruntime

        meta_path, model_path = directory / VOCAB_FILE, directory / MODEL_FILE
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ArtifactError(f"cannot read {meta_path}: {error}") from error
        if _digest(model_path) != meta.get("onnx_sha256"):
            raise ArtifactError(f"{model_path} does not match the digest in {meta_path}")
        try:
            pieces = [(str(piece), float(score)) for piece, score in meta["pieces"]]
            self.max_tokens = int(meta["max_tokens"])
            self._tokenizer = tokenizer(pieces)
        except Exception as error:  # a missing key, a bad value, or the tokenizer's refusal
            raise ArtifactError(f"cannot read the pieces in {meta_path}: {error}") from error
        options = onnxruntime.SessionOptions()
        # One comment at a time, on the request's own thread: the server's other requests
        # keep the other cores.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        try:
            self._session = onnxruntime.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime's own exception types
            raise ArtifactError(f"onnxruntime cannot load {model_path}: {error}") from error
        self.metadata: dict[str, Any] = {k: v for k, v in meta.items() if k != "pieces"}

    @staticmethod
    def present(directory: Path) -> bool:
        """Whether ``directory`` holds a semantic stage."""
        return (directory / MODEL_FILE).exists() and (directory / VOCAB_FILE).exists()

    @classmethod
    def declared(cls, directory: Path, metadata: dict[str, Any]) -> SemanticStage | None:
        """Load the stage a model's ``metadata`` declares (``None`` when it declares none).

        A model calibrated with a stage and shipped without it is refused, not run without:
        its hold lines assume the second reading.
        """
        if not metadata.get("semantic"):
            return None
        if not cls.present(directory):
            raise ArtifactError(f"{directory} declares a semantic stage but does not hold it")
        return cls(directory)

    def windows(self, text: str) -> list[list[int]]:
        """Return ``text`` as token windows the model reads, each framed by begin and end.

        A comment longer than the model reads is cut into windows that overlap by a quarter,
        so that every word is read in some window.
        """
        pieces = self._tokenizer.encode(text).ids
        width = self.max_tokens - 2
        step = width - width // 4
        starts = range(0, max(len(pieces) - width, 0) + step, step)
        return [[BOS, *pieces[start : start + width], EOS] for start in starts]

    def logits(self, texts: list[str]) -> np.ndarray:
        """Return one abusiveness logit per text: that of its most abusive window.

        The stage may release a comment, so it must have read all of it: a civil opening
        cannot speak for the insults after it. Each window runs alone: int8 inference
        quantises activations over the whole input, so a comment scored beside others (and
        their padding) would not get the score it gets on its own.
        """
        out = np.zeros(len(texts))
        for index, text in enumerate(texts):
            values = []
            for window in self.windows(text):
                ids = np.array([window], dtype=np.int64)
                # A session serves several threads at once (onnxruntime's run is thread-safe).
                (value,) = self._session.run(
                    None, {"input_ids": ids, "attention_mask": np.ones_like(ids)}
                )
                values.append(float(np.asarray(value).reshape(-1)[0]))
            out[index] = max(values)
        return out

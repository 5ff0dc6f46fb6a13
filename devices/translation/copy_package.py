"""A real ``.argosmodel`` whose model copies its input: the translation simulator.

No package registry ships Argos weights, yet the whole path (install from a file, load with
CTranslate2, tokenize with SentencePiece, translate, pivot through English) must be exercised in
tests, benchmarks, demos and training without a network. This module builds a genuine package:
a SentencePiece vocabulary trained on a few sentences and a one-layer CTranslate2 Transformer
whose hand-set weights reproduce the source tokens one by one. Only the metadata says which
languages it "translates"; the text comes out unchanged.

How the copy works: token and position are one-hot in separate dimensions; every attention and
feed-forward block is zeroed except the decoder's cross-attention, whose queries and keys see only
the position dimensions (so decoder step ``t`` attends to source position ``t``) and whose values
carry the token dimensions, scaled to outweigh the previous token in the residual stream.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["build_copy_package"]

_MAX_POSITIONS = 256   # longest sentence (in pieces) the copy model reproduces, plus </s>
_SHARPNESS = 60.0      # query scale: makes the positional attention a hard choice
_COPY_GAIN = 8.0       # copied token outweighs the previous token left in the residual


def build_copy_package(out: Path, *, source: str, target: str, corpus: Iterable[str],
                       vocab_size: int = 120, version: str = "1.0") -> Path:
    """Write ``out`` (a ``.argosmodel`` zip) for ``source`` -> ``target`` and return it.

    Args:
        out: the file to write.
        source: ISO 639 code the package claims to translate from.
        target: ISO 639 code it claims to translate to.
        corpus: sentences the SentencePiece vocabulary is trained on (characters outside it
            become ``<unk>`` and are copied back by CTranslate2's ``replace_unknowns``).
        vocab_size: upper bound of the vocabulary (SentencePiece may use fewer).
        version: package version written in the metadata.
    """
    import sentencepiece as spm  # noqa: PLC0415 - heavy, only for building packages

    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory(prefix="kiosk-argos-") as tmp:
        root = Path(tmp) / name
        root.mkdir()
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(list(corpus)), model_writer=model, vocab_size=vocab_size,
            model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
            minloglevel=2, num_threads=1)
        (root / "sentencepiece.model").write_bytes(model.getvalue())
        processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
        (root / "model").mkdir()
        spec = _copy_model(pieces)
        spec.validate()  # type: ignore[attr-defined]
        spec.save(str(root / "model"))  # type: ignore[attr-defined]
        metadata = {"package_version": version, "argos_version": "1.9.0",
                    "from_code": source, "from_name": source, "to_code": target,
                    "to_name": target, "type": "translate", "languages": [],
                    "code": f"{source}_{target}"}
        (root / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
        (root / "README.md").write_text("Copy model built by the kiosk for tests and demos.\n",
                                        encoding="utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(tmp).as_posix())
        shutil.rmtree(root)
    return out


def _copy_model(pieces: Sequence[str]) -> object:
    from ctranslate2.specs import transformer_spec  # noqa: PLC0415

    vocab = len(pieces)
    dim = vocab + _MAX_POSITIONS
    spec = transformer_spec.TransformerSpec.from_config(1, 1, pre_norm=True)
    spec.config.add_source_eos = True   # the source ends in </s>, so the copy ends there too
    embeddings = np.zeros((vocab, dim), dtype=np.float32)
    embeddings[np.arange(vocab), np.arange(vocab)] = 1.0
    positions = np.zeros((_MAX_POSITIONS, dim), dtype=np.float32)
    positions[np.arange(_MAX_POSITIONS), vocab + np.arange(_MAX_POSITIONS)] = 1.0
    for part in (spec.encoder, spec.decoder):
        part.scale_embeddings = False
        part.position_encodings.encodings = positions
        part.layer_norm.gamma = np.ones(dim, dtype=np.float32)
        part.layer_norm.beta = np.zeros(dim, dtype=np.float32)
        layer = part.layer[0]
        _silence(layer.self_attention, dim)
        _silence_ffn(layer.ffn, dim)
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    _cross_attention(spec.decoder.layer[0].attention, vocab, dim)
    projection = np.zeros((vocab, dim), dtype=np.float32)
    projection[np.arange(vocab), np.arange(vocab)] = 1.0
    spec.decoder.projection.weight = projection
    spec.decoder.projection.bias = np.zeros(vocab, dtype=np.float32)
    spec.register_source_vocabulary(list(pieces))
    spec.register_target_vocabulary(list(pieces))
    return spec


def _norm(layer_norm: object, dim: int) -> None:
    layer_norm.gamma = np.ones(dim, dtype=np.float32)  # type: ignore[attr-defined]
    layer_norm.beta = np.zeros(dim, dtype=np.float32)  # type: ignore[attr-defined]


def _silence(attention: object, dim: int) -> None:
    """Self-attention that adds nothing to the residual stream."""
    _norm(attention.layer_norm, dim)  # type: ignore[attr-defined]
    fused, output = attention.linear  # type: ignore[attr-defined]
    fused.weight = np.zeros((3 * dim, dim), dtype=np.float32)
    fused.bias = np.zeros(3 * dim, dtype=np.float32)
    output.weight = np.zeros((dim, dim), dtype=np.float32)
    output.bias = np.zeros(dim, dtype=np.float32)


def _silence_ffn(ffn: object, dim: int) -> None:
    _norm(ffn.layer_norm, dim)  # type: ignore[attr-defined]
    ffn.linear_0.weight = np.zeros((dim, dim), dtype=np.float32)  # type: ignore[attr-defined]
    ffn.linear_0.bias = np.zeros(dim, dtype=np.float32)  # type: ignore[attr-defined]
    ffn.linear_1.weight = np.zeros((dim, dim), dtype=np.float32)  # type: ignore[attr-defined]
    ffn.linear_1.bias = np.zeros(dim, dtype=np.float32)  # type: ignore[attr-defined]


def _cross_attention(attention: object, vocab: int, dim: int) -> None:
    """Queries and keys from the position dimensions, values from the token dimensions."""
    _norm(attention.layer_norm, dim)  # type: ignore[attr-defined]
    query, fused_kv, output = attention.linear  # type: ignore[attr-defined]
    position = np.zeros((dim, dim), dtype=np.float32)
    position[np.arange(vocab, dim), np.arange(vocab, dim)] = 1.0
    token = np.zeros((dim, dim), dtype=np.float32)
    token[np.arange(vocab), np.arange(vocab)] = 1.0
    query.weight = position * _SHARPNESS
    query.bias = np.zeros(dim, dtype=np.float32)
    fused_kv.weight = np.concatenate([position, token])
    fused_kv.bias = np.zeros(2 * dim, dtype=np.float32)
    output.weight = token * _COPY_GAIN
    output.bias = np.zeros(dim, dtype=np.float32)

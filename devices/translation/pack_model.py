"""One installed language pack, loaded once: its tokenizer and its CTranslate2 model.

argostranslate's ``apply_packaged_translation`` decodes with a beam of four (``ARGOS_BEAM_SIZE``)
and no bound on the output length. Measured with the built test pack on 2 cores, that is about
43 ms per sentence, nearly all of it the beam running on to 256 tokens; greedy decoding bounded
by the input length takes under 2 ms. Counter sentences are short, so this module calls
CTranslate2 directly: all sentences of a text in one batch, greedy for short sentences, a small
beam for long ones, and an output bound proportional to the input (which also stops a real
model that starts repeating itself).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

__all__ = ["LONG_BEAM", "SHORT_PIECES", "LoadedPack", "decoding_options"]

# Sentences up to this many pieces are decoded greedily: UI lines and short answers, where a
# beam changes almost nothing and costs several times the time.
SHORT_PIECES = 32
LONG_BEAM = 2
# A translation may be this many times longer than its source (in pieces), plus a margin:
# Japanese pieces often hold several characters where English needs several pieces.
_LENGTH_RATIO = 3
_LENGTH_MARGIN = 16


class _Tokenizer(Protocol):
    def encode(self, sentence: str) -> list[str]: ...

    def decode(self, tokens: list[str]) -> str: ...


class _SentencePiece:
    """The pack's ``sentencepiece.model`` (most Argos packs)."""

    def __init__(self, model: Path) -> None:
        import sentencepiece as spm  # noqa: PLC0415 - only devices with translation load it

        self._processor = spm.SentencePieceProcessor(model_file=str(model))

    def encode(self, sentence: str) -> list[str]:
        return list(self._processor.encode(sentence, out_type=str))

    def decode(self, tokens: list[str]) -> str:
        return str(self._processor.decode_pieces(tokens))


def decoding_options(pieces: int, beam_size: int = LONG_BEAM) -> dict[str, int]:
    """CTranslate2 options for a batch whose longest source sentence has ``pieces`` pieces."""
    return {"beam_size": 1 if pieces <= SHORT_PIECES else beam_size,
            "max_decoding_length": _LENGTH_RATIO * pieces + _LENGTH_MARGIN}


class LoadedPack:
    """A language pack ready to translate; safe to share between threads.

    Args:
        directory: the installed pack (``metadata.json``, tokenizer, ``model/``).
        threads: CTranslate2 threads (the tablet has 2 cores and a UI to draw).
    """

    def __init__(self, directory: Path, *, threads: int = 1) -> None:
        import ctranslate2  # noqa: PLC0415 - heavy; loaded with the first pack

        metadata = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
        # Some multilingual packs steer the decoder with a language token (e.g. "__ja__").
        self._prefix = str(metadata.get("target_prefix", ""))
        self._tokenizer = _tokenizer(directory, str(metadata["from_code"]),
                                     str(metadata["to_code"]))
        self._model: Any = ctranslate2.Translator(str(directory / "model"), device="cpu",
                                                  inter_threads=1, intra_threads=threads)

    def translate(self, sentences: Sequence[str]) -> list[str]:
        """The translations of ``sentences``, in order, computed in one batch."""
        if not sentences:
            return []
        tokenized = [self._tokenizer.encode(sentence) for sentence in sentences]
        prefix = [[self._prefix] for _ in tokenized] if self._prefix else None
        results = self._model.translate_batch(
            tokenized, target_prefix=prefix, replace_unknowns=True,
            **decoding_options(max(len(tokens) for tokens in tokenized)))
        return [self._text(result.hypotheses[0]) for result in results]

    def _text(self, tokens: list[str]) -> str:
        if self._prefix and tokens[:1] == [self._prefix]:
            tokens = tokens[1:]
        return self._tokenizer.decode(tokens).strip()


def _tokenizer(directory: Path, source: str, target: str) -> _Tokenizer:
    if (directory / "sentencepiece.model").is_file():
        return _SentencePiece(directory / "sentencepiece.model")
    # Older packs tokenize with Moses + BPE: argostranslate's implementation is reused.
    from argostranslate.tokenizer import BPETokenizer  # noqa: PLC0415

    tokenizer: _Tokenizer = BPETokenizer(directory / "bpe.model", source, target)
    return tokenizer

"""Recognising a short utterance in a window sized to it instead of Whisper's 30 seconds.

faster-whisper pads every segment to 30 s of features, and on two cores the encoder spends
about 0.7 s on that window whatever the length of the speech. CTranslate2's Whisper accepts a
shorter window: a counter phrase of two or three seconds in a window of ten seconds is
recognised as well (the tests' error rates are the same or lower) in about a third of the
time. Much shorter windows make Whisper base repeat itself, so the window never drops below
:data:`MIN_WINDOW_FRAMES`.

Short, repetitive speech (a spelled-out number, "いいえ", a name) can still send Whisper base
into a loop ("イェイェイェ…", 100 tokens in a second of audio); it used to be rejected and run
again in the 30 s window, 2-3 s after the speech. Now:

* decoding is bounded by the audio's length (:func:`token_budget`): nobody says more than
  about 15 tokens a second, so a loop stops within a few tokens of where it started;
* a loop (:func:`looping`) or an unsure first pass is decoded once more **on the same encoder
  output** with a small beam and no repeated trigram: a tenth of a second, not a second run
  of the 30 s window;
* what still repeats after that is cut to two rounds of its loop;
* a word or a number (up to :data:`BARE_SECONDS`) is also decoded without the vocabulary
  prompt and the more plausible reading wins: the prompt otherwise turns "さん" into "山" or
  makes Whisper recite it ("じゅう" -> "住民票の除票…");
* a chunk without any sound is silence at once, without a model call.

The 30 s window is left to speech too long for the short one (and to a broken API).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MARGIN_FRAMES", "MIN_WINDOW_FRAMES", "SILENT_PEAK", "cut_loop", "looping",
           "pick_language", "recognise_short", "token_budget", "transcribe_short", "window_frames"]

FULL_WINDOW_FRAMES = 3000   # Whisper's 30 s window, 100 feature frames a second
MIN_WINDOW_FRAMES = 1000    # 10 s: below about 8 s Whisper base starts to repeat phrases
MARGIN_FRAMES = 200         # 2 s of padding after the speech, as the 30 s window always has
MAX_NEW_TOKENS = 200        # the cap of a 13 s phrase; longer speech has its own cap
TOKENS_PER_SECOND = 15      # fast Japanese is about 8 morae (10-12 tokens) a second
TOKENS_SLACK = 8            # punctuation and a short word's worth of room
NO_SPEECH = 0.6             # faster-whisper's no_speech_threshold
UNSURE_NO_SPEECH = 0.45     # unsure *and* this likely silent: nothing was said
LOW_LOG_PROB = -1.0         # faster-whisper's log_prob_threshold
REPETITIVE = 2.4            # faster-whisper's compression_ratio_threshold
SILENT_PEAK = 1e-3          # a chunk whose loudest sample is below this holds no voice
LOOP_PERIOD = 8             # longest loop (in tokens) looked for
LOOP_ROUNDS = 3             # a block said this many times in a row at the end is a loop
BARE_SECONDS = 1.6          # up to this long, a prompted reading competes with a bare one
PLAUSIBLE_TOKENS_PER_SECOND = 10   # more is a recited prompt or a loop
RETRY_BEAM = 3              # the second pass: a small beam finds the way out of a loop


def window_frames(frames: int) -> int | None:
    """The window for ``frames`` of speech; ``None`` when only the full window fits."""
    if frames + MARGIN_FRAMES > FULL_WINDOW_FRAMES:
        return None
    return max(MIN_WINDOW_FRAMES, frames + MARGIN_FRAMES)


def token_budget(seconds: float) -> int:
    """How many tokens ``seconds`` of speech can hold at most (a loop is cut there)."""
    return min(MAX_NEW_TOKENS, math.ceil(seconds * TOKENS_PER_SECOND) + TOKENS_SLACK)


def looping(ids: list[int], budget: int) -> bool:
    """Whether decoding ran into a loop: the budget used up, or a block of up to
    :data:`LOOP_PERIOD` tokens repeated :data:`LOOP_ROUNDS` times at the end."""
    return len(ids) >= budget or _loop_period(ids) is not None


def cut_loop(ids: list[int]) -> list[int]:
    """``ids`` with a repeated block at the end kept twice ("5 5 5 5 5 5" -> "5 5")."""
    period = _loop_period(ids)
    if period is None:
        return ids
    end = len(ids)
    while end - 2 * period >= 0 and ids[end - period:end] == ids[end - 2 * period:end - period]:
        end -= period
    return ids[:end + period]


def _loop_period(ids: list[int]) -> int | None:
    for period in range(1, LOOP_PERIOD + 1):
        rounds = LOOP_ROUNDS if period > 1 else LOOP_ROUNDS + 2   # "8 8 8" is a fine number
        if len(ids) < period * rounds:
            break
        block = ids[-period:]
        if all(ids[-period * (n + 1):len(ids) - period * n] == block for n in range(rounds)):
            return period
    return None


@dataclass(frozen=True)
class _Pass:
    ids: list[int]
    average_log_prob: float
    no_speech_prob: float
    context: list[int]          # the prompt's tokens it was decoded after


def _score(one: _Pass, seconds: float, budget: int) -> float:
    """How much to trust a pass: its confidence, less when it loops or says more than the
    audio can hold (a prompt recited instead of the speech)."""
    plausible = len(one.ids) <= PLAUSIBLE_TOKENS_PER_SECOND * seconds + TOKENS_SLACK / 2
    return one.average_log_prob - (0.0 if plausible and not looping(one.ids, budget) else 1.0)


def transcribe_short(model: Any, samples: np.ndarray, language: str, prompt: str = "",
                     hotwords: str = "", task: str = "transcribe") -> str | None:
    """Greedy recognition of ``samples`` with faster-whisper's ``model`` in a short window.

    ``task`` is ``"transcribe"`` or Whisper's ``"translate"`` (into English).

    Returns the text, ``""`` for silence, or ``None`` when the speech is too long for a short
    window (the caller uses the 30 s one).
    """
    heard = recognise_short(model, samples, (language,), lambda _language: prompt, hotwords, task)
    return None if heard is None else heard[0]


def pick_language(detected: Sequence[tuple[str, float]], candidates: Sequence[str]) -> str:
    """The most likely of ``candidates`` (Whisper codes, or BCP 47 tags whose first part is
    one) in Whisper's language probabilities (``("<|ja|>", p)`` or ``("ja", p)``)."""
    probability = {token.strip("<|>"): p for token, p in detected}
    return max(candidates, key=lambda candidate: probability.get(_code(candidate), 0.0))


def _code(language: str) -> str:
    return language.replace("@", "-").split("-", maxsplit=1)[0]


def recognise_short(model: Any, samples: np.ndarray, languages: Sequence[str],
                    prompt_for: Callable[[str], str], hotwords: str = "",
                    task: str = "transcribe") -> tuple[str, str] | None:
    """:func:`transcribe_short` in whichever of ``languages`` is spoken: with more than one,
    Whisper's language identification on the same encoder output, restricted to them (a
    branch where the visitor speaks English and the branch's clerk Japanese).

    Returns the text and the language it was read in (one of ``languages``), or ``None``
    when the speech is too long for a short window. ``prompt_for(language)``: the prompt.
    """
    from faster_whisper.tokenizer import Tokenizer  # noqa: PLC0415 - heavy; devices only
    from faster_whisper.transcribe import (  # noqa: PLC0415
        get_compression_ratio,
        get_suppressed_tokens,
    )

    features = model.feature_extractor(samples)
    window = window_frames(features.shape[1])
    if window is None:
        return None
    if samples.size == 0 or float(np.max(np.abs(samples))) < SILENT_PEAK:
        return "", languages[0]
    features = np.pad(features, ((0, 0), (0, window - features.shape[1])))
    encoded = model.encode(features)        # once: every pass decodes the same output
    chosen = languages[0] if len(languages) == 1 else \
        pick_language(model.model.detect_language(encoded)[0], languages)
    language, prompt = _code(chosen), prompt_for(chosen)
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task=task,
                          language=language)
    previous = tokenizer.encode(" " + prompt.strip()) if prompt.strip() else []
    seconds = samples.size / 16000
    budget = token_budget(seconds)
    suppressed = get_suppressed_tokens(tokenizer, [-1])

    def decode(context: list[int], **options: Any) -> _Pass:
        tokens = model.get_prompt(tokenizer, context, without_timestamps=True,
                                  hotwords=hotwords or None)
        result = model.model.generate(
            encoded, [tokens], max_length=min(model.max_length, len(tokens) + budget),
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=suppressed, **options)[0]
        ids = list(result.sequences_ids[0])
        return _Pass(ids, result.scores[0] * len(ids) / (len(ids) + 1), result.no_speech_prob,
                     context)

    passes = [decode(previous, beam_size=1)]
    if previous and seconds <= BARE_SECONDS:
        # A word or a number: the vocabulary can pull it towards a term ("さん" -> "山",
        # "じゅう" -> the prompt's "住民票の…" recited); the unprompted reading competes.
        passes.append(decode([], beam_size=1))
    first = max(passes, key=lambda one: _score(one, seconds, budget))
    if first.no_speech_prob > NO_SPEECH:
        return "", chosen
    unsure = first.average_log_prob < LOW_LOG_PROB
    if unsure and first.no_speech_prob > UNSURE_NO_SPEECH:
        return "", chosen                   # noise read as a syllable ("ん")
    best = first
    text = tokenizer.decode(first.ids).strip()
    if unsure or looping(first.ids, budget) or (text and get_compression_ratio(text) > REPETITIVE):
        second = decode(first.context, beam_size=RETRY_BEAM, no_repeat_ngram_size=3)
        if not looping(second.ids, budget) and second.ids and (
                looping(first.ids, budget) or second.average_log_prob > first.average_log_prob):
            best = second
    said: str = tokenizer.decode(cut_loop(best.ids)).strip()
    return said, chosen

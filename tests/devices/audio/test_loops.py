"""Loop detection and the token budget of the short window (pure functions)."""

from __future__ import annotations

import pytest

from devices.audio.short_window import MAX_NEW_TOKENS, cut_loop, looping, token_budget


@pytest.mark.parametrize(("seconds", "expected"), [
    (0.0, 8), (1.0, 23), (1.6, 32), (60.0, MAX_NEW_TOKENS)])
def test_token_budget__audio_length__bounded_by_it(seconds: float, expected: int) -> None:
    assert token_budget(seconds) == expected


@pytest.mark.parametrize(("ids", "expected"), [
    ([1, 2, 3, 4, 5], False),                 # a sentence
    ([8, 8, 8], False),                       # "8 8 8" is a number, not a loop
    ([8] * 5, True),                          # ... five of them in a row is
    ([1, 7, 9, 7, 9, 7, 9], True),            # "イェイェイェ"
    ([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], True),
    (list(range(30)), True),                  # used up the budget of 1.5 s
])
def test_looping__token_ids__loop_or_not(ids: list[int], expected: bool) -> None:
    assert looping(ids, budget=30) is expected


@pytest.mark.parametrize(("ids", "expected"), [
    ([1, 7, 9, 7, 9, 7, 9, 7], [1, 7, 9, 7, 9, 7]),   # the block is kept twice
    ([5, 5, 5, 5, 5, 5], [5, 5]),
    ([1, 2, 3], [1, 2, 3]),
])
def test_cut_loop__repeated_block__kept_twice(ids: list[int], expected: list[int]) -> None:
    assert cut_loop(ids) == expected

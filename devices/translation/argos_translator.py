"""The Translator port on Argos Translate language packs, fully offline.

Packs are loaded lazily from ``<models_dir>/translation`` (see :mod:`.packages`). Text is split
into sentences by the kiosk (:mod:`.sentences`), so argostranslate's own splitters, which
download models, are never constructed; each sentence goes through argostranslate's
tokenization and CTranslate2 call (:func:`argostranslate.translate.apply_packaged_translation`)
and is cached. When no direct pack exists, the text pivots through English.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from devices.translation.packages import PackageInfo, installed_packages
from devices.translation.sentences import split_sentences
from kiosk.doctor import Check, Status

__all__ = ["ArgosTranslator", "argos_code"]

PIVOT = "en"
# Languages written without spaces between sentences: argostranslate would join with one.
_NO_SPACE = ("ja", "zh", "zt", "th")


def argos_code(bcp47: str) -> str:
    """The Argos language code of a BCP 47 tag (``"zh-Hans"`` -> ``"zh"``, ``"zh-Hant"`` -> ``"zt"``)."""
    tag = bcp47.replace("_", "-").lower()
    if tag.startswith("zh-hant"):
        return "zt"
    return tag.split("-")[0].split("@")[0]


class _OneSentence:
    """Stands in for argostranslate's sentencizer: the kiosk has already split the text."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


class ArgosTranslator:
    """Translates with the installed packs; ``None`` when no pack leads to the language.

    Args:
        models_dir: the ``[models] dir`` of the configuration.
        cache_size: sentences kept (per process); :meth:`forget` empties it at the end of a visit.
        threads: CTranslate2 threads per pack (the tablet has 2 cores and a UI to draw).
    """

    def __init__(self, models_dir: Path, *, cache_size: int = 512, threads: int = 1) -> None:
        self._models_dir = models_dir
        self._cache_size = cache_size
        self._threads = threads
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str, str], str] = OrderedDict()
        self._packs: dict[tuple[str, str], PackageInfo] | None = None
        self._loaded: dict[tuple[str, str], tuple[Any, Any]] = {}

    def reload(self) -> None:
        """Forget loaded packs and read the models directory again (after an install)."""
        with self._lock:
            self._packs = None
            self._loaded.clear()
            self._cache.clear()

    def pairs(self) -> list[tuple[str, str]]:
        """Installed direct pairs as Argos codes."""
        return sorted(self._installed())

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        """See :meth:`kiosk.ports.Translator.route`."""
        src, dst = argos_code(source), argos_code(target)
        if src == dst:
            return (src,)
        packs = self._installed()
        if (src, dst) in packs:
            return (src, dst)
        if (src, PIVOT) in packs and (PIVOT, dst) in packs:
            return (src, PIVOT, dst)
        return None

    def translate(self, text: str, source: str, target: str) -> str | None:
        """See :meth:`kiosk.ports.Translator.translate`."""
        path = self.route(source, target)
        if path is None:
            return None
        for src, dst in itertools.pairwise(path):
            sentences = [self._sentence(sentence, src, dst) for sentence in split_sentences(text)]
            text = ("" if dst in _NO_SPACE else " ").join(sentences)
        return text

    def forget(self) -> None:
        """Empty the sentence cache: it holds what was said during the visit."""
        with self._lock:
            self._cache.clear()

    def probe(self) -> Sequence[Check]:
        """Lists the installed packs; a device without any works, without translation."""
        packs = installed_packages(self._models_dir)
        if not packs:
            return [Check("translation.packs", Status.WARN,
                          f"no language pack in {self._models_dir / 'translation'}: captions "
                          "are shown in Japanese only",
                          "Copy .argosmodel files and run: kiosk models install FILE")]
        listing = ", ".join(pack.pair for pack in packs)
        return [Check("translation.packs", Status.OK, f"{len(packs)} pack(s): {listing}")]

    def _installed(self) -> dict[tuple[str, str], PackageInfo]:
        with self._lock:
            if self._packs is None:
                self._packs = {(p.source, p.target): p for p in installed_packages(self._models_dir)}
            return self._packs

    def _sentence(self, sentence: str, src: str, dst: str) -> str:
        key = (src, dst, sentence)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        package, translator = self._load(src, dst)
        from argostranslate.translate import apply_packaged_translation  # noqa: PLC0415

        result = str(apply_packaged_translation(package, sentence, translator, _OneSentence(), 1)[0]
                     .value)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result

    def _load(self, src: str, dst: str) -> tuple[Any, Any]:
        with self._lock:
            if (src, dst) not in self._loaded:
                # Imported here: argostranslate creates its folders on import, and a device
                # without translation should not pay for CTranslate2 at start-up.
                import ctranslate2  # noqa: PLC0415
                from argostranslate.package import Package  # noqa: PLC0415

                assert self._packs is not None
                info = self._packs[(src, dst)]
                package = Package(info.path)
                translator = ctranslate2.Translator(str(info.path / "model"), device="cpu",
                                                    inter_threads=1, intra_threads=self._threads)
                self._loaded[(src, dst)] = (package, translator)
            return self._loaded[(src, dst)]

"""The Translator port on Argos Translate language packs, fully offline.

Packs are loaded lazily, once each, from ``<models_dir>/translation`` (see :mod:`.packages`).
Text is split into sentences by the kiosk (:mod:`.sentences`), so argostranslate's own
splitters, which download models, are never constructed; the sentences not yet cached go to
the pack's CTranslate2 model in one batch (:mod:`.pack_model`, which skips argostranslate's
per-call beam search). When no direct pack exists, the sentences pivot through English.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from devices.translation.pack_model import LoadedPack
from devices.translation.packages import PackageInfo, installed_packages
from devices.translation.sentences import split_sentences
from kiosk.doctor import Check, Status

__all__ = ["ArgosTranslator", "argos_code"]

PIVOT = "en"
# Languages written without spaces between sentences (Thai is not one: a space ends its
# sentences).
_NO_SPACE = ("ja", "zh", "zt")


def argos_code(bcp47: str) -> str:
    """The Argos language code of a BCP 47 tag (``"zh-Hans"`` -> ``"zh"``, ``"zh-Hant"`` -> ``"zt"``)."""
    tag = bcp47.replace("_", "-").lower()
    if tag.startswith("zh-hant"):
        return "zt"
    return tag.split("-")[0].split("@")[0]


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
        self._loaded: dict[tuple[str, str], LoadedPack] = {}

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
        sentences = split_sentences(text)
        for src, dst in itertools.pairwise(path):
            # Sentence by sentence through the pivot too: English joined and split again
            # could cut differently.
            sentences = self._sentences(sentences, src, dst)
        return ("" if path[-1] in _NO_SPACE else " ").join(sentences)

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

    def _sentences(self, sentences: list[str], src: str, dst: str) -> list[str]:
        with self._lock:
            found = {s: self._cache[(src, dst, s)] for s in sentences if (src, dst, s) in self._cache}
            for sentence in found:
                self._cache.move_to_end((src, dst, sentence))
        missing = list(dict.fromkeys(s for s in sentences if s not in found))
        if missing:
            found.update(zip(missing, self._load(src, dst).translate(missing), strict=True))
            with self._lock:
                for sentence in missing:
                    self._cache[(src, dst, sentence)] = found[sentence]
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [found[sentence] for sentence in sentences]

    def _load(self, src: str, dst: str) -> LoadedPack:
        with self._lock:
            if (src, dst) not in self._loaded:
                assert self._packs is not None
                self._loaded[(src, dst)] = LoadedPack(self._packs[(src, dst)].path,
                                                      threads=self._threads)
            return self._loaded[(src, dst)]

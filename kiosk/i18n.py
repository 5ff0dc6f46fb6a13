"""Translations: gettext catalogs under ``locales/``, one language per citizen session.

Message ids are the English source text with ``{name}`` placeholders. Code marks text for
extraction with :func:`N_` (where it is only declared) or translates it on the spot with a
:class:`Translator`. The clerk's and the citizen's screens each hold their own translator, so a
citizen can switch language at any moment while the clerk keeps Japanese.

Catalogs are ``locales/<lang>/LC_MESSAGES/kiosk.po``. A compiled ``kiosk.mo`` next to the
``.po`` is used when it is newer; otherwise the ``.po`` is compiled in memory (Babel), so a
checkout works without a build step.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.paths import locales_dir

__all__ = [
    "DOMAIN",
    "FIRST_TIER",
    "LANGUAGES",
    "Language",
    "N_",
    "Translator",
    "catalog_path",
    "translator",
]

DOMAIN = "kiosk"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Language:
    """A language the kiosk offers: its catalog code and its name written in itself."""

    code: str          # catalog directory name, a Babel locale identifier
    native_name: str   # shown on the language button, always in the language itself
    bcp47: str         # for speech voices, translation models and HTML lang


LANGUAGES: tuple[Language, ...] = (
    Language("ja", "日本語", "ja"),
    Language("ja@easy", "やさしい日本語", "ja"),
    Language("en", "English", "en"),
    Language("vi", "Tiếng Việt", "vi"),
    Language("zh_Hans", "简体中文", "zh-Hans"),
    Language("ne", "नेपाली", "ne"),
    Language("id", "Bahasa Indonesia", "id"),
    Language("tl", "Tagalog", "tl"),
    Language("ko", "한국어", "ko"),
    Language("pt", "Português", "pt"),
    Language("th", "ไทย", "th"),
    Language("es", "Español", "es"),
)

# Catalogs of these languages must be complete (no missing or fuzzy entry): `kiosk i18n check`.
FIRST_TIER: tuple[str, ...] = ("ja", "ja@easy", "en", "vi", "zh_Hans", "ne", "id", "tl")


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, don't translate"
    """Mark ``message`` for extraction without translating it (translation happens at display)."""
    return message


def language(code: str) -> Language:
    """The :class:`Language` with catalog code ``code``.

    Raises:
        KeyError: the kiosk does not know that language.
    """
    for candidate in LANGUAGES:
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def catalog_path(code: str, root: Path | None = None) -> Path:
    """Path of the ``.po`` catalog of language ``code``."""
    return (root or locales_dir()) / code / "LC_MESSAGES" / f"{DOMAIN}.po"


class Translator:
    """Translates message ids into one language, filling ``{placeholders}``.

    A message without a translation falls back to the English msgid: a citizen sees English
    rather than nothing, and ``kiosk i18n check`` makes sure first-tier languages never do.
    """

    def __init__(self, code: str, translations: gettext.NullTranslations) -> None:
        self.code = code
        self._translations = translations

    def __call__(self, message_id: str, /, **params: object) -> str:
        """Translate ``message_id`` and format it with ``params``."""
        text = self._translations.gettext(message_id)
        return _format(text, message_id, params)

    def plural(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """Translate a message whose form depends on the count ``n`` (passed as ``{n}``)."""
        text = self._translations.ngettext(singular, plural, n)
        return _format(text, singular, {"n": n, **params})


def translator(code: str, root: Path | None = None) -> Translator:
    """A :class:`Translator` for language ``code`` (English fallback when no catalog exists)."""
    return Translator(code, _load(code, root or locales_dir()))


@functools.lru_cache(maxsize=32)
def _load(code: str, root: Path) -> gettext.NullTranslations:
    po_path = catalog_path(code, root)
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po_path.exists():
        return gettext.GNUTranslations(io.BytesIO(compile_po(po_path)))
    return gettext.NullTranslations()


def compile_po(po_path: Path) -> bytes:
    """Compile a ``.po`` file into ``.mo`` bytes (fuzzy entries are left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - Babel only when compiling
    from babel.messages.pofile import read_po  # noqa: PLC0415

    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _format(text: str, message_id: str, params: dict[str, object]) -> str:
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder must not crash a citizen's screen;
        # `kiosk i18n check` reports it, and the English text still carries the meaning.
        _log.warning("broken placeholder in a translation of %r", message_id)
        return message_id.format(**params)

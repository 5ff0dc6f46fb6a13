"""Translations: gettext catalogs under ``locales/``, one language per citizen session.

Message ids are the English source text with ``{name}`` placeholders. There are two domains:

* ``kiosk`` — what citizens read or hear (screens, receipts, spoken scripts, card and form
  errors). Marked with :func:`N_`; complete in every first-tier language.
* ``staff`` — what clerks and IT read (configuration errors, clerk screens, doctor). Marked with
  :func:`S_`; complete in Japanese (English is the source text).

The clerk's and the citizen's screens each hold their own translator, so a citizen can switch
language at any moment while the clerk keeps Japanese.

Catalogs are ``locales/<lang>/LC_MESSAGES/<domain>.po``. A compiled ``kiosk.mo`` next to the
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

from kiosk.markers import N_, S_
from kiosk.paths import locales_dir
from kiosk.ruby import format_marked, strip_ruby

__all__ = [
    "CITIZEN_DOMAIN",
    "DOMAINS",
    "FIRST_TIER",
    "LANGUAGES",
    "N_",
    "STAFF_DOMAIN",
    "S_",
    "Language",
    "Translator",
    "catalog_path",
    "staff_translator",
    "translator",
]

CITIZEN_DOMAIN = "kiosk"
STAFF_DOMAIN = "staff"
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

# Domain -> (marker function names for extraction, languages whose catalog must be complete).
DOMAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # ``plural``: Translator.plural(singular, plural, n), extracted as one plural entry.
    CITIZEN_DOMAIN: (("N_", "plural"), FIRST_TIER),
    STAFF_DOMAIN: (("S_",), ("ja",)),
}


def language(code: str) -> Language:
    """The :class:`Language` with catalog code ``code``.

    Raises:
        KeyError: the kiosk does not know that language.
    """
    for candidate in LANGUAGES:
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def catalog_path(code: str, root: Path | None = None, domain: str = CITIZEN_DOMAIN) -> Path:
    """Path of the ``.po`` catalog of language ``code`` in ``domain``."""
    return (root or locales_dir()) / code / "LC_MESSAGES" / f"{domain}.po"


class Translator:
    """Translates message ids into one language, filling ``{placeholders}``.

    A message without a translation falls back to the English msgid: a citizen sees English
    rather than nothing, and ``kiosk i18n check`` makes sure first-tier languages never do.
    Furigana markup (``{漢字|かんじ}``, :mod:`kiosk.ruby`) in a translation is removed by
    ``__call__`` and kept by :meth:`marked`, for the tablet's furigana mode.
    """

    def __init__(self, code: str, translations: gettext.NullTranslations) -> None:
        self.code = code
        self._translations = translations

    def __call__(self, message_id: str, /, **params: object) -> str:
        """Translate ``message_id`` and format it with ``params`` (plain text, no furigana)."""
        return strip_ruby(self.marked(message_id, **params))

    def marked(self, message_id: str, /, **params: object) -> str:
        """Like calling the translator, with the translation's furigana markup kept."""
        text = self._translations.gettext(message_id)
        return _format(text, message_id, params)

    def plural(self, singular: str, plural: str, n: int, /, **params: object) -> str:
        """Translate a message whose form depends on the count ``n`` (passed as ``{n}``)."""
        text = self._translations.ngettext(singular, plural, n)
        return strip_ruby(_format(text, singular, {"n": n, **params}))


def translator(code: str, root: Path | None = None, domain: str = CITIZEN_DOMAIN) -> Translator:
    """A :class:`Translator` for language ``code`` (English fallback when no catalog exists)."""
    return Translator(code, _load(code, root or locales_dir(), domain))


def language_name(code: str, in_language: str = "ja") -> str:
    """The name of the language ``code`` written in ``in_language`` (a clerk's queue shows
    ベトナム語, not "vi"); やさしい日本語 and unknown codes keep their own names."""
    known = next((candidate for candidate in LANGUAGES if candidate.code == code), None)
    words = in_language.partition("@")[0]
    if known is None or "@" in code or code.partition("_")[0] == words:
        return known.native_name if known is not None else code
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415 - only clerk screens need it

    try:
        locale, base = Locale.parse(code), code.partition("_")[0]
        if locale.language != base:
            # CLDR aliases an older code to its successor (tl, Tagalog, becomes fil_PH,
            # "Filipino (Philippines)"): the kiosk offers Tagalog, named as such (タガログ語),
            # or by its own name where the language has no word for it.
            return str(Locale.parse(words).languages.get(base) or known.native_name)
        return str(locale.get_display_name(words))
    except (ValueError, UnknownLocaleError):
        return known.native_name


def staff_translator(code: str = "ja", root: Path | None = None) -> Translator:
    """A :class:`Translator` for clerk and IT text (the ``staff`` domain)."""
    return translator(code, root, STAFF_DOMAIN)


@functools.lru_cache(maxsize=64)
def _load(code: str, root: Path, domain: str) -> gettext.NullTranslations:
    po_path = catalog_path(code, root, domain)
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
        return format_marked(text, params)
    except (KeyError, IndexError, ValueError):
        # A translation with a broken placeholder must not crash a citizen's screen;
        # `kiosk i18n check` reports it, and the English text still carries the meaning.
        _log.warning("broken placeholder in a translation of %r", message_id)
        return message_id.format(**params)

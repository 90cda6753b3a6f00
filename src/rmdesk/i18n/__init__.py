"""Translation and locale formatting for every layer; no Qt here.

`_()` looks the current catalog up when it is called, so a string is translated where
it is shown. Module-level labels are marked with `N_()` and translated later.
"""

from __future__ import annotations

import gettext
import locale as _pylocale
import sys
from collections.abc import Callable
from pathlib import Path

from rmdesk import paths
from rmdesk.i18n.mo_compile import DOMAIN, compile_catalogs

LANGUAGES: tuple[str, ...] = ("en", "es", "pt_BR", "fr")
# Each language is named in itself, so a user can find theirs whatever is showing.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "fr": "Français",
}
SOURCE_LANGUAGE = "en"

_catalogs: dict[str, gettext.NullTranslations] = {}
_current = SOURCE_LANGUAGE


class UnknownLanguage(ValueError):
    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.lang = lang


def normalize_language(code: str | None) -> str | None:
    """Map 'pt-BR', 'pt_BR.UTF-8', 'es_MX', 'fr_CA' ... to a shipped language, or None."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_")
    if base in LANGUAGES:
        return base
    lower = base.lower()
    # Windows' C library names locales in English: "Spanish_Spain", "Portuguese_Brazil".
    lower = _WINDOWS_NAMES.get(lower.split("_")[0], lower)
    if lower.startswith("pt"):
        return "pt_BR"
    for lang in LANGUAGES:
        if lower.split("_")[0] == lang.lower():
            return lang
    return None


_WINDOWS_NAMES = {"english": "en", "spanish": "es", "portuguese": "pt", "french": "fr"}


def _windows_ui_language() -> str | None:
    """The Windows display language ('es-ES'), which the environment does not carry."""
    import ctypes

    langid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    return _pylocale.windows_locale.get(langid)


def system_language() -> str | None:
    """The user's language when it is one we ship: environment first, as gettext does
    (Python reports C.UTF-8 as en_US), then the C library's locale."""
    import os

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for code in os.environ.get(var, "").split(":"):
            if code and code.split(".")[0] not in ("C", "POSIX"):
                return normalize_language(code)
    if sys.platform == "win32":
        try:
            return normalize_language(_windows_ui_language())
        except (OSError, AttributeError):
            pass
    try:
        return normalize_language(_pylocale.getlocale()[0])
    except ValueError:
        return None


def _ensure_compiled() -> None:
    # In a source checkout, recompile catalogs whose .po changed since the last build.
    src = paths.translations_source_dir()
    if src is not None:
        try:
            compile_catalogs(src, paths.locale_dir(), only_stale=True)
        except OSError:
            pass  # read-only checkout: use whatever .mo is there


def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of one language (English is the source and needs none)."""
    if lang in _catalogs:
        return _catalogs[lang]
    if lang == SOURCE_LANGUAGE:
        trans: gettext.NullTranslations = gettext.NullTranslations()
    elif lang in LANGUAGES:
        _ensure_compiled()
        mo = Path(paths.locale_dir()) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not mo.exists():
            raise FileNotFoundError(mo)
        with mo.open("rb") as fh:
            trans = gettext.GNUTranslations(fh)
    else:
        raise UnknownLanguage(lang)
    _catalogs[lang] = trans
    return trans


def install_catalog(lang: str, trans: gettext.NullTranslations) -> None:
    """Register an extra catalog, e.g. the pseudo-locale the tests build from the .pot."""
    _catalogs[lang] = trans


def set_language(lang: str) -> None:
    global _current
    translations(lang)  # fail before switching if the catalog cannot be loaded
    _current = lang


def current_language() -> str:
    return _current


def _(message: str) -> str:
    trans = _catalogs.get(_current)
    return trans.gettext(message) if trans is not None else message


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    trans = _catalogs.get(_current)
    if trans is not None:
        return trans.ngettext(singular, plural, n)
    return singular if n == 1 else plural


class Plural(str):
    """A message with a plural form, kept in a table of messages beside plain ones: the
    string is the English singular, `.plural` the English plural. Mark with Nn_()."""

    plural: str


def Nn_(singular: str, plural: str) -> Plural:  # noqa: N802 - gettext's naming
    """Mark a singular/plural pair for extraction without translating it now."""
    message = Plural(singular)
    message.plural = plural
    return message


def ngettext_matching(translate: Callable[[str], str]) -> Callable[[str, str, int], str]:
    """The ngettext of the catalog `translate` looks up: a report built with French's
    gettext (gettext_for("fr")) gets French plurals, the UI's `_` the current language's."""
    owner = getattr(translate, "__self__", None)
    if isinstance(owner, gettext.NullTranslations):
        return owner.ngettext
    return ngettext


def translate_message(message: str, translate: Callable[[str], str], count: object) -> str:
    """`message` in the language of `translate`; a Plural in the form `count` asks for."""
    if isinstance(message, Plural):
        n = count if isinstance(count, int) and not isinstance(count, bool) else 2
        return ngettext_matching(translate)(message, message.plural, n)
    return translate(message)


def pgettext(context: str, message: str) -> str:
    trans = _catalogs.get(_current)
    return trans.pgettext(context, message) if trans is not None else message


def gettext_for(lang: str) -> Callable[[str], str]:
    """A `_` bound to one language, for output built in a language other than the UI's."""
    return translations(lang).gettext


def ngettext_for(lang: str) -> Callable[[str, str, int], str]:
    return translations(lang).ngettext

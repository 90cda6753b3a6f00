"""LanguageManager: switches gettext, babel and Qt's own translations together, at runtime."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from rmdesk import i18n

# Qt locale names for the qtbase_<lang>.qm files shipped in the PySide6 wheel.
_QT_LOCALES = {"en": "en_US", "es": "es_ES", "pt_BR": "pt_BR", "fr": "fr_FR"}


def qt_locale(lang: str) -> QLocale:
    return QLocale(_QT_LOCALES.get(lang, "en_US"))


def load_qtbase(lang: str) -> QTranslator | None:
    """Qt's own strings (OK/Cancel, message boxes, context menus); None for English."""
    if lang == "en" or lang not in _QT_LOCALES:
        return None
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{lang}", folder):
        return translator
    return None


class LanguageManager(QObject):
    """Owns the installed Qt translator. Installing/removing one posts a single
    LanguageChange to every widget, whose changeEvent calls retranslate_ui()."""

    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None
        self._qt_cache: dict[str, QTranslator | None] = {}

    @property
    def language(self) -> str:
        return i18n.current_language()

    def switch(self, lang: str) -> None:
        i18n.set_language(lang)  # raises before anything changes if the catalog is broken
        QLocale.setDefault(qt_locale(lang))
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._translator is not None:
            app.removeTranslator(self._translator)
        if lang not in self._qt_cache:
            self._qt_cache[lang] = load_qtbase(lang)
        self._translator = self._qt_cache[lang]
        if self._translator is not None:
            app.installTranslator(self._translator)
        else:
            # English after English, or a missing .qm: still tell every widget.
            from PySide6.QtCore import QEvent
            from PySide6.QtWidgets import QApplication

            for widget in QApplication.topLevelWidgets():
                QCoreApplication.postEvent(widget, QEvent(QEvent.Type.LanguageChange))
        self.language_changed.emit(lang)

"""Build the E1, E4 and E5 pages on a real store, outside the main window."""

from __future__ import annotations

import gettext

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget
from tests.ui.texts import visible_texts

from rmdesk.content.pack import Appetite, ContentPack, Exercise, LocalizedText, builtin_pack
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.exercise_pages import PageContext


def text(en: str, fr: str | None = None) -> LocalizedText:
    return LocalizedText(en=en, es=f"{en} (es)", pt_BR=f"{en} (pt)", fr=fr or f"{en} (fr)")


def e145_pack() -> ContentPack:
    exercises = [
        Exercise(id="e1", kind="context_scan", title=text("Context scan"),
                 instructions=text("Scan the context.")),
        Exercise(id="e4", kind="evaluation", title=text("Evaluation"),
                 instructions=text("Rank and decide."),
                 appetite=Appetite(statement=text("No high risk to health is accepted.",
                                                  "⟦No high risk to health is accepted.⟧"),
                                   max_accepted_score=9)),
        Exercise(id="e5", kind="treatment", title=text("Treatment"),
                 instructions=text("Plan the treatment.")),
    ]
    pack = builtin_pack()
    kinds = {e.kind for e in exercises}  # these stand in for the built-in ones
    return pack.model_copy(update={"exercises": [
        *(e for e in pack.exercises if e.kind not in kinds), *exercises]})


def group_id(store: Store) -> str:
    _workshop, group = WorkshopService(store).current_selection()
    assert group is not None
    return group.id


def context(store: Store, kind: str, pack: ContentPack | None = None) -> PageContext:
    pack = pack or e145_pack()
    exercise = pack.exercise(kind)
    assert exercise is not None
    return PageContext(store, pack, exercise, ExerciseWorkService(store),
                       RegisterService(store), lambda _message: None)


def build(qtbot, store: Store, cls: type, kind: str, pack: ContentPack | None = None):
    page = cls(context(store, kind, pack))
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()  # keyboard focus and shortcuts need the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=2000)
    page.set_group(group_id(store))
    return page


class Pseudo(gettext.NullTranslations):
    """Every message wrapped in markers: a label shown without them did not switch."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧" if message else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)


def leaks(page: QWidget, user_data: set[str]) -> list[tuple[str, str]]:
    QApplication.processEvents()
    # Rows rebuilt on a switch leave their old widgets to deleteLater(): delete them now.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    allowed = user_data | {str(n) for n in range(0, 26)} | {"—", "×", "…", ""}
    return [(where, t) for where, t in visible_texts(page)
            if "⟦" not in t and t not in allowed]

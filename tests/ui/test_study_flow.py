"""Self-study: start without any workshop set-up, submit an exercise, then read the model
answer; in a workshop, the facilitator's lock and reveal decide."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from sqlmodel import select
from tests.ui.conftest import switch

from rmdesk.content.pack import ContentPack, LocalizedText, builtin_pack
from rmdesk.i18n.qt import LanguageManager
from rmdesk.services.study import StudyService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import ExercisePhase
from rmdesk.ui.main_window import MainWindow
from rmdesk.ui.model_answer import ModelAnswerDialog

ANSWER = LocalizedText(en="Model: R1 undervaluation of used cars", es="Modelo: R1",
                       pt_BR="Modelo: R1", fr="Modèle : R1")


def pack_with_answers() -> ContentPack:
    pack = builtin_pack()
    exercises = [e if e.model_answer else e.model_copy(update={"model_answer": ANSWER})
                 for e in pack.exercises]
    return pack.model_copy(update={"exercises": exercises})


def test_self_study_from_an_empty_store(qtbot, tmp_path, languages: LanguageManager) -> None:
    store = open_store(tmp_path / "data")
    window = MainWindow(store, pack_with_answers(), languages)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.welcome
    window.welcome.study_button.click()
    assert window.stack.currentWidget() is window.workspace
    assert window.tabs.currentWidget() is window.exercise_tabs[0][1]
    bar = window.exercise_bar
    assert bar.isVisible()
    assert bar.status_label.text() == "Status: Not started"
    assert not bar.model_button.isEnabled()  # closed until the trainee submits
    bar.submit_button.click()
    assert bar.status_label.text() == "Status: Submitted"
    assert bar.model_button.isEnabled()
    assert bar.submit_button.text().replace("&", "") == "Reopen exercise"
    bar.model_button.click()
    dialog = window._model_dialog
    assert isinstance(dialog, ModelAnswerDialog)
    first = window.current_exercise()
    assert dialog.text.toPlainText() == first.model_answer.get("en")
    switch(languages, "fr")  # the open answer follows the language
    # (QTextDocument.toPlainText gives no-break spaces back as plain ones)
    assert dialog.text.toPlainText() == first.model_answer.get("fr").replace("\xa0", " ")
    assert bar.status_label.text() == "Statut\u00a0: remis"
    switch(languages, "en")
    dialog.close()
    bar.next_button.click()
    assert window.current_exercise().id == window.pack.exercises[1].id
    # Progress is kept between sessions: the same self-study workshop reopens.
    window.close()
    store.close()
    again = MainWindow(open_store(tmp_path / "data"), pack_with_answers(), languages)
    qtbot.addWidget(again)
    again.welcome.study_button.click()
    again.tabs.setCurrentWidget(again.exercise_tabs[0][1])
    assert again.exercise_bar.status_label.text() == "Status: Submitted"
    assert len(again.workshops.list_workshops()) == 1


def test_workshop_lock_and_reveal(make_window, filled_store: Store) -> None:
    window = make_window(pack_with_answers())
    workshop, group = window.workshops.current_selection()
    exercise = window.pack.exercises[0]
    window.tabs.setCurrentWidget(window.exercise_tabs[0][1])
    bar = window.exercise_bar
    bar.submit_button.click()
    assert not bar.model_button.isEnabled()  # a workshop group waits for the facilitator
    with filled_store.session() as s:
        s.add(ExercisePhase(workshop_id=workshop.id, exercise_id=exercise.id,
                            model_revealed=True))
    window.reload()
    assert bar.model_button.isEnabled()
    with filled_store.session() as s:
        phase = s.exec(select(ExercisePhase)).one()
        phase.locked = True
        s.add(phase)
    window.reload()
    assert "locked" in bar.status_label.text()
    assert not window.tabs.currentWidget().isEnabled()
    assert not bar.submit_button.isEnabled()
    assert StudyService(filled_store).is_locked(workshop.id, exercise.id)
    QApplication.processEvents()

"""The main window: menus, the workshop/group bar, and the pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import ContentPack
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, N_, _, current_language, gettext_for
from rmdesk.i18n.qt import LanguageManager
from rmdesk.services import settings as keys
from rmdesk.services.exercises import SUBMITTED, ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.roles import RolesService
from rmdesk.services.settings import SettingsService
from rmdesk.services.study import StudyService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.case_page import CasePage
from rmdesk.ui.common import Retranslatable, show_error
from rmdesk.ui.exercise_bar import NEXT_EXERCISE_KEYS, STATUS_LABELS, ExerciseBar
from rmdesk.ui.exercise_pages import TAB_TITLES, LazyPage, PageContext, make_page
from rmdesk.ui.folders import (
    EXCHANGE_FOLDER,
    PDF_FOLDER,
    default_folder,
    keep_qt_settings_in,
    remember_folder,
)
from rmdesk.ui.indicators_page import IndicatorsPage
from rmdesk.ui.input_guard import install_input_guard
from rmdesk.ui.page_navigator import LOCKED, PageNavigator
from rmdesk.ui.progress_overview import ProgressOverview
from rmdesk.ui.register_page import RegisterPage
from rmdesk.ui.whole_text import explain_clipped_text
from rmdesk.ui.workshop_page import WorkshopPage

if TYPE_CHECKING:
    from rmdesk.ui.facilitator_page import FacilitatorPage


# The Language menu's entries: endonyms, each with its own mnemonic (E for English,
# S for Español).
LANGUAGE_MNEMONICS: dict[str, str] = {
    "en": "&English",
    "es": "E&spañol",
    "pt_BR": "&Português (Brasil)",
    "fr": "&Français",
}
DEFAULT_SIZE = QSize(1280, 800)  # the first start's size, when the screen has room
FRAME_ALLOWANCE = QSize(8, 36)  # a window manager's frame and title bar, at most


def fits(geometry: QRect, available: QRect) -> bool:
    """The window's client area with room for its frame lies on the available screen."""
    framed = geometry.adjusted(-FRAME_ALLOWANCE.width() // 2, -FRAME_ALLOWANCE.height(),
                               FRAME_ALLOWANCE.width() // 2, FRAME_ALLOWANCE.width() // 2)
    return available.contains(framed)
SELF_STUDY_TITLE = N_("My self-study")  # default names, in the interface language
SELF_STUDY_GROUP = N_("Me")


class WelcomePage(Retranslatable, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.create_button = QPushButton()
        self.study_button = QPushButton()
        self.demo_button = QPushButton()
        # A fixed-width panel: a word-wrapped label only gets its full height when its
        # layout gives it a width, which centring it directly would not.
        panel = QWidget()
        panel.setFixedWidth(560)
        inner = QVBoxLayout(panel)
        inner.addWidget(self.heading, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(self.text)
        inner.addSpacing(12)
        for button in (self.create_button, self.study_button, self.demo_button):
            inner.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(_("Welcome to rmdesk"))
        self.text.setText(_(
            "rmdesk is the workbook for customs risk-management workshops. Create a workshop, "
            "add the groups, and choose which group works on this laptop. Everything you type "
            "is saved as you go."))
        # The text's height depends on the language: reserve what it needs at this width.
        self.text.setMinimumHeight(self.text.heightForWidth(540))
        self.create_button.setText(_("Create a workshop…"))
        self.study_button.setText(_("Study on my own"))
        self.study_button.setToolTip(_("Work through the exercises of the built-in case "
                                       "alone, with feedback and model answers"))
        self.demo_button.setText(_("Open the demo workshop"))


class MainWindow(Retranslatable, QMainWindow):
    def __init__(self, store: Store, pack: ContentPack, languages: LanguageManager) -> None:
        super().__init__()
        install_input_guard()  # the wheel and typed numbers, app-wide (idempotent)
        keep_qt_settings_in(Path(store.path).parent)  # nothing written outside the data folder
        self.store = store
        self.pack = pack
        self.languages = languages
        self.settings = SettingsService(store)
        self.workshops = WorkshopService(store)
        self.register = RegisterService(store)
        self.targeting = TargetingService(store)
        self._threads: list[object] = []
        self.remember_geometry = True  # False for a run with a given size (--size)
        self._built = False  # the exercise bar is shown once, when everything is in place

        self._build_actions()
        self._build_menus()
        self._build_toolbar()

        self.welcome = WelcomePage()
        self.welcome.create_button.clicked.connect(self.new_workshop)
        self.welcome.demo_button.clicked.connect(self.open_demo)
        self.welcome.study_button.clicked.connect(self.study_on_my_own)
        self.workshop_page = WorkshopPage(self.workshops)
        self.workshop_page.edit_requested.connect(self.edit_workshop)
        self.workshop_page.groups_changed.connect(self._groups_changed)
        self.workshop_page.use_group_requested.connect(self.use_group)
        self.case_page = CasePage(pack)
        self.register_page = RegisterPage(self.register, pack)
        self.register_page.status_message.connect(
            lambda text: self.statusBar().showMessage(text, 4000))
        self.register_page.saving_changed.connect(self._show_saving)
        self.register_page.autosave.saved.connect(
            lambda: self._page_edited(self.register_page))
        self.tabs = PageNavigator()  # the page list on the left; pages scroll inside it
        self.tabs.addTab(self.workshop_page, "")
        self.tabs.addTab(self.case_page, "")
        self.indicators_page = IndicatorsPage(self.targeting, pack)
        self.indicators_page.autosave.saved.connect(
            lambda: self._page_edited(self.indicators_page))
        self.exercise_work = ExerciseWorkService(store)
        self.study = StudyService(store)
        self.roles = RolesService(store)  # facilitator mode, unlocked with a PIN
        self.exercise_tabs: list[tuple[str, QWidget]] = []  # (kind, page), pack order
        self.tab_exercise: dict[int, object] = {}  # id(page) -> the pack's Exercise
        self._build_exercise_tabs()
        # The facilitator's dashboard: a last tab, shown in facilitator mode only.
        self.progress = ProgressOverview(store, pack)
        self.progress.exercise_requested.connect(self.open_exercise)
        self.workshop_page.progress_layout.addWidget(self.progress)
        # Built when facilitator mode is first unlocked: participants never pay for it.
        self.facilitator_page: FacilitatorPage | None = None
        self.roles.subscribe(self._facilitator_mode_changed)
        self.exercise_bar = ExerciseBar()
        self.exercise_bar.submit_requested.connect(self.submit_exercise)
        self.exercise_bar.reopen_requested.connect(self.reopen_exercise)
        self.exercise_bar.model_requested.connect(self.show_model_answer)
        self.exercise_bar.next_requested.connect(self.next_exercise)
        self.tabs.currentChanged.connect(lambda _i: self._update_bar())
        # Cut texts of the page on screen show whole as tooltips (pages build lazily).
        self.tabs.currentChanged.connect(
            lambda _i: explain_clipped_text(self.tabs.currentWidget() or self))
        self.workspace = QWidget()
        workspace_layout = QVBoxLayout(self.workspace)
        workspace_layout.setContentsMargins(0, 0, 0, 0)
        workspace_layout.setSpacing(0)
        workspace_layout.addWidget(self.tabs, 1)
        workspace_layout.addWidget(self.exercise_bar)
        self.tabs.currentChanged.connect(
            lambda i: self.settings.set(keys.CURRENT_TAB, str(i)))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)
        self.save_state = QLabel()
        self.statusBar().addPermanentWidget(self.save_state)
        # Live sync with a classroom server, when one is set (File > Connect to ...).
        from rmdesk.ui.classroom_sync import ClassroomSync

        self.classroom_sync = ClassroomSync(store, self)
        self.classroom_sync.before_round.connect(self.flush_edits)
        self.classroom_sync.data_arrived.connect(self._work_arrived)
        self.statusBar().addPermanentWidget(self.classroom_sync.label)

        self._selection = self.workshops.current_selection()
        languages.language_changed.connect(self._language_switched)
        self.language_actions[current_language()].setChecked(True)
        self.retranslate_ui()
        self._facilitator_mode_changed(self.roles.is_facilitator)
        self._restore_window()
        self._built = True
        self._show_selection()  # the selection read above: nothing has changed it since
        self.classroom_sync.start_from_settings()

    def _build_exercise_tabs(self) -> None:
        """One tab per exercise of the pack, in its order, after Workshop and Case study.
        Called again when a workshop uses another pack."""
        for _kind, page in self.exercise_tabs:
            self.tabs.removeTab(self.tabs.indexOf(page))
            if isinstance(page, LazyPage):
                page.flush()
                page.deleteLater()
        self.exercise_tabs = []
        position = 2  # after Workshop and Case study
        store, pack = self.store, self.pack
        for exercise in pack.exercises:
            page: QWidget | None
            if exercise.kind == "register_analysis":
                page = self.register_page
            elif exercise.kind == "indicator_selection":
                page = self.indicators_page
            else:
                page = make_page(PageContext(
                    store, pack, exercise, self.exercise_work, self.register,
                    lambda text: self.statusBar().showMessage(text, 4000)))
                if page is not None:
                    page.edited.connect(lambda p=page: self._page_edited(p))
            if page is not None and all(p is not page for _k, p in self.exercise_tabs):
                self.exercise_tabs.append((exercise.kind, page))
                self.tabs.insertTab(position, page, "")
                position += 1
        full = getattr(self, "full_pack", pack)
        if all(p is not self.register_page for _k, p in self.exercise_tabs) and \
                all(e.kind != "register_analysis" for e in full.exercises):
            self.exercise_tabs.insert(0, ("register_analysis", self.register_page))
            self.tabs.insertTab(2, self.register_page, "")
        self.tab_exercise = {}
        for exercise in pack.exercises:
            for kind, page in self.exercise_tabs:
                if kind == exercise.kind and id(page) not in self.tab_exercise:
                    self.tab_exercise[id(page)] = exercise

    def _use_pack_of(self, workshop: object | None) -> None:
        """Show the exercises of the pack the workshop was created with, as far as the
        workshop's agenda uses them (rmdesk.services.agenda)."""
        if workshop is None:
            return
        from rmdesk.content.pack import builtin_pack
        from rmdesk.services import agenda

        builtin = builtin_pack()
        wanted = (workshop.pack_id or builtin.pack.id,  # type: ignore[attr-defined]
                  workshop.pack_version or builtin.pack.version)  # type: ignore[attr-defined]
        full = getattr(self, "full_pack", self.pack)
        if wanted != (full.pack.id, full.pack.version):
            from rmdesk.services.packs import PackRegistry

            resolved = PackRegistry.for_store(self.store).resolve(*wanted)
            if resolved.warning is not None:
                self.statusBar().showMessage(resolved.warning.render(_), 10000)
            full = resolved.pack
        shown = agenda.visible_pack(self.store, workshop.id, full)  # type: ignore[attr-defined]
        same = (shown.pack.id, shown.pack.version) == (self.pack.pack.id,
                                                       self.pack.pack.version)
        if same and [e.id for e in shown.exercises] == [e.id for e in self.pack.exercises]:
            self.full_pack = full
            return
        self.flush_edits()
        current = self.tabs.currentIndex()
        self.full_pack, self.pack = full, shown
        for page in (self.case_page, self.register_page, self.indicators_page):
            page.set_pack(shown)
        self._build_exercise_tabs()
        for act in (self.add_risk_action, self.delete_risk_action):
            act.setEnabled(self._register_shown())  # hidden register: its keys do nothing
        self.tabs.setCurrentIndex(min(current, self.tabs.count() - 1))
        self.retranslate_ui()

    # -- facilitator mode --------------------------------------------------------------
    def unlock_facilitator(self) -> None:
        from rmdesk.ui.pin_dialog import unlock_dialog

        if unlock_dialog(self, self.roles):
            self.show_dashboard()

    def lock_facilitator(self) -> None:
        self.roles.lock()

    def change_pin(self) -> None:
        from rmdesk.ui.pin_dialog import change_pin_dialog

        change_pin_dialog(self, self.roles)

    def show_dashboard(self) -> None:
        if not self.roles.is_facilitator:
            self.unlock_facilitator()
            return
        page = self._ensure_facilitator_page()
        page.refresh()
        self.tabs.setCurrentWidget(page)

    def fill_model_answers(self) -> None:
        """Facilitator only (behind the PIN): the current group gets the model answers."""
        if not self.roles.is_facilitator:
            self.unlock_facilitator()
            if not self.roles.is_facilitator:
                return
        self.flush_edits()
        _workshop, group = self.workshops.current_selection()
        if group is None:
            show_error(self, RmdeskError("no_group_selected"))
            return
        from rmdesk.ui.model_answer_fill import fill_with_model_answers

        if fill_with_model_answers(self, self.store, self.pack, group.id, group.name):
            self.reload()
            if self.facilitator_page is not None:
                self.facilitator_page.refresh()

    def choose_exercises(self) -> None:
        """Facilitator only (behind the PIN): which exercises this workshop uses."""
        if not self.roles.is_facilitator:
            self.unlock_facilitator()
            if not self.roles.is_facilitator:
                return
        self.flush_edits()
        workshop, _group = self.workshops.current_selection()
        if workshop is None:
            show_error(self, RmdeskError("agenda_no_workshop"))
            return
        from rmdesk.ui.agenda_dialog import choose_exercises

        full = getattr(self, "full_pack", self.pack)
        if choose_exercises(self, self.store, workshop.id, full):
            self.reload()
            if self.facilitator_page is not None:
                self.facilitator_page.refresh()

    def _ensure_facilitator_page(self) -> FacilitatorPage:
        if self.facilitator_page is None:
            from rmdesk.ui.facilitator_page import FacilitatorPage

            page = FacilitatorPage(self.store, self.pack, self.roles)
            page.phases_changed.connect(self._update_bar)
            self.tabs.addTab(page, _("Facilitator"))
            workshop, _group = self._selection
            page.set_workshop(workshop.id if workshop else None, self.pack)
            self.facilitator_page = page
        return self.facilitator_page

    def _facilitator_mode_changed(self, facilitator: bool) -> None:
        if facilitator:
            self._ensure_facilitator_page()
        if self.facilitator_page is not None:
            index = self.tabs.indexOf(self.facilitator_page)
            self.tabs.setTabVisible(index, facilitator)
        self.lock_action.setEnabled(facilitator)
        self.unlock_action.setEnabled(not facilitator)
        if not facilitator and self.tabs.currentWidget() is self.facilitator_page:
            self.tabs.setCurrentIndex(0)
        self._update_bar()

    # -- moving work between laptops ----------------------------------------------------
    def export_work(self) -> None:
        self.flush_edits()
        workshop, group = self.workshops.current_selection()
        if workshop is None:
            show_error(self, RmdeskError("no_group_selected"))
            return
        from rmdesk.ui.exchange_dialogs import export_dialog

        written = export_dialog(self, self.store, workshop.id, group.id if group else None,
                                allow_kit=self.roles.is_facilitator,
                                folder=default_folder(self.store, EXCHANGE_FOLDER))
        if written is not None:
            remember_folder(self.store, EXCHANGE_FOLDER, written.parent)

    def import_work(self) -> None:
        self.flush_edits()
        from rmdesk.ui.exchange_dialogs import import_dialog

        if import_dialog(self, self.store):
            self.reload()
            if self.facilitator_page is not None:
                self.facilitator_page.refresh()

    def connect_server(self) -> None:
        self.flush_edits()
        from rmdesk.ui.server_dialog import CONNECTED, DISCONNECTED, ServerDialog

        result = ServerDialog(self, self.store).exec()
        if result == CONNECTED:
            self.classroom_sync.start_from_settings()
        elif result == DISCONNECTED:
            self.classroom_sync.disconnect_server()

    def _work_arrived(self) -> None:
        """A sync round brought the workshop's or the group's changes: show them, unless
        someone is typing (their page re-reads at the next round that brings something)."""
        typing = self.register_page.autosave.has_pending() or \
            self.indicators_page.autosave.has_pending()
        if not typing:
            self.reload()
        else:
            self._show_statuses()
        if self.facilitator_page is not None:
            self.facilitator_page.refresh()

    def import_content_pack(self) -> None:
        from rmdesk.ui.pack_import import import_pack_dialog

        import_pack_dialog(self, Path(self.store.path).parent)

    def import_declarations(self) -> None:
        from rmdesk.ui.dataset_import import import_declarations_dialog

        info = import_declarations_dialog(self, self.store)
        if info is not None:
            self.statusBar().showMessage(_("The data set “{name}” was imported: choose it "
                                           "in the targeting simulation.").format(
                name=info.name), 6000)

    def manage_datasets(self) -> None:
        from rmdesk.ui.dataset_manager import manage_datasets_dialog

        manage_datasets_dialog(self, self.store)

    # -- actions & menus -----------------------------------------------------------
    def _build_actions(self) -> None:
        def action(slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
            act = QAction(self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            return act

        self.new_action = action(self.new_workshop, "Ctrl+Shift+N")
        self.demo_action = action(self.open_demo)
        self.study_action = action(self.study_on_my_own)
        self.import_pack_action = action(self.import_content_pack)
        self.export_action = action(self.export_work, "Ctrl+E")
        self.import_work_action = action(self.import_work, "Ctrl+I")
        self.connect_server_action = action(self.connect_server)
        self.unlock_action = action(self.unlock_facilitator)
        self.lock_action = action(self.lock_facilitator)
        self.dashboard_action = action(self.show_dashboard, "Ctrl+Shift+D")
        self.change_pin_action = action(self.change_pin)
        self.fill_model_action = action(self.fill_model_answers)
        self.agenda_action = action(self.choose_exercises)
        self.import_declarations_action = action(self.import_declarations)
        self.manage_datasets_action = action(self.manage_datasets)
        self.print_action = action(self.print_output, QKeySequence.StandardKey.Print)
        self.quit_action = action(self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = action(self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = action(self.redo, "Ctrl+Shift+Z")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.add_risk_action = action(self._add_risk, "Ctrl+Shift+A")
        self.delete_risk_action = action(self._delete_risk, "Ctrl+Del")
        self.check_action = action(self._check_work, "F5")
        self.about_action = action(self.about)
        # Moving through the pages: the same keys on every page, whatever has the focus,
        # so an inner tab set (E1, E11, the dashboard) cannot trap Ctrl+Tab.
        self.next_page_action = action(lambda: self.tabs.step(1))
        self.next_page_action.setShortcuts([QKeySequence("Ctrl+PgDown"),
                                            QKeySequence("Ctrl+Tab")])
        self.previous_page_action = action(lambda: self.tabs.step(-1))
        self.previous_page_action.setShortcuts([
            QKeySequence("Ctrl+PgUp"), QKeySequence("Ctrl+Shift+Tab"),
            QKeySequence("Ctrl+Shift+Backtab")])
        self.next_exercise_action = action(self.next_exercise, NEXT_EXERCISE_KEYS)
        self.previous_exercise_action = action(self.previous_exercise, "Ctrl+Shift+PgUp")
        self.page_list_action = action(self._focus_page_list, "F6")
        self.submit_action = action(self._submit_or_reopen)
        self.model_action = action(self.show_model_answer)
        for act in (self.next_page_action, self.previous_page_action,
                    self.next_exercise_action, self.previous_exercise_action,
                    self.page_list_action):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(act)  # the keys work even when the menu bar is hidden
        self.participant_guide_action = action(lambda: self.show_help("participant"))
        self.facilitator_guide_action = action(lambda: self.show_help("facilitator"))
        self.shortcuts_action = action(lambda: self.show_help("shortcuts"), "F1")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            # Endonyms are never translated; each has its own mnemonic.
            act = QAction(LANGUAGE_MNEMONICS.get(code, name), self, checkable=True)
            act.setData(code)
            act.triggered.connect(lambda _c=False, lang=code: self.switch_language(lang))
            self.language_group.addAction(act)
            self.language_actions[code] = act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for act in (self.new_action, self.study_action, self.demo_action, None,
                    self.export_action, self.import_work_action, self.connect_server_action,
                    self.import_pack_action,
                    self.import_declarations_action, self.manage_datasets_action, None,
                    self.print_action, None, self.quit_action):
            self.file_menu.addSeparator() if act is None else self.file_menu.addAction(act)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.aboutToShow.connect(self._name_history_actions)
        for act in (self.undo_action, self.redo_action, None, self.add_risk_action,
                    self.delete_risk_action, None, self.check_action):
            self.edit_menu.addSeparator() if act is None else self.edit_menu.addAction(act)
        self.go_menu = bar.addMenu("")
        for act in (self.submit_action, self.model_action, None,
                    self.previous_exercise_action, self.next_exercise_action, None,
                    self.previous_page_action, self.next_page_action, self.page_list_action):
            self.go_menu.addSeparator() if act is None else self.go_menu.addAction(act)
        self.facilitator_menu = bar.addMenu("")
        for act in (self.unlock_action, self.lock_action, None, self.dashboard_action,
                    self.fill_model_action, self.agenda_action, None,
                    self.change_pin_action):
            self.facilitator_menu.addSeparator() if act is None else \
                self.facilitator_menu.addAction(act)
        self.language_menu = bar.addMenu("")
        for act in self.language_actions.values():
            self.language_menu.addAction(act)
        self.help_menu = bar.addMenu("")
        for act in (self.participant_guide_action, self.facilitator_guide_action,
                    self.shortcuts_action, None, self.about_action):
            self.help_menu.addSeparator() if act is None else self.help_menu.addAction(act)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("workshopBar")
        self.toolbar.setMovable(False)
        self.workshop_label = QLabel()
        self.workshop_combo = QComboBox()
        self.workshop_combo.setMinimumContentsLength(24)
        self.workshop_combo.activated.connect(self._workshop_chosen)
        self.group_label = QLabel()
        self.group_combo = QComboBox()
        self.group_combo.setMinimumContentsLength(14)
        self.group_combo.activated.connect(
            lambda _i: self.use_group(self.group_combo.currentData()))
        for widget in (self.workshop_label, self.workshop_combo, self.group_label,
                       self.group_combo):
            self.toolbar.addWidget(widget)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.print_action)
        self.addToolBar(self.toolbar)

    # -- texts ---------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._update_title()
        self.file_menu.setTitle(_("&File"))
        self.edit_menu.setTitle(_("&Edit"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.new_action.setText(_("&New workshop…"))
        self.demo_action.setText(_("Open the &demo workshop"))
        self.study_action.setText(_("&Study on my own"))
        self.import_pack_action.setText(_("Import content pac&k…"))
        self.export_action.setText(_("&Export for another laptop…"))
        self.export_action.setToolTip(_("Write this group's work (or, for the facilitator, "
                                        "the workshop kit) to one file for a USB stick"))
        self.import_work_action.setText(_("&Import from other laptops…"))
        self.connect_server_action.setText(_("Connect to classroom se&rver…"))
        self.classroom_sync.retranslate_ui()
        self.facilitator_menu.setTitle(_("Fa&cilitator"))
        self.unlock_action.setText(_("&Unlock facilitator mode…"))
        self.lock_action.setText(_("&Lock facilitator mode"))
        self.dashboard_action.setText(_("&Dashboard"))
        self.change_pin_action.setText(_("&Change PIN…"))
        self.fill_model_action.setText(_("Fill this group with the &model answers…"))
        self.agenda_action.setText(_("&Exercises in this workshop…"))
        if self.facilitator_page is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.facilitator_page), _("Facilitator"))
        self.import_declarations_action.setText(_("Import declarations (&CSV, XLSX, ODS)…"))
        self.manage_datasets_action.setText(_("&Manage declaration data sets…"))
        self.print_action.setText(_("&Print group output…"))
        self.print_action.setToolTip(_("Write this group's work to a PDF (Ctrl+P)"))
        self.quit_action.setText(_("&Quit"))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self.add_risk_action.setText(_("&Add risk"))
        self.delete_risk_action.setText(_("&Delete risk"))
        self.check_action.setText(_("&Check my work"))
        self.about_action.setText(_("&About rmdesk"))
        self.go_menu.setTitle(_("&Go"))
        self.next_page_action.setText(_("Ne&xt page"))
        self.previous_page_action.setText(_("Pre&vious page"))
        self.next_exercise_action.setText(_("&Next exercise"))
        self.previous_exercise_action.setText(_("&Previous exercise"))
        self.page_list_action.setText(_("&List of pages"))
        self.model_action.setText(_("&Model answer"))
        self._update_exercise_actions()
        self.participant_guide_action.setText(_("&Participant guide"))
        self.facilitator_guide_action.setText(_("&Facilitator guide"))
        self.shortcuts_action.setText(_("&Keyboard shortcuts"))
        self.toolbar.setWindowTitle(_("Workshop bar"))
        self.workshop_label.setText(" " + _("Workshop:") + " ")
        self.group_label.setText("  " + _("Group on this laptop:") + " ")
        self.tabs.setTabText(0, _("Workshop"))
        self.tabs.setTabText(1, _("Case study"))
        for kind, page in self.exercise_tabs:
            self.tabs.setTabText(self.tabs.indexOf(page), _(TAB_TITLES[kind]))
        self._show_statuses()
        self._fill_groups()  # its first item is a translated prompt
        self._show_saving(self.register_page.autosave.has_pending())

    def _update_title(self) -> None:
        workshop, group = self._selection
        if workshop and group:
            self.setWindowTitle(_("{workshop} — {group} — rmdesk").format(
                workshop=workshop.title, group=group.name))
        elif workshop:
            self.setWindowTitle(_("{workshop} — rmdesk").format(workshop=workshop.title))
        else:
            self.setWindowTitle("rmdesk")

    def _show_saving(self, pending: bool) -> None:
        self.save_state.setText(_("Saving…") if pending else _("All changes saved"))

    # -- state ---------------------------------------------------------------------
    def reload(self) -> None:
        self._selection = self.workshops.current_selection()
        self._show_selection()

    def _show_selection(self) -> None:
        workshop, group = self._selection
        self.stack.setCurrentWidget(self.workspace if workshop else self.welcome)
        self._use_pack_of(workshop)
        self.workshop_page.set_workshop(workshop)
        if self.facilitator_page is not None:
            self.facilitator_page.set_workshop(workshop.id if workshop else None, self.pack)
        self.progress.set_context(workshop.id if workshop else None,
                                  group.id if group else None, self.pack)
        self._fill_workshops()
        self._fill_groups()
        for _kind, page in self.exercise_tabs:
            page.set_group(group.id if group else None)  # type: ignore[attr-defined]
        self._update_title()
        self._update_bar()
        has_group = group is not None
        for act in (self.print_action, self.add_risk_action, self.delete_risk_action,
                    self.check_action):
            act.setEnabled(has_group)
        self.export_action.setEnabled(workshop is not None)

    def _fill_workshops(self) -> None:
        current, _group = self._selection
        self.workshop_combo.clear()
        for workshop in self.workshops.list_workshops():
            self.workshop_combo.addItem(workshop.title, workshop.id)
        if current:
            self.workshop_combo.setCurrentIndex(self.workshop_combo.findData(current.id))

    def _fill_groups(self) -> None:
        workshop, group = self._selection
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(_("(choose a group)"), None)
        if workshop:
            for g in self.workshops.list_groups(workshop.id):
                self.group_combo.addItem(g.name, g.id)
        index = self.group_combo.findData(group.id) if group else 0
        self.group_combo.setCurrentIndex(max(0, index))
        self.group_combo.blockSignals(False)

    def _groups_changed(self) -> None:
        """Groups were added, renamed or removed on the workshop page."""
        self._selection = self.workshops.current_selection()
        self.progress.refresh()  # a new group shows in the progress table at once
        self._fill_groups()
        self._update_title()
        if self._selection[1] is None:
            for _kind, page in self.exercise_tabs:
                page.set_group(None)  # type: ignore[attr-defined]

    def flush_edits(self) -> None:
        """Write every page's pending typing now."""
        if self.facilitator_page is not None:
            self.facilitator_page.flush()
        self.register_page.autosave.flush()
        self.indicators_page.autosave.flush()
        for _kind, page in self.exercise_tabs:
            if isinstance(page, LazyPage):
                page.flush()

    def _workshop_chosen(self, _index: int) -> None:
        self.flush_edits()
        self.workshops.select(self.workshop_combo.currentData(), None)
        self.reload()

    def use_group(self, group_id: str | None) -> None:
        self.flush_edits()
        workshop, current = self.workshops.current_selection()
        if group_id != (current.id if current else None):
            from rmdesk.ui.pin_dialog import confirm_group_switch

            if not confirm_group_switch(self, self.roles):
                self._fill_groups()  # the combo shows the group still at work
                return
        self.workshops.select(workshop.id if workshop else None, group_id)
        self.reload()
        if group_id:
            self.tabs.setCurrentWidget(self.register_page)

    # -- commands --------------------------------------------------------------------
    def switch_language(self, lang: str) -> None:
        self.flush_edits()  # typed text stays exactly as typed
        try:
            self.languages.switch(lang)
        except (OSError, RmdeskError) as exc:
            show_error(self, exc)
            return
        self.settings.set(keys.LANGUAGE, lang)

    def _language_switched(self, lang: str) -> None:
        self.language_actions[lang].setChecked(True)
        # Names rmdesk gave (not the trainee) follow the interface language.
        names = {code: (gettext_for(code)(SELF_STUDY_TITLE), gettext_for(code)(SELF_STUDY_GROUP))
                 for code in LANGUAGE_NAMES}
        try:
            renamed = self.study.follow_language(
                lang, {c: n[0] for c, n in names.items()}, {c: n[1] for c, n in names.items()})
        except RmdeskError:
            renamed = False  # a read-only store keeps the old names
        if renamed:
            self.reload()

    def new_workshop(self) -> None:
        from rmdesk.services.packs import PackRegistry
        from rmdesk.ui.workshop_dialog import WorkshopDialog  # dialogs load when first used

        dialog = WorkshopDialog(self, packs=PackRegistry.for_store(self.store).list_packs())
        if dialog.exec() != WorkshopDialog.DialogCode.Accepted:
            return
        pack_id, version = dialog.chosen_pack() or (self.pack.pack.id, self.pack.pack.version)
        try:
            workshop = self.workshops.create_workshop(dialog.value(), pack_id, version)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self.workshops.select(workshop.id, None)
        self.reload()
        self.tabs.setCurrentWidget(self.workshop_page)

    def edit_workshop(self) -> None:
        workshop, _group = self.workshops.current_selection()
        if workshop is None:
            return
        from rmdesk.ui.workshop_dialog import WorkshopDialog

        dialog = WorkshopDialog(self, workshop)
        if dialog.exec() != WorkshopDialog.DialogCode.Accepted:
            return
        try:
            self.workshops.update_workshop(workshop.id, dialog.value())
        except RmdeskError as exc:
            show_error(self, exc)
        self.reload()

    def open_demo(self) -> None:
        from rmdesk.services.demo import DEMO_TITLE, create_demo

        existing = [w for w in self.workshops.list_workshops() if w.title == DEMO_TITLE]
        workshop = existing[0] if existing else create_demo(self.store)
        groups = self.workshops.list_groups(workshop.id)
        self.workshops.select(workshop.id, groups[0].id if groups else None)
        self.reload()
        self.tabs.setCurrentWidget(self.register_page)

    def _page_with_history(self) -> object | None:
        """The page on screen when it keeps an undo history (never another page)."""
        current = self.tabs.currentWidget()
        page = current.page if isinstance(current, LazyPage) else current
        return page if page is not None and hasattr(page, "undo") else None

    def undo(self) -> None:
        page = self._page_with_history()
        if page is None or not page.undo():  # type: ignore[attr-defined]
            self.statusBar().showMessage(_("Nothing to undo on this page."), 4000)

    def redo(self) -> None:
        page = self._page_with_history()
        if page is None or not page.redo():  # type: ignore[attr-defined]
            self.statusBar().showMessage(_("Nothing to redo on this page."), 4000)

    def _name_history_actions(self) -> None:
        """The Edit menu says what Undo and Redo would do on the page shown."""
        page = self._page_with_history()
        undo = page.undo_label() if page is not None else None  # type: ignore[attr-defined]
        redo = page.redo_label() if page is not None else None  # type: ignore[attr-defined]
        self.undo_action.setText(_("&Undo {change}").format(change=undo) if undo
                                 else _("&Undo"))
        self.redo_action.setText(_("&Redo {change}").format(change=redo) if redo
                                 else _("&Redo"))

    def _register_shown(self) -> bool:
        """False when the workshop's agenda hides the register: its keys do nothing."""
        return self.tabs.indexOf(self.register_page) >= 0

    def _add_risk(self) -> None:
        if not self._register_shown():
            return
        self.tabs.setCurrentWidget(self.register_page)
        self.register_page.add_risk()

    def _delete_risk(self) -> None:
        if self._register_shown():
            self.register_page.delete_current()

    def _check_work(self) -> None:
        """F5 checks the exercise on screen (the register when another tab is showing)."""
        current = self.tabs.currentWidget()
        if current is self.indicators_page or isinstance(current, LazyPage):
            current.check_work()
            return
        if not self._register_shown():
            return
        self.tabs.setCurrentWidget(self.register_page)
        self.register_page.check_work()

    def print_output(self) -> None:
        self.flush_edits()
        workshop, group = self.workshops.current_selection()
        if workshop is None or group is None:
            show_error(self, RmdeskError("no_group_selected"))
            return
        from rmdesk.services.reports import gather_group_report
        from rmdesk.ui.print_dialog import PrintDialog, print_group_output

        folder = default_folder(self.store, PDF_FOLDER)
        name = f"{workshop.title}-{group.name}"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        lang = self.settings.get(keys.REPORT_LANGUAGE) or current_language()
        dialog = PrintDialog(self, lang, folder / f"{safe}.pdf")
        if dialog.exec() != PrintDialog.DialogCode.Accepted:
            return
        lang, out = dialog.chosen()
        self.settings.set(keys.REPORT_LANGUAGE, lang)
        remember_folder(self.store, PDF_FOLDER, out.parent)
        try:
            report = gather_group_report(self.store, workshop.id, group.id, self.pack)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self._threads = [t for t in self._threads if t.isRunning()]  # type: ignore[attr-defined]
        self._threads.append(print_group_output(self, report, lang, out))

    # -- moving through the exercises -------------------------------------------------
    def current_exercise(self) -> object | None:
        return self.tab_exercise.get(id(self.tabs.currentWidget()))

    def _update_bar(self) -> None:
        if not self._built:
            return
        self._show_statuses()
        workshop, group = self._selection
        exercise = self.current_exercise()
        if workshop is None or group is None or exercise is None:
            self.exercise_bar.hide()
            self._update_exercise_actions()
            return
        locked = not self.roles.is_facilitator and self.study.is_locked(
            workshop.id, exercise.id)  # type: ignore[attr-defined]
        self.tabs.currentWidget().setEnabled(not locked)
        pages = [p for _k, p in self.exercise_tabs]
        current = self.tabs.currentWidget()
        self.exercise_bar.show_state(
            self.study.status(group.id, exercise.id),  # type: ignore[attr-defined]
            locked,
            self.study.model_answer_open(workshop, group.id, exercise.id,  # type: ignore[attr-defined]
                                         self.roles.is_facilitator),
            exercise.model_answer is not None,  # type: ignore[attr-defined]
            current in pages and pages.index(current) < len(pages) - 1)
        self.exercise_bar.show()
        self._update_exercise_actions()

    def _update_exercise_actions(self) -> None:
        """The Go menu's Submit/Reopen and Model answer follow the exercise bar."""
        bar = self.exercise_bar
        shown = self._built and not bar.isHidden()
        self.submit_action.setText(bar.submit_text())
        self.submit_action.setEnabled(shown and bar.submit_button.isEnabled())
        self.model_action.setEnabled(shown and bar.has_model and bar.model_open)
    def _submit_or_reopen(self) -> None:
        if self.exercise_bar.status == SUBMITTED:
            self.reopen_exercise()
        else:
            self.submit_exercise()

    def _page_edited(self, page: QWidget) -> None:
        """Status is live: a first edit makes the exercise "in progress"; an edit of a
        submitted exercise reopens it, and the status bar says so."""
        _workshop, group = self._selection
        exercise = self.tab_exercise.get(id(page))
        if group is None or exercise is None:
            return
        exercise_id = exercise.id  # type: ignore[attr-defined]
        status = self.study.status(group.id, exercise_id)
        if status == "submitted":
            self.study.reopen(group.id, exercise_id)
            self.statusBar().showMessage(_(
                "This exercise was submitted: your change reopened it. Submit it again "
                "when you are done."), 10000)
        else:
            self.exercise_work.mark_started(group.id, exercise_id)
        self._update_bar()
        self.progress.refresh()

    def submit_exercise(self) -> None:
        workshop, group = self._selection
        exercise = self.current_exercise()
        if workshop is None or group is None or exercise is None:
            return
        self.flush_edits()
        self.study.submit(group.id, exercise.id)  # type: ignore[attr-defined]
        self._update_bar()
        if self.study.is_self_study(workshop.id) and exercise.model_answer:  # type: ignore[attr-defined]
            self.statusBar().showMessage(
                _("Submitted. You can now compare your work with the model answer."), 6000)
        else:
            self.statusBar().showMessage(_("Submitted."), 4000)

    def reopen_exercise(self) -> None:
        _workshop, group = self._selection
        exercise = self.current_exercise()
        if group is not None and exercise is not None:
            self.study.reopen(group.id, exercise.id)  # type: ignore[attr-defined]
            self._update_bar()

    def show_model_answer(self) -> None:
        exercise = self.current_exercise()
        if exercise is None:
            return
        from rmdesk.ui.model_answer import ModelAnswerDialog

        dialog = ModelAnswerDialog(self, exercise, self.roles.is_facilitator)  # type: ignore[arg-type]
        dialog.setModal(False)
        dialog.show()
        self._model_dialog = dialog

    def open_exercise(self, exercise_id: str) -> None:
        for page_id, exercise in self.tab_exercise.items():
            if exercise.id == exercise_id:  # type: ignore[attr-defined]
                for _kind, page in self.exercise_tabs:
                    if id(page) == page_id:
                        self.tabs.setCurrentWidget(page)
                        return

    def next_exercise(self) -> None:
        """The exercise after the one on screen (the first one from another page)."""
        self._step_exercise(1)

    def previous_exercise(self) -> None:
        self._step_exercise(-1)

    def _step_exercise(self, delta: int) -> None:
        pages = [p for _k, p in self.exercise_tabs]
        if not pages or self.stack.currentWidget() is not self.workspace:
            return
        current = self.tabs.currentWidget()
        if current in pages:
            index = pages.index(current) + delta
        else:
            index = 0 if delta > 0 else len(pages) - 1
        if 0 <= index < len(pages):
            self.tabs.setCurrentWidget(pages[index])

    def _focus_page_list(self) -> None:
        if self.stack.currentWidget() is self.workspace:
            self.tabs.list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_statuses(self) -> None:
        """Each exercise's status for the group on this laptop, beside its name."""
        workshop, group = self._selection
        statuses = self.exercise_work.statuses(group.id) if group is not None else {}
        for page_id, exercise in self.tab_exercise.items():
            index = next((self.tabs.indexOf(p) for _k, p in self.exercise_tabs
                          if id(p) == page_id), -1)
            if index < 0:
                continue
            if group is None or workshop is None:
                self.tabs.set_status(index, None)
                continue
            status = statuses.get(exercise.id, "not_started")  # type: ignore[attr-defined]
            text = _(STATUS_LABELS.get(status, STATUS_LABELS["not_started"]))
            if not self.roles.is_facilitator and self.study.is_locked(
                    workshop.id, exercise.id):  # type: ignore[attr-defined]
                status = LOCKED
                text = _("{status}, locked by the facilitator").format(status=text)
            self.tabs.set_status(index, status, text)

    def show_help(self, topic: str) -> None:
        from rmdesk.ui.help_dialog import HelpDialog

        dialog = getattr(self, "_help_dialog", None)
        if dialog is None:
            dialog = HelpDialog(self)
            self._help_dialog = dialog
        dialog.show_topic(topic)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def study_on_my_own(self) -> None:
        self.flush_edits()
        try:
            self.study.start_self_study(_(SELF_STUDY_TITLE), _(SELF_STUDY_GROUP),
                                        current_language(), self.pack)
        except RmdeskError as exc:
            show_error(self, exc)
            return
        self.reload()
        first = self.exercise_tabs[0][1] if self.exercise_tabs else self.case_page
        self.tabs.setCurrentWidget(self.case_page if first is None else first)

    def about(self) -> None:
        from rmdesk.ui.about_dialog import AboutDialog  # with Help > About > Licences

        AboutDialog(self.store.location, self).exec()

    # -- window state ------------------------------------------------------------------
    def _available(self) -> QRect:
        screen = self.screen() or QApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)

    def _restore_window(self) -> None:
        """The size kept from last time if it still fits this screen (a laptop may have
        moved from a large monitor to a projector), otherwise one that fits."""
        geometry = self.settings.get(keys.WINDOW_GEOMETRY)
        available = self._available()
        restored = bool(geometry) and self.restoreGeometry(
            QByteArray.fromBase64(geometry.encode()))  # type: ignore[union-attr]
        if not restored or not (self.isMaximized() or fits(self.geometry(), available)):
            self.fit_to_screen(available)
        tab = self.settings.get(keys.CURRENT_TAB)
        if tab and tab.isdigit():
            self.tabs.setCurrentIndex(int(tab))
        elif self._selection[1] is not None:
            self.tabs.setCurrentWidget(self.register_page)  # a group at work: its exercise

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """DEFAULT_SIZE, or less when the screen is smaller, centred on the screen. The
        title bar and frame are not known before the window is shown: leave room for them."""
        available = available or self._available()
        frame = FRAME_ALLOWANCE
        room = available.size() - QSize(frame.width(), frame.height() + frame.width() // 2)
        size = DEFAULT_SIZE.boundedTo(room)
        size = size.expandedTo(self.minimumSizeHint().boundedTo(size))
        self.setWindowState(Qt.WindowState.WindowNoState)
        # The client area, centred in what is left once the title bar has its room.
        self.setGeometry(QRect(
            available.left() + frame.width() // 2 + (room.width() - size.width()) // 2,
            available.top() + frame.height() + (room.height() - size.height()) // 2,
            size.width(), size.height()))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.flush_edits()
        self.classroom_sync.stop()
        try:
            if self.remember_geometry:
                self.settings.set(keys.WINDOW_GEOMETRY,
                                  bytes(self.saveGeometry().toBase64()).decode())
        except RmdeskError:
            pass  # a read-only store must not stop the window closing
        super().closeEvent(event)

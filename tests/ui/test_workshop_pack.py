"""A workshop shows the exercises of the pack it was created with, switching tabs
without a restart when the facilitator opens another workshop."""

from __future__ import annotations

import datetime as dt

from rmdesk.content.pack import builtin_pack
from rmdesk.services import packs
from rmdesk.services.workshops import WorkshopInput


def test_workshop_with_another_pack_rebuilds_the_exercise_tabs(make_window, monkeypatch
                                                                ) -> None:
    builtin = builtin_pack()
    other = builtin.model_copy(update={
        "pack": builtin.pack.model_copy(update={"id": "other-pack", "version": "2.0"}),
        "exercises": [e for e in builtin.exercises if e.kind == "register_analysis"]})

    def resolve(self, pack_id: str, version: str) -> packs.ResolvedPack:
        chosen = other if (pack_id, version) == ("other-pack", "2.0") else builtin
        return packs.ResolvedPack(chosen, packs.PackInfo.of(chosen, self.packs_dir, False))

    monkeypatch.setattr(packs.PackRegistry, "resolve", resolve)
    window = make_window()
    before = len(window.exercise_tabs)
    workshop = window.workshops.create_workshop(WorkshopInput(
        "Other", "", dt.date(2026, 1, 5), dt.date(2026, 1, 6), ("en",)), "other-pack", "2.0")
    group = window.workshops.add_group(workshop.id, "G")
    window.workshops.select(workshop.id, group.id)
    window.reload()
    assert window.pack is other
    assert [k for k, _p in window.exercise_tabs] == ["register_analysis"]
    assert [window.tabs.widget(i) for i in range(window.tabs.count())] == [
        window.workshop_page, window.case_page, window.register_page]
    assert before >= 2
    # Back to the first workshop: its own (built-in) exercises again.
    first = [w for w in window.workshops.list_workshops() if w.id != workshop.id][0]
    window.workshops.select(first.id, window.workshops.list_groups(first.id)[0].id)
    window.reload()
    assert window.pack.pack.id == builtin.pack.id
    assert len(window.exercise_tabs) == before


def test_new_workshop_can_use_an_imported_pack(make_window, tmp_path) -> None:
    from rmdesk import paths
    from rmdesk.content.pack import BUILTIN_PACK_FILE
    from rmdesk.services.packs import PackRegistry
    from rmdesk.ui.workshop_dialog import WorkshopDialog

    window = make_window()
    text = (paths.builtin_content_dir() / BUILTIN_PACK_FILE).read_text(encoding="utf-8")
    text = text.replace('id = "rmdesk-practice"', 'id = "valdoria-2027"', 1)
    source = tmp_path / "valdoria-2027.toml"
    source.write_text(text, encoding="utf-8")
    registry = PackRegistry.for_store(window.store)
    registry.import_pack(source)
    dialog = WorkshopDialog(window, packs=registry.list_packs())
    assert dialog.pack_combo.count() == 2
    dialog.pack_combo.setCurrentIndex(1)
    assert dialog.chosen_pack() == ("valdoria-2027", "1.0.0")
    dialog.title_edit.setText("Second workshop")
    workshop = window.workshops.create_workshop(dialog.value(), *dialog.chosen_pack())
    group = window.workshops.add_group(workshop.id, "G")
    window.workshops.select(workshop.id, group.id)
    window.reload()
    assert window.pack.pack.id == "valdoria-2027"
    # Editing a workshop never offers to change its pack.
    assert WorkshopDialog(window, workshop, packs=registry.list_packs()).chosen_pack() is None

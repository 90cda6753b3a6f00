"""Use cases on a real store: workshops and groups, the register with undo/redo,
settings, and the demo workshop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rmdesk import paths
from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.register import RegisterService
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import MAX_NAME, WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import Risk, WorkGroup, Workshop

Reopen = Callable[[Store], Store]


@pytest.fixture
def reopen() -> Iterator[Reopen]:
    """Close a store and open its folder again, as a restart of the app does."""
    opened: list[Store] = []

    def _reopen(store: Store) -> Store:
        store.close()
        again = open_store(store.path.parent)
        opened.append(again)
        return again

    yield _reopen
    for store in opened:
        store.close()


@pytest.fixture
def workshops(store: Store) -> WorkshopService:
    return WorkshopService(store)


@pytest.fixture
def workshop(workshops: WorkshopService) -> Workshop:
    return workshops.create_workshop(
        WorkshopInput("Regional workshop", "Almira", dt.date(2026, 3, 9), dt.date(2026, 3, 13))
    )


@pytest.fixture
def group(workshops: WorkshopService, workshop: Workshop) -> WorkGroup:
    return workshops.add_group(workshop.id, "Group 1")


@pytest.fixture
def register(store: Store) -> RegisterService:
    return RegisterService(store)


def code_of(error: pytest.ExceptionInfo[RmdeskError]) -> str:
    return error.value.code


def revision(store: Store, risk_id: str) -> int:
    with store.session() as s:
        row = s.get(Risk, risk_id)
        assert row is not None
        return row.revision


# -- workshops ------------------------------------------------------------------------


def test_workshop_is_created_with_clean_values(workshops: WorkshopService) -> None:
    created = workshops.create_workshop(
        WorkshopInput("  Regional workshop  ", " Almira ", languages=("fr", "xx", "en"))
    )
    stored = workshops.get_workshop(created.id)
    assert stored is not None
    assert (stored.title, stored.venue) == ("Regional workshop", "Almira")
    assert stored.language_list == ["en", "fr"]  # shipped languages only, in menu order


@pytest.mark.parametrize("title", ["", "   "])
def test_workshop_needs_a_title(workshops: WorkshopService, title: str) -> None:
    with pytest.raises(RmdeskError) as info:
        workshops.create_workshop(WorkshopInput(title))
    assert code_of(info) == "title_required"
    assert workshops.list_workshops() == []


def test_workshop_cannot_end_before_it_starts(workshops: WorkshopService) -> None:
    with pytest.raises(RmdeskError) as info:
        workshops.create_workshop(
            WorkshopInput("Regional workshop", start_date=dt.date(2026, 3, 13),
                          end_date=dt.date(2026, 3, 9))
        )
    assert code_of(info) == "dates_out_of_order"
    one_day = WorkshopInput("One day", start_date=dt.date(2026, 3, 9), end_date=dt.date(2026, 3, 9))
    assert workshops.create_workshop(one_day).end_date == dt.date(2026, 3, 9)


def test_overlong_title_is_refused(workshops: WorkshopService) -> None:
    with pytest.raises(RmdeskError) as info:
        workshops.create_workshop(WorkshopInput("x" * (MAX_NAME + 1)))
    assert code_of(info) == "text_too_long"
    assert info.value.params["limit"] == MAX_NAME
    assert workshops.create_workshop(WorkshopInput("x" * MAX_NAME)).title == "x" * MAX_NAME


def test_update_workshop_validates_and_persists(
    workshops: WorkshopService, workshop: Workshop, store: Store, reopen: Reopen
) -> None:
    with pytest.raises(RmdeskError):
        workshops.update_workshop(workshop.id, WorkshopInput(" "))
    workshops.update_workshop(workshop.id, WorkshopInput("Renamed", "Santa Brava"))
    again = WorkshopService(reopen(store)).get_workshop(workshop.id)
    assert again is not None
    assert (again.title, again.venue, again.revision) == ("Renamed", "Santa Brava", 2)


def test_find_workshop_by_title(workshops: WorkshopService, workshop: Workshop) -> None:
    assert workshops.find_workshop("Regional workshop").id == workshop.id
    with pytest.raises(RmdeskError) as info:
        workshops.find_workshop("Nope")
    assert code_of(info) == "unknown_workshop"


# -- groups and members -----------------------------------------------------------------


def test_groups_are_listed_in_the_order_they_were_added(
    workshops: WorkshopService, workshop: Workshop
) -> None:
    for name in ("Group 2", "Group 10", "Group 1"):
        workshops.add_group(workshop.id, name)
    assert [g.name for g in workshops.list_groups(workshop.id)] == [
        "Group 2", "Group 10", "Group 1"]


@pytest.mark.parametrize("name", ["Group 1", "group 1", " GROUP 1 "])
def test_duplicate_group_name_is_refused(
    workshops: WorkshopService, workshop: Workshop, group: WorkGroup, name: str
) -> None:
    with pytest.raises(RmdeskError) as info:
        workshops.add_group(workshop.id, name)
    assert code_of(info) == "duplicate_group"
    assert len(workshops.list_groups(workshop.id)) == 1


def test_same_group_name_in_another_workshop_is_fine(
    workshops: WorkshopService, group: WorkGroup
) -> None:
    other = workshops.create_workshop(WorkshopInput("Another workshop"))
    assert workshops.add_group(other.id, "Group 1").name == "Group 1"


@pytest.mark.parametrize("name", ["", "  "])
def test_group_needs_a_name(workshops: WorkshopService, workshop: Workshop, name: str) -> None:
    with pytest.raises(RmdeskError) as info:
        workshops.add_group(workshop.id, name)
    assert code_of(info) == "name_required"


def test_rename_group(
    workshops: WorkshopService, workshop: Workshop, group: WorkGroup, store: Store,
    reopen: Reopen,
) -> None:
    workshops.add_group(workshop.id, "Group 2")
    with pytest.raises(RmdeskError) as info:
        workshops.rename_group(group.id, "group 2")
    assert code_of(info) == "duplicate_group"
    workshops.rename_group(group.id, "GROUP 1")  # its own name in other case is fine
    workshops.rename_group(group.id, "Tigers")
    names = [g.name for g in WorkshopService(reopen(store)).list_groups(workshop.id)]
    assert names == ["Tigers", "Group 2"]


def test_rename_unknown_group(workshops: WorkshopService) -> None:
    with pytest.raises(RmdeskError) as info:
        workshops.rename_group("no-such-id", "Tigers")
    assert code_of(info) == "unknown_group"


def test_removing_a_group_removes_its_members_and_risks(
    workshops: WorkshopService, workshop: Workshop, group: WorkGroup, register: RegisterService,
    store: Store,
) -> None:
    member = workshops.add_member(group.id, "Ana", "Valdoria Customs")
    risk = register.add_risk(group.id, event="Under-valuation")
    workshops.remove_group(group.id)
    assert workshops.list_groups(workshop.id) == []
    assert workshops.list_members(group.id) == []
    with store.session() as s:
        assert s.get(Risk, risk.id) is None  # the foreign key cascade ran in SQLite
    workshops.remove_member(member.id)  # already gone: harmless
    name_free_again = workshops.add_group(workshop.id, "Group 1")
    assert name_free_again.id != group.id


def test_members_keep_their_order_and_clean_values(
    workshops: WorkshopService, group: WorkGroup, store: Store, reopen: Reopen
) -> None:
    ana = workshops.add_member(group.id, "  Ana Souza ", " Receita Federal ")
    workshops.add_member(group.id, "Luc", "Douanes")
    workshops.add_member(group.id, "x" * (MAX_NAME + 50))
    workshops.update_member(ana.id, administration="Aduana de Valdoria")
    members = WorkshopService(reopen(store)).list_members(group.id)
    assert [(m.name, m.administration) for m in members] == [
        ("Ana Souza", "Aduana de Valdoria"),
        ("Luc", "Douanes"),
        ("x" * MAX_NAME, ""),
    ]


def test_remove_member(workshops: WorkshopService, group: WorkGroup) -> None:
    ana = workshops.add_member(group.id, "Ana")
    workshops.add_member(group.id, "Luc")
    workshops.remove_member(ana.id)
    assert [m.name for m in workshops.list_members(group.id)] == ["Luc"]


# -- which group this laptop is -----------------------------------------------------------


def test_no_workshop_means_no_selection(workshops: WorkshopService) -> None:
    assert workshops.current_selection() == (None, None)


def test_selection_falls_back_to_the_latest_workshop(workshops: WorkshopService) -> None:
    workshops.create_workshop(WorkshopInput("First"))
    latest = workshops.create_workshop(WorkshopInput("Second"))
    workshop, group = workshops.current_selection()
    assert workshop is not None and workshop.id == latest.id
    assert group is None


def test_selection_is_remembered_across_a_restart(
    workshops: WorkshopService, workshop: Workshop, group: WorkGroup, store: Store,
    reopen: Reopen,
) -> None:
    workshops.add_group(workshop.id, "Group 2")
    workshops.create_workshop(WorkshopInput("A later workshop"))
    workshops.select(workshop.id, group.id)
    chosen, chosen_group = WorkshopService(reopen(store)).current_selection()
    assert chosen is not None and chosen.id == workshop.id
    assert chosen_group is not None and chosen_group.id == group.id


def test_removing_the_selected_group_forgets_it(
    workshops: WorkshopService, workshop: Workshop, group: WorkGroup
) -> None:
    workshops.select(workshop.id, group.id)
    workshops.remove_group(group.id)
    assert workshops.settings.get(keys.CURRENT_GROUP) is None
    chosen, chosen_group = workshops.current_selection()
    assert chosen is not None and chosen.id == workshop.id
    assert chosen_group is None


def test_selection_of_a_vanished_workshop_falls_back(
    workshops: WorkshopService, workshop: Workshop
) -> None:
    workshops.select("no-such-workshop", "no-such-group")
    chosen, chosen_group = workshops.current_selection()
    assert chosen is not None and chosen.id == workshop.id
    assert chosen_group is None


# -- the register ---------------------------------------------------------------------


def test_new_risks_are_numbered_r1_r2(register: RegisterService, group: WorkGroup) -> None:
    first = register.add_risk(group.id)
    second = register.add_risk(group.id, event="Smuggling of cigarettes")
    third = register.add_risk(group.id, code="A7")
    assert [first.code, second.code, third.code] == ["R1", "R2", "A7"]
    assert [r.code for r in register.list_risks(group.id)] == ["R1", "R2", "A7"]


def test_numbering_continues_after_the_highest_id(
    register: RegisterService, group: WorkGroup
) -> None:
    register.add_risk(group.id, code="R7")
    assert register.add_risk(group.id).code == "R8"


def test_deleted_risk_id_is_not_reused(register: RegisterService, group: WorkGroup) -> None:
    register.add_risk(group.id)
    second = register.add_risk(group.id)
    register.delete_risk(second.id)
    assert register.add_risk(group.id).code == "R3"  # undo could still bring R2 back


def test_each_group_numbers_its_own_risks(
    register: RegisterService, workshops: WorkshopService, workshop: Workshop, group: WorkGroup
) -> None:
    other = workshops.add_group(workshop.id, "Group 2")
    register.add_risk(group.id)
    register.add_risk(group.id)
    assert register.add_risk(other.id).code == "R1"
    assert len(register.list_risks(group.id)) == 2


def test_edit_persists_across_a_restart(
    register: RegisterService, group: WorkGroup, store: Store, reopen: Reopen
) -> None:
    risk = register.add_risk(group.id)
    updated = register.update_field(risk.id, "event", "Importers under-declare footwear")
    assert updated.event == "Importers under-declare footwear"
    register.update_field(risk.id, "likelihood", "4")
    again = RegisterService(reopen(store)).get(risk.id)
    assert again.event == "Importers under-declare footwear"
    assert again.likelihood == 4


@pytest.mark.parametrize(("value", "stored"), [("3", 3), (" 5 ", 5), (1, 1), ("", None),
                                               (None, None)])
def test_valid_ratings(
    register: RegisterService, group: WorkGroup, value: object, stored: int | None
) -> None:
    risk = register.add_risk(group.id, impact=2)
    assert register.update_field(risk.id, "impact", value).impact == stored


@pytest.mark.parametrize("value", [0, 6, "0", "6", "x", 2.5, "2.5", "3a"])
def test_rating_off_the_scale_is_refused_and_the_old_value_kept(
    register: RegisterService, group: WorkGroup, value: object
) -> None:
    risk = register.add_risk(group.id, likelihood=2)
    with pytest.raises(RmdeskError) as info:
        register.update_field(risk.id, "likelihood", value)
    assert code_of(info) == "rating_out_of_range"
    assert info.value.params["value"] == value
    assert register.get(risk.id).likelihood == 2


def test_rating_off_the_scale_is_refused_when_adding(
    register: RegisterService, group: WorkGroup
) -> None:
    with pytest.raises(RmdeskError):
        register.add_risk(group.id, impact=6)
    assert register.list_risks(group.id) == []


def test_overlong_text_is_refused(register: RegisterService, group: WorkGroup) -> None:
    risk = register.add_risk(group.id)
    with pytest.raises(RmdeskError) as info:
        register.update_field(risk.id, "cause", "x" * 2001)
    assert code_of(info) == "text_too_long"
    assert info.value.params == {"field": "cause", "length": 2001, "limit": 2000}
    assert register.update_field(risk.id, "cause", "x" * 2000).cause == "x" * 2000


def test_overlong_id_is_refused(register: RegisterService, group: WorkGroup) -> None:
    risk = register.add_risk(group.id)
    with pytest.raises(RmdeskError) as info:
        register.update_field(risk.id, "code", "R" * 13)
    assert code_of(info) == "text_too_long"
    assert register.get(risk.id).code == "R1"


@pytest.mark.parametrize(("area", "stored"), [("revenue", "revenue"), ("customs", ""),
                                              ("Revenue", ""), ("", "")])
def test_area_outside_the_list_is_stored_empty(
    register: RegisterService, group: WorkGroup, area: str, stored: str
) -> None:
    risk = register.add_risk(group.id, area="security")
    assert register.update_field(risk.id, "area", area).area == stored


def test_unknown_field_is_a_programming_error(
    register: RegisterService, group: WorkGroup
) -> None:
    risk = register.add_risk(group.id)
    with pytest.raises(ValueError):
        register.update_field(risk.id, "deleted", True)


def test_delete_then_undo_restores_then_redo_deletes(
    register: RegisterService, group: WorkGroup
) -> None:
    register.add_risk(group.id, event="First")
    second = register.add_risk(group.id, event="Second")
    register.delete_risk(second.id)
    assert [r.event for r in register.list_risks(group.id)] == ["First"]
    assert register.undo() == second.id
    assert [r.event for r in register.list_risks(group.id)] == ["First", "Second"]
    assert register.redo() == second.id
    assert [r.event for r in register.list_risks(group.id)] == ["First"]


def test_undo_of_add_removes_the_risk(register: RegisterService, group: WorkGroup) -> None:
    risk = register.add_risk(group.id)
    assert register.undo() == risk.id
    assert register.list_risks(group.id) == []
    assert register.redo() == risk.id
    assert [r.id for r in register.list_risks(group.id)] == [risk.id]


def test_undo_of_an_edit_restores_the_old_text_after_a_restart(
    register: RegisterService, group: WorkGroup, store: Store, reopen: Reopen
) -> None:
    risk = register.add_risk(group.id, event="Old text")
    register.history.seal()
    register.update_field(risk.id, "event", "New text")
    register.undo()
    assert RegisterService(reopen(store)).get(risk.id).event == "Old text"


def test_redo_of_an_edit(register: RegisterService, group: WorkGroup) -> None:
    risk = register.add_risk(group.id)
    register.update_field(risk.id, "owner", "Head of Valuation")
    register.undo()
    assert register.get(risk.id).owner == ""
    register.redo()
    assert register.get(risk.id).owner == "Head of Valuation"


def test_nothing_to_undo(register: RegisterService) -> None:
    assert register.undo() is None
    assert register.redo() is None


def test_revision_counts_every_change(
    register: RegisterService, group: WorkGroup, store: Store
) -> None:
    risk = register.add_risk(group.id)
    assert revision(store, risk.id) == 1
    register.update_field(risk.id, "event", "Smuggling")
    assert revision(store, risk.id) == 2
    register.update_field(risk.id, "event", "Smuggling")  # same value: no change
    assert revision(store, risk.id) == 2
    register.update_field(risk.id, "impact", 3)
    assert revision(store, risk.id) == 3
    register.delete_risk(risk.id)
    assert revision(store, risk.id) == 4
    register.undo()
    assert revision(store, risk.id) == 5


def test_rewriting_the_same_value_adds_no_undo_step(
    register: RegisterService, group: WorkGroup
) -> None:
    risk = register.add_risk(group.id, event="Same")
    register.history.clear()
    register.update_field(risk.id, "event", "Same")
    assert not register.history.can_undo()


# -- settings ---------------------------------------------------------------------------


def test_settings_get_set_and_delete(store: Store, reopen: Reopen) -> None:
    settings = SettingsService(store)
    assert settings.get(keys.LANGUAGE) is None
    assert settings.get(keys.LANGUAGE, "en") == "en"
    settings.set(keys.LANGUAGE, "es")
    settings.set(keys.LANGUAGE, "fr")
    settings.set(keys.REPORT_LANGUAGE, "pt_BR")
    settings = SettingsService(reopen(store))
    assert settings.get(keys.LANGUAGE) == "fr"
    settings.set(keys.LANGUAGE, None)
    assert settings.get(keys.LANGUAGE, "en") == "en"
    assert settings.get(keys.REPORT_LANGUAGE) == "pt_BR"
    settings.set("never.set", None)  # deleting what is not there is harmless
    assert settings.get("never.set") is None


def test_empty_string_setting_is_kept_not_deleted(store: Store) -> None:
    settings = SettingsService(store)
    settings.set(keys.CURRENT_TAB, "")
    assert settings.get(keys.CURRENT_TAB, "default") == ""


# -- demo -----------------------------------------------------------------------------


def _demo_file() -> Path:
    return paths.builtin_content_dir() / "demo.toml"


@pytest.fixture
def demo_available() -> None:
    if not _demo_file().is_file():
        pytest.skip(f"{_demo_file()} does not exist yet (demo content not written)")


@pytest.mark.usefixtures("demo_available")
def test_demo_has_three_groups_with_members_and_risks(store: Store) -> None:
    from rmdesk.services.demo import create_demo

    workshop = create_demo(store)
    workshops = WorkshopService(store)
    register = RegisterService(store)
    groups = workshops.list_groups(workshop.id)
    assert [g.name for g in groups] == ["Group 1", "Group 2", "Group 3", "Model answer"]
    for group in groups:
        assert workshops.list_members(group.id) or group.name == "Model answer", group.name
        risks = register.list_risks(group.id)
        assert risks, group.name
        assert len({r.code for r in risks}) == len(risks), f"{group.name}: duplicate IDs"
    assert workshops.find_workshop(workshop.title).id == workshop.id

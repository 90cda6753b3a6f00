"""Moving work between laptops: kits and group work out and in, repeated imports, newer
versions, tombstones, two laptops editing one group, conflicts and their resolution."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from sqlmodel import select
from test_exchange_support import (
    dump,
    fill_group,
    open_laptops,
    read_members,
    rows,
    set_feedback,
    set_pin,
    setup_workshop,
)

from rmdesk.errors import RmdeskError
from rmdesk.services import settings as keys
from rmdesk.services.exchange import ADD, CONFLICT, MINE, OLDER, SAME, THEIRS, UPDATE
from rmdesk.services.settings import SettingsService
from rmdesk.services.workshops import WorkshopInput
from rmdesk.store.models import ExchangeConflict


@pytest.fixture
def laptops(tmp_path: Path):
    yield from open_laptops(tmp_path)


GROUP_TABLES = ("risk", "indicator_choice", "profile", "targeting_run", "exercise_work")


def strip(table_rows: list[dict], *drop: str) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in drop} for r in table_rows]


def kit_to(laptops, source: str, target: str, tmp_path: Path, workshop_id: str,
           group_id: str | None = None) -> None:
    """The kit from `source` on `target`; with group_id, the kit that sets `target` up
    for that group (its laptops alone can sign that group's work)."""
    path = tmp_path / f"kit-{source}-{target}.rmdx"
    laptops[source].exchange.export_kit(workshop_id, path, group_id)
    report = laptops[target].exchange.import_file(path)
    assert report.error is None, report.error


def group_file(laptops, name: str, group_id: str, tmp_path: Path, tag: str = "") -> Path:
    path = tmp_path / f"{name}-{group_id[:8]}{tag}.rmdx"
    laptops[name].exchange.export_group_work(group_id, path)
    return path


# -- kits ----------------------------------------------------------------------------------
def test_kit_makes_an_empty_laptop_ready(laptops, tmp_path: Path) -> None:
    fac = laptops["facilitator"]
    workshop_id, g1, g2 = setup_workshop(fac)
    fill_group(fac, g1)  # group work never travels in a kit
    path = tmp_path / "kit.rmdx"
    report = fac.exchange.export_kit(workshop_id, path)
    assert report.counts == {"workshop": 1, "work_group": 2, "member": 2, "exercise_phase": 1}

    part = laptops["participant"]
    imported = part.exchange.import_file(path)
    assert imported.error is None and imported.applied
    assert {c.action for c in imported.changes} == {ADD}
    for table in ("workshop", "work_group", "member", "exercise_phase"):
        assert rows(part.store, table) == rows(fac.store, table), table
    for table in GROUP_TABLES:
        assert rows(part.store, table) == [], table
    # ready: the laptop now works for the imported workshop; choosing its group is local
    assert SettingsService(part.store).get(keys.CURRENT_WORKSHOP) == workshop_id
    workshop, group = part.workshops.current_selection()
    assert workshop is not None and workshop.title == "Taller regional 2026"
    assert [g.name for g in part.workshops.list_groups(workshop_id)] == [
        "Grupo Ñandú", "Group 2"]


def test_kit_carries_the_workshops_pack_and_data_sets(laptops, tmp_path: Path) -> None:
    from rmdesk import paths

    fac = laptops["facilitator"]
    workshop_id, _g1, _g2 = setup_workshop(fac)
    text = (paths.builtin_content_dir() / "builtin-practice.toml").read_text("utf-8")
    text = text.replace('id = "rmdesk-practice"', 'id = "almira-pack"', 1)
    (fac.data_dir / "packs").mkdir()
    (fac.data_dir / "packs" / "almira-pack-1.0.0.toml").write_text(text, "utf-8")
    from test_datasets import table

    from rmdesk.services.datasets import DatasetService

    dataset = DatasetService(fac.data_dir).save_dataset(table(6), "Almira 2025",
                                                        "almira-2025.csv")
    (fac.data_dir / "datasets" / "notes.txt").write_text("not declaration data\n")
    with fac.store.session() as s:
        from rmdesk.store.models import Workshop

        workshop = s.get(Workshop, workshop_id)
        workshop.pack_id, workshop.pack_version = "almira-pack", "1.0.0"
        s.add(workshop)
    path = tmp_path / "kit.rmdx"
    assert fac.exchange.export_kit(workshop_id, path).missing_pack is None
    assert "packs/almira-pack-1.0.0.toml" in read_members(path)

    part = laptops["participant"]
    report = part.exchange.import_file(path)
    assert report.error is None
    assert {f.path: f.action for f in report.files} == {
        "packs/almira-pack-1.0.0.toml": "add", f"datasets/{dataset.id}.json": "add",
        f"datasets/{dataset.id}.npz": "add"}  # only declaration data: not notes.txt
    assert (part.data_dir / "packs" / "almira-pack-1.0.0.toml").read_text("utf-8") == text
    copied = DatasetService(part.data_dir)
    assert [i.name for i in copied.list_datasets()][1:] == ["Almira 2025"]
    assert len(copied.load_dataset(dataset.id)) == 6
    again = part.exchange.import_file(path)
    assert {f.action for f in again.files} == {"same"}


def test_kit_of_a_workshop_whose_pack_file_is_missing_says_so(laptops, tmp_path: Path) -> None:
    fac = laptops["facilitator"]
    workshop_id, _g1, _g2 = setup_workshop(fac)
    with fac.store.session() as s:
        from rmdesk.store.models import Workshop

        workshop = s.get(Workshop, workshop_id)
        workshop.pack_id, workshop.pack_version = "lost-pack", "2.0"
        s.add(workshop)
    report = fac.exchange.export_kit(workshop_id, tmp_path / "kit.rmdx")
    assert report.missing_pack == "lost-pack-2.0.toml"


def test_builtin_pack_is_not_copied_into_a_kit(laptops, tmp_path: Path) -> None:
    from rmdesk.content.pack import builtin_pack

    fac = laptops["facilitator"]
    meta = builtin_pack().pack
    workshop = fac.workshops.create_workshop(WorkshopInput("W"), meta.id, meta.version)
    set_pin(fac)
    report = fac.exchange.export_kit(workshop.id, tmp_path / "kit.rmdx")
    assert report.missing_pack is None
    assert not any(n.startswith("packs/") for n in read_members(tmp_path / "kit.rmdx"))


def test_a_newer_kit_updates_phase_state_and_names(laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit_to(laptops, "facilitator", "participant", tmp_path, workshop_id, g1)
    fac.workshops.rename_group(g1, "Grupo Jaguar")
    with fac.store.session() as s:
        from rmdesk.store.models import ExercisePhase

        phase = s.exec(select(ExercisePhase)).one()
        phase.locked, phase.model_revealed = False, True
        phase.revision += 1
        s.add(phase)
    path = tmp_path / "kit2.rmdx"
    fac.exchange.export_kit(workshop_id, path)
    report = part.exchange.import_file(path)
    assert {(c.table, c.action) for c in report.changes if c.action != SAME} == {
        ("work_group", UPDATE), ("exercise_phase", UPDATE)}
    assert part.workshops.get_group(g1).name == "Grupo Jaguar"
    phase = rows(part.store, "exercise_phase")[0]
    assert (phase["locked"], phase["model_revealed"]) == (0, 1)


# -- group work ----------------------------------------------------------------------------
def test_group_work_round_trip(laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit_to(laptops, "facilitator", "participant", tmp_path, workshop_id, g1)
    fill_group(part, g1)
    part.workshops.add_member(g1, "Bruno Lima", "Receita de Sulmara")
    path = group_file(laptops, "participant", g1, tmp_path)

    report = fac.exchange.import_file(path)
    assert report.error is None and report.kind == "group-work"
    assert report.group_name == "Grupo Ñandú"
    assert report.added == 2 + 1 + 1 + 1 + 1 + 1  # risks, choice, profile, run, answer, member
    for table in ("member", *GROUP_TABLES):
        assert rows(fac.store, table, group_id=g1) == rows(part.store, table, group_id=g1), table
    assert fac.work.load(g1, "E1").status == "submitted"


def test_importing_the_same_files_twice_changes_nothing(laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit = tmp_path / "kit.rmdx"
    fac.exchange.export_kit(workshop_id, kit, g1)
    part.exchange.import_file(kit)
    fill_group(part, g1)
    work = group_file(laptops, "participant", g1, tmp_path)
    fac.exchange.import_file(work)

    for laptop, path in ((part, kit), (fac, work), (fac, kit)):
        before = dump(laptop.store)
        report = laptop.exchange.import_file(path)
        assert report.error is None
        assert not report.changes_anything
        assert {c.action for c in report.changes} <= {SAME, OLDER}
        assert dump(laptop.store) == before


def test_newer_revision_replaces_older_and_older_file_is_ignored(
        laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit_to(laptops, "facilitator", "participant", tmp_path, workshop_id, g1)
    fill_group(part, g1)
    first = group_file(laptops, "participant", g1, tmp_path, "-1")
    assert fac.exchange.import_file(first).error is None

    risk = part.register.list_risks(g1)[0]
    part.register.update_field(risk.id, "event", "Undervalued footwear from Norlandia")
    part.register.update_field(risk.id, "likelihood", 5)
    part.register.delete_risk(part.register.list_risks(g1)[1].id)  # a tombstone travels
    second = group_file(laptops, "participant", g1, tmp_path, "-2")
    report = fac.exchange.import_file(second)
    assert sorted((c.table, c.action) for c in report.changes if c.action != SAME) == [
        ("risk", UPDATE), ("risk", UPDATE)]
    live = fac.register.list_risks(g1)
    assert [(r.event, r.likelihood) for r in live] == [
        ("Undervalued footwear from Norlandia", 5)]
    assert rows(fac.store, "risk", group_id=g1) == rows(part.store, "risk", group_id=g1)

    before = dump(fac.store)
    old = fac.exchange.import_file(first)
    assert old.error is None and not old.changes_anything
    assert {c.action for c in old.changes if c.table == "risk"} == {OLDER}
    assert dump(fac.store) == before


def test_facilitator_data_never_travels_in_group_work(laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit_to(laptops, "facilitator", "participant", tmp_path, workshop_id, g1)
    fill_group(part, g1)
    fac.exchange.import_file(group_file(laptops, "participant", g1, tmp_path, "-1"))
    set_feedback(fac, g1, "E1", "Strong PESTLE; objectives missing", 7)

    # Exported from the facilitator's own laptop, the group's work still has none of it.
    path = group_file(laptops, "facilitator", g1, tmp_path, "-fac")
    members = read_members(path)
    blob = b"".join(members.values())
    assert b"Strong PESTLE" not in blob
    for record in json.loads(members["records/exercise_work.json"])["records"]:
        assert "feedback" not in record["fields"] and "score" not in record["fields"]

    # The group goes on working: its newer answer arrives and the feedback stays.
    part.work.save(g1, "E1", {"pestle": {"political": ["Elections in May", "New minister"]}})
    report = fac.exchange.import_file(group_file(laptops, "participant", g1, tmp_path, "-2"))
    assert [(c.table, c.action) for c in report.changes if c.action != SAME] == [
        ("exercise_work", UPDATE)]
    state = fac.work.load(g1, "E1")
    assert state.data["pestle"]["political"][-1] == "New minister"
    assert (state.feedback, state.score) == ("Strong PESTLE; objectives missing", 7)


def test_feedback_written_before_the_work_arrives_is_kept(laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit_to(laptops, "facilitator", "participant", tmp_path, workshop_id, g1)
    set_feedback(fac, g1, "E1", "Seen on the wall chart", 5)  # a blank answer row, here only
    fill_group(part, g1)
    report = fac.exchange.import_file(group_file(laptops, "participant", g1, tmp_path))
    assert ("exercise_work", UPDATE) in [(c.table, c.action) for c in report.changes]
    answers = rows(fac.store, "exercise_work", group_id=g1)
    assert len(answers) == 1
    assert (answers[0]["feedback"], answers[0]["status"]) == ("Seen on the wall chart",
                                                              "submitted")


def test_group_work_of_a_workshop_not_on_this_laptop_is_refused(
        laptops, tmp_path: Path) -> None:
    fac, other = laptops["facilitator"], laptops["other"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    fill_group(fac, g1)
    path = group_file(laptops, "facilitator", g1, tmp_path)
    before = dump(other.store)
    report = other.exchange.import_file(path)
    assert report.error is not None and report.error.code == "exchange_foreign_workshop"
    assert "Taller regional 2026" in str(report.error) and path.name in str(report.error)
    assert dump(other.store) == before


# -- two laptops, conflicts ----------------------------------------------------------------
def _two_laptops_one_group(laptops, tmp_path: Path) -> tuple[str, str]:
    """Laptops A and B both work for group 1; B has A's first work. Returns (g1, risk id)."""
    fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit_to(laptops, "facilitator", "a", tmp_path, workshop_id, g1)
    kit_to(laptops, "facilitator", "b", tmp_path, workshop_id, g1)
    a.register.add_risk(g1, event="Transhipment of cocaine", likelihood=4, impact=5)
    first = group_file(laptops, "a", g1, tmp_path, "-a0")
    assert b.exchange.import_file(first).error is None
    assert fac.exchange.import_file(first).error is None
    return g1, a.register.list_risks(g1)[0].id


def test_two_laptops_edits_of_different_records_merge(laptops, tmp_path: Path) -> None:
    fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
    g1, risk_id = _two_laptops_one_group(laptops, tmp_path)
    a.register.update_field(risk_id, "cause", "Rip-on/rip-off at the terminal")
    a.register.add_risk(g1, event="Undervalued textiles")
    b.register.add_risk(g1, event="Misdeclared origin of steel")
    b.work.save(g1, "E12", {"levels": {"governance": 2}})
    for name in ("a", "b"):
        report = fac.exchange.import_file(group_file(laptops, name, g1, tmp_path, f"-{name}1"))
        assert report.error is None and not report.conflicts
    events = sorted(r.event for r in fac.register.list_risks(g1))
    assert events == ["Misdeclared origin of steel", "Transhipment of cocaine",
                      "Undervalued textiles"]
    assert fac.register.get(risk_id).cause == "Rip-on/rip-off at the terminal"
    assert fac.work.load(g1, "E12").data == {"levels": {"governance": 2}}


def test_both_laptops_changing_one_record_is_a_conflict_that_keeps_both(
        laptops, tmp_path: Path) -> None:
    fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
    g1, risk_id = _two_laptops_one_group(laptops, tmp_path)
    a.register.update_field(risk_id, "event", "Cocaine in reefer containers")
    b.register.update_field(risk_id, "event", "Cocaine in transhipped containers")
    file_a = group_file(laptops, "a", g1, tmp_path, "-a1")
    file_b = group_file(laptops, "b", g1, tmp_path, "-b1")
    assert fac.exchange.import_file(file_a).updated == 1

    preview = fac.exchange.preview(file_b)
    assert [(c.table, c.key, c.action) for c in preview.conflicts] == [
        ("risk", risk_id, CONFLICT)]
    assert preview.conflicts[0].differences == (
        ("event", "Cocaine in reefer containers", "Cocaine in transhipped containers"),)
    report = fac.exchange.import_file(file_b)
    assert len(report.conflicts) == 1
    # ours stays; theirs waits whole
    assert fac.register.get(risk_id).event == "Cocaine in reefer containers"
    [pending] = fac.exchange.pending_conflicts()
    assert pending.mine["event"] == "Cocaine in reefer containers"
    assert pending.theirs["event"] == "Cocaine in transhipped containers"
    assert pending.source == file_b.name

    before = dump(fac.store)  # the same file again adds no second conflict
    again = fac.exchange.import_file(file_b)
    assert not again.changes_anything and dump(fac.store) == before

    fac.exchange.resolve(pending.id, THEIRS)
    assert fac.register.get(risk_id).event == "Cocaine in transhipped containers"
    assert fac.exchange.pending_conflicts() == []
    # settled: neither file brings the question back
    for path in (file_a, file_b):
        before = dump(fac.store)
        assert not fac.exchange.import_file(path).changes_anything
        assert dump(fac.store) == before
    # B's next edit builds on what was chosen and simply arrives
    b.register.update_field(risk_id, "likelihood", 5)
    report = fac.exchange.import_file(group_file(laptops, "b", g1, tmp_path, "-b2"))
    assert [(c.table, c.action) for c in report.changes if c.action != SAME] == [
        ("risk", UPDATE)]
    assert fac.register.get(risk_id).likelihood == 5


def test_keep_mine_settles_a_conflict(laptops, tmp_path: Path) -> None:
    fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
    g1, risk_id = _two_laptops_one_group(laptops, tmp_path)
    a.register.update_field(risk_id, "owner", "Port director")
    b.register.delete_risk(risk_id)  # a deletion against an edit: a conflict too
    fac.exchange.import_file(group_file(laptops, "a", g1, tmp_path, "-a1"))
    file_b = group_file(laptops, "b", g1, tmp_path, "-b1")
    report = fac.exchange.import_file(file_b, resolutions={("risk", risk_id): MINE})
    assert [c.action for c in report.changes if c.key == risk_id] == [SAME]
    assert not report.conflicts and fac.exchange.pending_conflicts() == []
    assert fac.register.get(risk_id).owner == "Port director"
    assert [r.id for r in fac.register.list_risks(g1)] == [risk_id]
    before = dump(fac.store)
    assert not fac.exchange.import_file(file_b).changes_anything
    assert dump(fac.store) == before


def test_take_theirs_chosen_in_the_preview(laptops, tmp_path: Path) -> None:
    fac, a, b = laptops["facilitator"], laptops["a"], laptops["b"]
    g1, risk_id = _two_laptops_one_group(laptops, tmp_path)
    a.register.update_field(risk_id, "owner", "Port director")
    b.register.delete_risk(risk_id)
    fac.exchange.import_file(group_file(laptops, "a", g1, tmp_path, "-a1"))
    fac.exchange.import_file(group_file(laptops, "b", g1, tmp_path, "-b1"),
                             resolutions={("risk", risk_id): THEIRS})
    assert fac.register.list_risks(g1) == []
    assert rows(fac.store, "risk", id=risk_id)[0]["deleted"] == 1
    with fac.store.session() as s:
        assert s.exec(select(ExchangeConflict)).all() == []


@pytest.mark.sqlite_only("copies the store file by hand")
def test_without_history_the_revision_counters_decide(laptops, tmp_path: Path) -> None:
    """Stores copied by hand share UUIDs but no exchange history: counters decide."""
    import shutil

    fac = laptops["facilitator"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    fill_group(fac, g1)
    fac.exchange.export_kit(workshop_id, tmp_path / "kit.rmdx")  # makes the signing key
    fac.store.close()
    shutil.copytree(fac.data_dir, tmp_path / "clone")
    laptops.pop("facilitator")
    fac, clone = laptops["facilitator"], laptops["clone"]
    risk_id = fac.register.list_risks(g1)[0].id
    fac.register.update_field(risk_id, "owner", "Valuation unit")  # revision 2 here
    clone.register.update_field(risk_id, "owner", "Port director")  # revision 2 there too
    clone.register.update_field(risk_id, "cause", "Reference prices")  # revision 3 there
    report = fac.exchange.preview(group_file(laptops, "clone", g1, tmp_path))
    assert ("risk", UPDATE) in [(c.table, c.action) for c in report.changes]
    fac.register.update_field(risk_id, "cause", "Old prices")
    fac.register.update_field(risk_id, "area", "security")  # revision 4 here
    report = fac.exchange.preview(group_file(laptops, "clone", g1, tmp_path, "-2"))
    assert ("risk", OLDER) in [(c.table, c.action) for c in report.changes]


# -- dry run, atomic export ----------------------------------------------------------------
def test_preview_writes_nothing(laptops, tmp_path: Path) -> None:
    fac, part = laptops["facilitator"], laptops["participant"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    kit = tmp_path / "kit.rmdx"
    fac.exchange.export_kit(workshop_id, kit)
    before = dump(part.store)
    preview = part.exchange.preview(kit)
    assert preview.error is None and not preview.applied
    assert preview.added == 6 and {c.action for c in preview.changes} == {ADD}
    assert dump(part.store) == before


def test_export_to_a_full_disk_leaves_no_file(laptops, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fac = laptops["facilitator"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    target = tmp_path / "usb"
    target.mkdir()
    existing = target / "kit.rmdx"
    existing.write_bytes(b"the previous kit")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    for path in (existing, target / "work.rmdx"):
        with pytest.raises(RmdeskError) as info:
            if path == existing:
                fac.exchange.export_kit(workshop_id, path)
            else:
                fac.exchange.export_group_work(g1, path)
        assert info.value.code == "exchange_write_failed"
        assert os.strerror(errno.ENOSPC) in str(info.value)
    assert sorted(p.name for p in target.iterdir()) == ["kit.rmdx"]
    assert existing.read_bytes() == b"the previous kit"


def test_export_into_a_missing_folder_is_a_clear_error(laptops, tmp_path: Path) -> None:
    fac = laptops["facilitator"]
    workshop_id, _g1, _g2 = setup_workshop(fac)
    with pytest.raises(RmdeskError) as info:
        fac.exchange.export_kit(workshop_id, tmp_path / "no-stick" / "kit.rmdx")
    assert info.value.code == "exchange_write_failed"
    assert "no-stick" in str(info.value)


def test_the_overall_comments_copy_for_live_sync_never_travels_as_group_work(
        laptops, tmp_path: Path) -> None:
    from rmdesk.services.exchange.archive import parse_bundle
    from rmdesk.services.facilitation import OVERALL_EXERCISE, FacilitationService

    fac, other = laptops["facilitator"], laptops["other"]
    workshop_id, g1, _g2 = setup_workshop(fac)
    fill_group(fac, g1)
    FacilitationService(fac.store).set_overall_comment(g1, "Ready for the director.")
    path = group_file(laptops, "facilitator", g1, tmp_path)
    answers = [r.values["exercise_id"] for r in parse_bundle(path).records["exercise_work"]]
    assert answers and OVERALL_EXERCISE not in answers
    kit_to(laptops, "facilitator", "other", tmp_path, workshop_id)
    assert other.exchange.import_file(path).error is None
    assert OVERALL_EXERCISE not in {r["exercise_id"] for r in
                                    rows(other.store, "exercise_work", group_id=g1)}

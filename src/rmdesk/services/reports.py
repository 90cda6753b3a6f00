"""Group output: gather the group's work and write the PDF atomically."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rmdesk import __version__, leftovers
from rmdesk.content.pack import ContentPack, builtin_pack
from rmdesk.domain.checks import check_analysis, check_register
from rmdesk.domain.indicators import check_indicator_selection, key_of
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, LANGUAGES
from rmdesk.reports.data import FacilitatorNote, GroupReport, MemberLine
from rmdesk.services.datasets import group_data, run_dataset_name
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store


def gather_group_report(
    store: Store,
    workshop_id: str,
    group_id: str,
    pack: ContentPack | None = None,
    today: dt.date | None = None,
    with_feedback: bool = False,
) -> GroupReport:
    """Everything a group's output shows. with_feedback: the facilitator releases the
    scores, feedback and overall comment into the group's own print."""
    workshops = WorkshopService(store)
    workshop = workshops.get_workshop(workshop_id)
    group = workshops.get_group(group_id)
    if workshop is None:
        raise RmdeskError("unknown_workshop", title=workshop_id)
    if group is None:
        raise RmdeskError("unknown_group", name=group_id)
    risks = RegisterService(store).list_risks(group_id)
    from rmdesk.services.agenda import visible_pack

    pack = visible_pack(store, workshop_id, pack or builtin_pack())  # hidden: not printed
    picks = TargetingService(store).picks(group_id)
    key = key_of(pack.indicators)
    # One query for every exercise's answer, status and note (a print of 30 groups ran
    # one query per exercise per group).
    work = ExerciseWorkService(store)
    rows = work.rows(group_id)
    known = {e.id for e in pack.exercises}
    exercise_work = {r.exercise_id: _answer(r.data_json) for r in rows
                     if r.exercise_id in known}
    extra_fields, profile_data, profile_dataset = group_data(store, work, pack, group_id)
    return GroupReport(
        workshop_title=workshop.title,
        venue=workshop.venue,
        start_date=workshop.start_date,
        end_date=workshop.end_date,
        group_name=group.name,
        members=[MemberLine(m.name, m.administration) for m in workshops.list_members(group_id)],
        printed_on=today or dt.date.today(),
        pack=pack,
        risks=risks,
        register_findings=check_register(risks),
        analysis_findings=check_analysis(risks),
        app_version=__version__,
        indicator_picks=picks,
        indicator_findings=check_indicator_selection(picks, key) if picks else [],
        exercise_work={k: v for k, v in exercise_work.items() if v},
        exercise_status={r.exercise_id: r.status for r in rows},
        profiles=_profiles(store, group_id),
        runs=_runs(store, group_id),
        extra_fields=extra_fields,
        profile_data=profile_data,
        profile_dataset=profile_dataset,
        facilitator={r.exercise_id: FacilitatorNote(r.score, r.feedback or "")
                     for r in rows if r.score is not None or (r.feedback or "").strip()},
        overall_comment=FacilitationService(store).overall_comment(group_id),
        release_feedback=with_feedback,
    )


def _answer(text: str | None) -> dict[str, Any]:
    """A stored answer as the exercise services read it: {} when not an object."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _profiles(store: Store, group_id: str) -> list[dict[str, Any]]:
    found = []
    for row in TargetingService(store).profiles(group_id):
        data = row.model_dump(exclude={"group_id", "criteria_json", "deleted", "revision",
                                       "updated_at", "position"})
        try:
            data["criteria"] = json.loads(row.criteria_json or "{}")
        except ValueError:
            data["criteria"] = {}
        found.append(data)
    return found


def _runs(store: Store, group_id: str) -> list[dict[str, Any]]:
    found = []
    for run in TargetingService(store).runs(group_id):
        try:
            metrics = json.loads(run.metrics_json)
        except ValueError:
            continue
        found.append({"created_at": run.created_at, "metrics": metrics,
                      "dataset_name": run_dataset_name(store, run.dataset)})
    return found


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_group_pdf(
    report: GroupReport,
    lang: str,
    out: Path,
    is_cancelled: Callable[[], bool] = lambda: False,
) -> Path:
    """Render to a temporary file beside the target, then rename: never a half-written PDF."""
    if lang not in LANGUAGES:
        raise RmdeskError(
            "unknown_language", lang=lang, choices=", ".join(LANGUAGE_NAMES)
        )
    from rmdesk.reports.group_output import build_group_pdf  # reportlab only when printing

    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".rmdesk-", suffix=".pdf", dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise RmdeskError(
            "report_write_failed", path=str(out), reason=exc.strerror or str(exc)
        ) from None
    tmp = Path(tmp_name)
    try:
        with leftovers.tracked(tmp):  # removed at the next start if this process is killed
            build_group_pdf(report, lang, tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a PDF is for sharing
            if is_cancelled():
                tmp.unlink(missing_ok=True)
                return out
            os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RmdeskError(
            "report_write_failed", path=str(out), reason=exc.strerror or str(exc)
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out

"""The facilitator's printing: the consolidated workshop report, one PDF per group into a
folder, and one exercise across all groups; in one language, or two (each part in the
first language, then in the second).

Every file is written whole or not at all: a PDF is built in a temporary file beside its
target and renamed into place; a batch is built in a temporary folder inside the target
folder and moved in only when every group's PDF is done. Long work reports progress
(done, total) and stops when is_cancelled() turns true, leaving nothing behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from rmdesk import __version__, leftovers
from rmdesk.content.pack import ContentPack
from rmdesk.domain.comparison import MATCH_AUTO
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.services.comparison import ComparisonService, exercise_by_id
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.reports import gather_group_report
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
STEPS = 1000  # progress is reported as (done, STEPS)


class ReportCancelled(RmdeskError):
    def __init__(self) -> None:
        super().__init__("report_cancelled")


def parse_languages(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """'fr' -> ('fr',); 'en,fr' or 'en+fr' -> ('en', 'fr'): two languages, each part in both."""
    if isinstance(text, str):
        langs = tuple(p.strip() for p in re.split(r"[,+ ]+", text) if p.strip())
    else:
        langs = tuple(text)
    for lang in langs:
        if lang not in LANGUAGES:
            raise RmdeskError("unknown_language", lang=lang, choices=", ".join(LANGUAGES))
    if not 1 <= len(langs) <= 2 or len(set(langs)) != len(langs):
        raise RmdeskError("too_many_languages", count=len(langs))
    return langs


def _never() -> bool:
    return False


def workshop_pack(store: Store, workshop_id: str, pack: ContentPack | None = None
                  ) -> ContentPack:
    """`pack`, or the pack the workshop was created with (the built-in one as a fallback),
    with only the exercises of the workshop's agenda (prints leave hidden ones out)."""
    from rmdesk.services.agenda import visible_pack

    if pack is not None:
        return visible_pack(store, workshop_id, pack)
    workshop = WorkshopService(store).get_workshop(workshop_id)
    if workshop is None:
        raise RmdeskError("unknown_workshop", title=workshop_id)
    from rmdesk.services.packs import PackRegistry

    return visible_pack(store, workshop_id,
                        PackRegistry.for_store(store).pack_for_workshop(workshop))


class _Steps:
    """Maps the stages of one job onto 0..STEPS and checks for cancel at each report."""

    def __init__(self, progress: Progress | None, is_cancelled: IsCancelled) -> None:
        self.progress = progress
        self.is_cancelled = is_cancelled
        self.done = -1

    def report(self, fraction: float) -> None:
        if self.is_cancelled():
            raise ReportCancelled
        # Never backwards: a table split during layout adds to reportlab's count.
        done = min(STEPS, int(fraction * STEPS))
        if self.progress is not None and done > self.done:
            self.done = done
            self.progress(done, STEPS)

    def finish(self) -> None:
        if self.progress is not None and self.done < STEPS:
            self.done = STEPS
            self.progress(STEPS, STEPS)

    def stage(self, start: float, end: float) -> Progress:
        return lambda done, total: self.report(start + (end - start) * done / max(1, total))


def gather_workshop_report(store: Store, workshop_id: str, pack: ContentPack | None = None,
                           *, langs: tuple[str, ...] = ("en",),
                           exercise_ids: tuple[str, ...] = (), match_by: str = MATCH_AUTO,
                           with_groups: bool = True, progress: Progress | None = None,
                           today: dt.date | None = None) -> object:
    """Gather the data of the facilitator's PDFs (a reports.workshop_output.WorkshopReport).

    with_groups: gather each group's full output (the consolidated report needs it; one
    exercise across groups does not). exercise_ids: whose answers to summarise, per
    language, for printing that exercise across groups."""
    from rmdesk.reports.workshop_output import WorkshopReport
    from rmdesk.services.debrief_figures import new_exercise_figures

    pack = workshop_pack(store, workshop_id, pack)
    workshop = WorkshopService(store).get_workshop(workshop_id)
    if workshop is None:
        raise RmdeskError("unknown_workshop", title=workshop_id)
    today = today or dt.date.today()
    overview = FacilitationService(store).overview(workshop_id, pack)
    comparison = ComparisonService(store, pack)
    groups = []
    total = len(overview.groups)
    for index, (group_id, _name) in enumerate(overview.groups):
        if with_groups:
            groups.append(gather_group_report(store, workshop_id, group_id, pack, today))
        if progress is not None:
            progress(index + 1, total)
    answers = {
        lang: {exercise_id: comparison.side_by_side(workshop_id, exercise_id,
                                                    gettext_for(lang), lang).answers
               for exercise_id in exercise_ids}
        for lang in langs
    }
    return WorkshopReport(
        workshop_title=workshop.title, venue=workshop.venue, start_date=workshop.start_date,
        end_date=workshop.end_date, printed_on=today, pack=pack, groups=groups,
        overview=overview, overlay=comparison.overlay(workshop_id, match_by),
        leaderboard=comparison.leaderboard(workshop_id), app_version=__version__,
        answers=answers, new_figures=new_exercise_figures(
            pack, [group.exercise_work for group in groups]),
    )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_group_output(report: object, langs: tuple[str, ...], out: Path,
                       is_cancelled: IsCancelled = _never) -> Path:
    """One group's output in one language, or two (each part in both, one after the other)."""
    langs = parse_languages(langs)
    if len(langs) == 1:
        from rmdesk.services.reports import write_group_pdf

        return write_group_pdf(report, langs[0], out, is_cancelled)  # type: ignore[arg-type]
    from rmdesk.reports.workshop_output import build_bilingual_group_pdf

    return write_atomically(out, lambda tmp: build_bilingual_group_pdf(
        report, langs, tmp, is_cancelled))  # type: ignore[arg-type]


def _write_failed(path: Path, exc: OSError) -> RmdeskError:
    return RmdeskError("report_write_failed", path=str(path), reason=exc.strerror or str(exc))


def write_atomically(out: Path, build: Callable[[Path], None]) -> Path:
    """Build into a temporary file beside `out`, then rename it into place."""
    from rmdesk.reports.workshop_output import Cancelled

    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".rmdesk-", suffix=".pdf", dir=out.parent)
        os.close(fd)
    except OSError as exc:
        raise _write_failed(out, exc) from None
    tmp = Path(name)
    try:
        with leftovers.tracked(tmp):  # removed at the next start if this process is killed
            build(tmp)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a PDF is for sharing
            os.replace(tmp, out)
    except Cancelled:
        tmp.unlink(missing_ok=True)
        raise ReportCancelled from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_failed(out, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def write_consolidated_pdf(store: Store, workshop_id: str, out: Path,
                           langs: tuple[str, ...] = ("en",), pack: ContentPack | None = None,
                           progress: Progress | None = None,
                           is_cancelled: IsCancelled = _never,
                           today: dt.date | None = None) -> Path:
    """The whole workshop: status, comparisons, and every group's work."""
    from rmdesk.reports.workshop_output import build_consolidated_pdf

    langs = parse_languages(langs)
    steps = _Steps(progress, is_cancelled)
    steps.report(0)
    report = gather_workshop_report(store, workshop_id, pack, langs=langs,
                                    progress=steps.stage(0, 0.3), today=today)
    written = write_atomically(out, lambda tmp: build_consolidated_pdf(
        report, langs, tmp, steps.stage(0.3, 1.0), is_cancelled))  # type: ignore[arg-type]
    steps.finish()
    return written


def write_exercise_pdf(store: Store, workshop_id: str, exercise_id: str, out: Path,
                       langs: tuple[str, ...] = ("en",), pack: ContentPack | None = None,
                       progress: Progress | None = None,
                       is_cancelled: IsCancelled = _never,
                       today: dt.date | None = None) -> Path:
    """One exercise: the model answer, then every group's answer, feedback and score."""
    from rmdesk.reports.workshop_output import build_exercise_pdf

    pack = workshop_pack(store, workshop_id, pack)
    langs = parse_languages(langs)
    exercise = exercise_by_id(pack, exercise_id)
    steps = _Steps(progress, is_cancelled)
    steps.report(0)
    # Every group's work, drawn by the group output's own section for the exercise.
    report = gather_workshop_report(store, workshop_id, pack, langs=langs,
                                    progress=steps.stage(0, 0.3), today=today)
    written = write_atomically(out, lambda tmp: build_exercise_pdf(
        report, exercise, langs, tmp, steps.stage(0.3, 1.0), is_cancelled))  # type: ignore[arg-type]
    steps.finish()
    return written


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def safe_file_name(name: str, limit: int = 80) -> str:
    """A group name as a file name on Windows, macOS and Linux alike."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")[:limit].strip(" .")
    if not cleaned or cleaned.casefold() in _RESERVED:
        cleaned = f"_{cleaned}"
    return cleaned


def batch_file_names(group_names: list[str], langs: tuple[str, ...]) -> list[str]:
    """'<group> - <lang>.pdf' per group, unique even when two names clean to the same."""
    suffix = "+".join(langs)
    names: list[str] = []
    seen: set[str] = set()
    for group_name in group_names:
        base = safe_file_name(group_name)
        candidate, n = f"{base} - {suffix}.pdf", 2
        while candidate.casefold() in seen:
            candidate, n = f"{base} ({n}) - {suffix}.pdf", n + 1
        seen.add(candidate.casefold())
        names.append(candidate)
    return names


def write_group_batch(store: Store, workshop_id: str, folder: Path,
                      langs: tuple[str, ...] = ("en",), pack: ContentPack | None = None,
                      progress: Progress | None = None, is_cancelled: IsCancelled = _never,
                      today: dt.date | None = None, with_feedback: bool = False
                      ) -> list[Path]:
    """One group output PDF per group into `folder`; all of them or, on cancel or error,
    none (files already in the folder are replaced only once every PDF is built).
    with_feedback: each carries the facilitator's scores, feedback and overall comment."""
    from rmdesk.reports.group_output import build_group_pdf
    from rmdesk.reports.workshop_output import Cancelled, build_bilingual_group_pdf

    langs = parse_languages(langs)
    workshops = WorkshopService(store)
    if workshops.get_workshop(workshop_id) is None:
        raise RmdeskError("unknown_workshop", title=workshop_id)
    pack = workshop_pack(store, workshop_id, pack)
    groups = workshops.list_groups(workshop_id)
    names = batch_file_names([g.name for g in groups], langs)
    folder = Path(folder)
    steps = _Steps(progress, is_cancelled)
    steps.report(0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".rmdesk-batch-", dir=folder))
    except OSError as exc:
        raise _write_failed(folder, exc) from None
    leftovers.note(staging)  # removed at the next start if this process is killed
    try:
        for index, group in enumerate(groups):
            report = gather_group_report(store, workshop_id, group.id, pack, today,
                                         with_feedback=with_feedback)
            target = staging / names[index]
            if len(langs) == 1:
                build_group_pdf(report, langs[0], target)
            else:
                build_bilingual_group_pdf(report, langs, target, is_cancelled)
            os.chmod(target, 0o666 & ~_umask())
            steps.report((index + 1) / max(1, len(groups)) * 0.98)
        written = []
        for name in names:
            os.replace(staging / name, folder / name)
            written.append(folder / name)
        steps.finish()
        return written
    except Cancelled:
        raise ReportCancelled from None
    except OSError as exc:
        raise _write_failed(folder, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        leftovers.forget(staging)

"""A data set's profile, for E7's panel and for print: the table read from the data
folder, the profile computed by domain/data_profile, the PDF by reports/data_profile."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rmdesk import leftovers
from rmdesk.domain.data_profile import DataProfile, profile_table
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGE_NAMES, LANGUAGES
from rmdesk.services.datasets import DatasetService


def dataset_profile(datasets: DatasetService, dataset_id: str) -> DataProfile:
    """Every profiled field of the data set (DatasetError if it cannot be read)."""
    return profile_table(datasets.load_dataset(dataset_id))


def write_data_profile_pdf(datasets: DatasetService, dataset_id: str, dataset_name: str,
                           lang: str, out: Path) -> Path:
    """The profile of a data set as a PDF in `lang`, written to a temporary file beside
    `out` and renamed: never half a PDF."""
    if lang not in LANGUAGES:
        raise RmdeskError("unknown_language", lang=lang, choices=", ".join(LANGUAGE_NAMES))
    profile = dataset_profile(datasets, dataset_id)
    from rmdesk.reports.data_profile import build_data_profile_pdf  # reportlab on demand

    out = Path(out)
    tmp: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".rmdesk-", suffix=".pdf", dir=out.parent)
        os.close(fd)
        tmp = Path(name)
        with leftovers.tracked(tmp):  # removed at the next start if this process dies
            build_data_profile_pdf(profile, dataset_name, lang, tmp)
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; a PDF is for sharing
            os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise RmdeskError("report_write_failed", path=str(out),
                          reason=exc.strerror or str(exc)) from None
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    return out

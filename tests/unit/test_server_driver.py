"""The classroom server's driver (psycopg): what self-check says of it, in a Python
install (optional: the "server" extra) and in a packaged rmdesk (required: a laptop has
neither internet nor a system libpq), and the words for a missing driver."""

from __future__ import annotations

import sys

import pytest

from rmdesk import selfcheck
from rmdesk.errors import RmdeskError
from rmdesk.i18n import _
from rmdesk.store.server import driver_missing


@pytest.fixture
def no_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg cannot be imported, as in an install without it."""
    monkeypatch.setitem(sys.modules, "psycopg", None)


@pytest.fixture
def packaged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Running as a PyInstaller bundle does (sys.frozen)."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)


def test_the_driver_is_checked_with_its_own_libpq() -> None:
    pytest.importorskip("psycopg")
    detail = selfcheck._check_server_driver()
    assert detail.startswith("psycopg 3.") and "libpq 1" in detail


def test_a_python_install_without_the_driver_is_told_how_to_add_it(no_driver) -> None:
    with pytest.raises(selfcheck.Skipped, match=r'pip install -e "\.\[server\]"'):
        selfcheck._check_server_driver()
    assert driver_missing().code == "server_driver_missing"


def test_a_package_without_the_driver_fails_its_self_check(
        no_driver, packaged, capsys: pytest.CaptureFixture[str]) -> None:
    error = driver_missing()
    assert error.code == "server_driver_missing_bundle"
    assert "pip" not in error.render(_)  # nothing to install in a package
    assert selfcheck.run_self_check() == 1
    out = capsys.readouterr().out
    assert "FAIL  classroom server driver: This copy of rmdesk was packaged without its " \
           "PostgreSQL driver" in out


def test_a_package_whose_psycopg_would_need_a_system_libpq_fails(
        packaged, monkeypatch: pytest.MonkeyPatch) -> None:
    psycopg = pytest.importorskip("psycopg")
    monkeypatch.setattr(psycopg.pq, "__impl__", "python")
    with pytest.raises(RuntimeError, match="not the binary one"):
        selfcheck._check_server_driver()


@pytest.mark.parametrize("lang", ["es", "pt_BR", "fr"])
def test_the_missing_driver_is_said_in_each_language(lang: str, packaged) -> None:
    from rmdesk.i18n import translations

    for error in (driver_missing(), RmdeskError("server_driver_missing")):
        text = error.render(translations(lang).gettext)
        assert "psycopg" in text or "[server]" in text
        assert text != error.render(lambda s: s), lang  # translated, not English

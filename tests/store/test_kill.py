"""Killing rmdesk mid-typing loses at most the last second, and the store stays intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

VICTIM = Path(__file__).with_name("typing_victim.py")
ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_while_typing_loses_at_most_one_second(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(VICTIM), str(data)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    lines: list[tuple[float, str]] = []
    risk_id = ""
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("risk "):
                risk_id = line.split()[1]
                continue
            stamp, _sep, text = line.rstrip("\n").partition(" ")
            lines.append((float(stamp), text))
            if len(lines) >= 90:  # ~3.6 s of typing, several autosaves behind us
                break
        killed_at = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert risk_id and len(lines) >= 90, proc.stderr.read() if proc.stderr else ""

    con = sqlite3.connect(data / "rmdesk.sqlite3")
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (saved,) = con.execute("SELECT event FROM risk WHERE id = ?", (risk_id,)).fetchone()
    finally:
        con.close()
    final_text = lines[-1][1]
    typed_a_second_before = [text for stamp, text in lines if stamp <= killed_at - 1.0]
    assert typed_a_second_before, "typing must have gone on for more than a second"
    assert final_text.startswith(saved)  # never garbage, only a prefix of what was typed
    assert len(saved) >= len(typed_a_second_before[-1])

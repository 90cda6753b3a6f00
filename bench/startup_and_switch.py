"""Start-up time against the stack's floor, and the cost of one full language switch.

    python bench/startup_and_switch.py [--runs 9]

Reports medians. Start-up: wall time of a process that starts, shows its main window,
and exits once the event loop is idle (rmdesk --exit-when-shown on a store holding the
demo workshop, i.e. with the register and heat map populated) against bench/floor_window.py,
the two interleaved so both see the same machine load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENV = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def startup(runs: int, data: Path) -> tuple[float, float]:
    app_cmd = [sys.executable, "-m", "rmdesk", "--data-dir", str(data), "--exit-when-shown"]
    floor_cmd = [sys.executable, str(HERE / "floor_window.py")]
    timed(app_cmd), timed(floor_cmd)  # warm the file cache for both alike
    app_times, floor_times = [], []
    for _ in range(runs):
        app_times.append(timed(app_cmd))
        floor_times.append(timed(floor_cmd))
    return statistics.median(app_times), statistics.median(floor_times)


def language_switch(runs: int, data: Path) -> float:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from rmdesk.content.pack import builtin_pack
    from rmdesk.i18n.qt import LanguageManager
    from rmdesk.store.database import open_store
    from rmdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    store = open_store(data)
    manager = LanguageManager()
    manager.switch("en")
    window = MainWindow(store, builtin_pack(), manager)
    window.show()
    window.tabs.setCurrentWidget(window.register_page)
    window.register_page.check_work()  # feedback shown too
    app.processEvents()
    for lang in ("es", "pt_BR", "fr", "en"):  # load every catalog once, outside the timing
        manager.switch(lang)
        app.processEvents()
    times = []
    for _ in range(runs):
        for lang in ("es", "pt_BR", "fr", "en"):
            start = time.perf_counter()
            manager.switch(lang)
            app.processEvents()  # every widget has retranslated when this returns
            times.append(time.perf_counter() - start)
    window.close()
    store.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run([sys.executable, "-m", "rmdesk", "demo", "--data-dir", str(data)],
                       check=True, env=ENV, stdout=subprocess.DEVNULL)
        app_s, floor_s = startup(args.runs, data)
        print(f"start-up to shown main window, median of {args.runs}: rmdesk {app_s * 1000:.0f} ms,"
              f" floor (PySide6 window + sqlmodel) {floor_s * 1000:.0f} ms,"
              f" ratio {app_s / floor_s:.2f} (target <= 1.2)")
        switch_s = language_switch(args.runs, data)
        print(f"full language switch with the E2/E3 exercise open, median of {args.runs * 4}:"
              f" {switch_s * 1000:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()

"""An AT-SPI client (what Orca uses): find rmdesk's register page, read the names of its
inputs, then focus the Event field and type into it (see run.sh). Runs with Debian's
/usr/bin/python3 and python3-pyatspi, outside the project's virtual environment."""

from __future__ import annotations

import subprocess
import sys
import time

import pyatspi  # type: ignore[import-not-found]

INPUT_ROLES = ("text", "entry", "combo box", "spin button", "password text")


def find_app(name: str, tries: int = 60) -> object | None:
    for _ in range(tries):
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name and name in app.name.lower():
                return app
        time.sleep(0.5)
    return None


def showing_inputs(node: object, found: list[object]) -> list[object]:
    try:
        role = node.getRoleName()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a node that went away while walking
        return found
    if role in INPUT_ROLES and node.getState().contains(pyatspi.STATE_SHOWING):  # type: ignore[attr-defined]
        found.append(node)
    for child in node:  # type: ignore[attr-defined]
        if child is not None:
            showing_inputs(child, found)
    return found


def main() -> int:
    app = find_app("rmdesk")
    if app is None:
        print("rmdesk is not on the accessibility bus")
        return 2
    inputs = showing_inputs(app, [])
    print("inputs showing:", len(inputs))
    for node in inputs:
        print(f"  {node.getRoleName()}: {node.name!r}")  # type: ignore[attr-defined]
    unnamed = [n for n in inputs if not n.name.strip()]  # type: ignore[attr-defined]
    print("unnamed:", len(unnamed))
    event = next((n for n in inputs
                  if n.name.strip().lower().startswith("event")), None)  # type: ignore[attr-defined]
    if event is None:
        print("no Event field")
        return 3
    event.queryComponent().grabFocus()  # type: ignore[attr-defined]  # as Tab would
    time.sleep(0.5)
    subprocess.run(["xdotool", "key", "ctrl+a"], check=True)
    subprocess.run(["xdotool", "type", "--delay", "20", "Undervalued footwear from Kestria"],
                   check=True)
    time.sleep(1.5)  # the autosave
    print("Event field now:", event.queryText().getText(0, -1))  # type: ignore[attr-defined]
    return 1 if unnamed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Refusing hostile content packs: time and peak memory, per kind of pack.

    python bench/pack_limits.py [--runs 5] [--src DIR] [--kb 100] [--only NAME]

Each case writes a pack file, then runs `load_pack` on it in a fresh interpreter (so the
peak resident memory, ru_maxrss, is that case's own) and prints the median wall time and
median peak memory over the runs. `--src` points at another checkout's src/ folder to
measure the code before a change (keep --kb small there: before the limits, a 100 KB
dotted key took 79 s and 11 GB). Asserts nothing.

Cases:
  dotted     one key of KB kilobytes of dotted parts (x.a.a.a... = 1)
  nested     a value of arrays nested KB/2 kilobytes deep ([[[[...]]]])
  oversize   a valid pack padded with a comment to just over 5 MB
  faulty     a ~4.5 MB pack of exercises that each have a fault (the line locator's work)
  builtin    the built-in pack (a good pack must not get slower)

Measured here (2 shared cores, medians of 3), before the limits (--src of main):
dotted 5 KB 0.39 s / 69 MB, 10 KB 1.13 s / 182 MB, 20 KB 4.0 s / 634 MB (quadratic:
twice the key, four times the time and memory; 100 KB was 79 s / 11 GB); nested arrays
of any size: RecursionError (a traceback); oversize 5 MB: parsed in full (0.09 s).
After: dotted 100 KB 0.004 s / 36 MB, nested 0.004 s, oversize 0.007 s, all refused
with their line; faulty 4.3 MB (50,000 problems, every line located) 6.2 s / 200 MB;
builtin 0.05 s either way.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pack_files import pack_text  # noqa: E402

_CHILD = """
import json, resource, sys, time
sys.setrecursionlimit(1000)
from pathlib import Path
from rmdesk.content.loader import load_pack
start = time.perf_counter()
try:
    load_pack(Path(sys.argv[1]))
    outcome = "valid"
except Exception as exc:  # the point is to see what each version does
    problems = getattr(exc, "problems", None)
    outcome = type(exc).__name__ + (f" {problems[0].code}, {len(problems)} problem(s)"
                                    if problems else f": {str(exc)[:80]}")
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))
"""


def cases(kb: int) -> dict[str, str]:
    base = pack_text()
    size = kb * 1024
    exercise = ('\n[[exercises]]\nid = "e{n}"\nkind = "register_analysis"\n'
                'title = {{ en = "E", es = "S", pt_BR = "P", fr = "F" }}\n'
                'instructions = {{ en = "E", es = "S", pt_BR = "P" }}\nunknown_key = 1\n')
    faulty = base + "".join(exercise.format(n=n) for n in range(3, 3 + 4_500_000 // 180))
    return {
        "dotted": base + "\nx" + ".a" * (size // 2) + " = 1\n",
        "nested": base.replace("sections = []",
                               "sections = " + "[" * (size // 4) + "]" * (size // 4)),
        "oversize": base + "#" + "x" * (5 * 1024 * 1024) + "\n",
        "faulty": faulty,
        "builtin": (ROOT / "resources/content/builtin-practice.toml").read_text("utf-8"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kb", type=int, default=100)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--only", action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases(args.kb).items():
            if args.only and name not in args.only:
                continue
            path = Path(tmp) / f"{name}.toml"
            path.write_text(text, encoding="utf-8")
            results = []
            for _ in range(args.runs):
                out = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                    env={"PYTHONPATH": str(args.src), "PATH": "/usr/bin:/bin"}, check=False)
                if out.returncode != 0:
                    results.append({"seconds": float("nan"), "peak_mb": float("nan"),
                                    "outcome": "crashed: " + out.stderr.strip()[-100:]})
                else:
                    results.append(json.loads(out.stdout))
            seconds = statistics.median(r["seconds"] for r in results)
            peak = statistics.median(r["peak_mb"] for r in results)
            print(f"{name:9} {len(text.encode()) / 1024:8.0f} KB  median {seconds:7.3f} s  "
                  f"peak {peak:7.0f} MB  {results[0]['outcome']}")


if __name__ == "__main__":
    main()

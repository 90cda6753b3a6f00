"""Sizes of the built artefacts and what takes the room in the bundle.

    python packaging/build.py          # first (it writes dist/)
    python bench/package_sizes.py      # bundle, tarball, .deb, and the 15 largest parts

Each artefact is measured as a user meets it: the bundle's files (apparent size, links not
followed), the compressed tarball and .deb as files. docs/packaging.md keeps the figures
from before and after the bundle was trimmed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 2**20


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def parts(bundle: Path, depth: int) -> list[tuple[int, str]]:
    """Size per folder `depth` levels below _internal (files at that level count alone)."""
    internal = bundle / "_internal"
    sizes: dict[str, int] = {}
    for file in internal.rglob("*"):
        if file.is_file() and not file.is_symlink():
            key = "/".join(file.relative_to(internal).parts[:depth])
            sizes[key] = sizes.get(key, 0) + file.stat().st_size
    return sorted(((size, key) for key, size in sizes.items()), reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    bundle = args.dist / "rmdesk"
    if not bundle.is_dir():
        parser.error(f"no bundle in {args.dist}: run python packaging/build.py first")
    print(f"bundle    {folder_size(bundle) / MIB:7.1f} MiB  {bundle}")
    for pattern, name in (("*-portable.tar.gz", "portable"), ("*.deb", "deb")):
        for file in sorted(args.dist.glob(pattern)):
            print(f"{name:9s} {file.stat().st_size / MIB:7.1f} MiB  {file.name}")
    print(f"\nlargest parts of _internal (depth {args.depth}):")
    for size, key in parts(bundle, args.depth)[:args.top]:
        print(f"  {size / MIB:6.1f} MiB  {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

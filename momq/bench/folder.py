"""The output folder of a benchmark build: recognise a previous build of ours, and replace it only when done.

``momq bench build --out DIR`` must never delete what it did not create. :func:`check_output` decides before
anything is touched whether ``DIR`` may receive a build: it may be missing, empty, or a previous build of ours
(recognised by its ``manifest.json``) that holds only files a build writes. :func:`staged_output` then hands out
a fresh sibling folder (``.DIR.building-XXXX``) to write into and swaps it in for ``DIR`` only when the build
succeeded, so a failed build leaves the old build, and everything else, as it was.

It knows the names a build writes (:data:`BUILD_FILES`) but not how to build; it never reads items or cards.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

log = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"
#: keys every manifest a build writes has (how a folder is recognised as a build of ours)
MANIFEST_KEYS = frozenset({"config", "build", "domains", "files"})
#: every path a build writes, relative to its folder, as glob patterns (one pattern per path depth)
BUILD_FILES: tuple[str, ...] = (
    "items.jsonl", "failures.jsonl", MANIFEST_FILE, "card.json", "CARD.md",
    "databases/*.relational.json", "databases/*.graph.json",
    "splits/train.jsonl", "splits/dev.jsonl", "splits/test.jsonl",
    "presets/*.train.jsonl",
)
#: the folders a build creates to hold those files
BUILD_DIRS = frozenset({"databases", "splits", "presets"})


class BuildFolderError(Exception):
    """A folder that cannot receive a build (a file, someone else's files, not writable) or is not a valid one."""


def is_build(folder: str | Path) -> bool:
    """True when ``folder`` holds a ``manifest.json`` written by a build (a JSON object with our keys)."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(manifest, dict) and MANIFEST_KEYS <= manifest.keys()


def _written_by_build(relative: PurePosixPath) -> bool:
    return any(len(relative.parts) == len(PurePosixPath(p).parts) and relative.match(p) for p in BUILD_FILES)


def foreign_entries(folder: str | Path) -> list[Path]:
    """Entries of ``folder`` that a build does not write (sorted): other files and folders, and every link."""
    root = Path(folder)
    found: list[Path] = []
    for entry in sorted(root.iterdir()):
        rel = PurePosixPath(entry.name)
        if entry.is_dir() and not entry.is_symlink() and entry.name in BUILD_DIRS:
            found += [child for child in sorted(entry.iterdir())
                      if child.is_symlink() or not child.is_file()
                      or not _written_by_build(rel / child.name)]
        elif entry.is_symlink() or not entry.is_file() or not _written_by_build(rel):
            found.append(entry)
    return found


def check_output(out: str | Path) -> None:
    """Raise :class:`BuildFolderError` unless ``out`` may be replaced by a new build; touches nothing.

    Accepted: a path that does not exist yet, an empty folder, or a previous build of ours that holds only files a
    build writes. Refused: a file, a non-empty folder that is not a build of ours, a build with other files in it.
    """
    out = Path(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildFolderError(f"--out {out} is not a folder; choose a folder path")
    if not out.exists():
        existing = next(p for p in Path(os.path.abspath(out)).parents if p.exists())
        if not existing.is_dir():
            raise BuildFolderError(f"--out {out} is inside {existing}, which is not a folder")
        return
    try:
        entries = list(out.iterdir())
    except OSError as exc:
        raise BuildFolderError(f"--out {out} cannot be read: {exc.strerror}") from exc
    if not entries:
        return
    if not is_build(out):
        raise BuildFolderError(f"--out {out} is not empty and is not a benchmark build (it has no manifest.json "
                               f"written by `momq bench build`); choose an empty or new folder")
    foreign = foreign_entries(out)
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise BuildFolderError(f"--out {out} is a benchmark build but also holds {foreign[0]}{more}, which a build "
                               f"does not write; move it out or choose another folder")


@contextmanager
def staged_output(out: str | Path) -> Iterator[Path]:
    """A new sibling folder of ``out`` to write a build into; on success it replaces ``out``, on failure it goes.

    :func:`check_output` runs first (and again just before the swap). ``out``'s parent folders are created when
    missing. The old build is moved aside, the new one renamed into place, and only then the old one removed.
    """
    out = Path(os.path.abspath(out))  # a plain name with no "." or ".." parts, so that it has a parent
    check_output(out)
    stage = out.parent / f".{out.name}.building-{secrets.token_hex(4)}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage.mkdir()
    except OSError as exc:
        raise BuildFolderError(f"--out {out}: cannot create a folder in {out.parent}: "
                               f"{exc.strerror or exc}") from exc
    log.debug("writing the build into %s", stage)
    try:
        yield stage
        check_output(out)  # nothing foreign appeared while building
        _swap_in(stage, out)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _swap_in(stage: Path, out: Path) -> None:
    """Replace ``out`` (absent, empty, or a build of ours) by ``stage``."""
    if not out.exists() or not any(out.iterdir()):
        stage.rename(out)  # rename(2) replaces an empty folder
        return
    old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    out.rename(old)
    try:
        stage.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old)


__all__ = ["BUILD_FILES", "BuildFolderError", "check_output", "foreign_entries", "is_build", "staged_output"]

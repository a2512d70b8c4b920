"""The momq commit recorded by builds and cards is the checkout's real HEAD (marked when momq has local edits)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from momq.provenance import DIRTY_SUFFIX, source_commit

ROOT = Path(__file__).resolve().parents[1]


def test_source_commit_is_the_checkouts_head():
    commit = source_commit()
    if shutil.which("git") is None:  # no git at all: nothing can be claimed
        assert commit is None
        return
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode != 0:  # not a git checkout (an unpacked archive): nothing to claim
        assert commit is None
        return
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "momq"]).returncode == 1
    assert commit == head.stdout.strip() + (DIRTY_SUFFIX if dirty else "")

"""Where a file came from: the git commit of the momq checkout that wrote it.

Benchmark builds record it in their manifest and model cards copy it from there, so that a card says which
generator made the items it was scored on. This module only asks git; outside a git checkout (an installed
wheel) the answer is None, and callers say so rather than guess.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

#: Uncommitted changes are marked with this suffix on the commit.
DIRTY_SUFFIX = "+dirty"


def source_commit() -> str | None:
    """The commit of the momq checkout, with ``+dirty`` when its tracked momq sources have uncommitted changes;
    None outside a git checkout."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                              timeout=10, check=False)
        if head.returncode != 0 or not head.stdout.strip():
            return None
        dirty = subprocess.run(["git", "-C", str(root), "diff", "--quiet", "HEAD", "--", "momq"],
                               capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return head.stdout.strip() + (DIRTY_SUFFIX if dirty.returncode == 1 else "")


__all__ = ["DIRTY_SUFFIX", "source_commit"]

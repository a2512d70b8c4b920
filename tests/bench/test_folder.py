"""The build's output folder: what may be replaced, what is refused, and that a failed build changes nothing.

No engines: the folder logic is exercised with files written here (the end-to-end runs are in tests/test_cli.py).
"""

from __future__ import annotations

import json
import os

import pytest

from momq.bench.folder import BuildFolderError, check_output, foreign_entries, is_build, staged_output

MANIFEST = {"config": {}, "build": {}, "domains": ["a", "b"], "files": {"items": "items.jsonl"}}


def _snapshot(root) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), folders included as empty entries."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root) + "/"] = b""
        for f in filenames:
            path = os.path.join(dirpath, f)
            out[os.path.relpath(path, root)] = open(path, "rb").read()
    return out


def _our_build(folder, **extra: str):
    files = {"manifest.json": json.dumps(MANIFEST), "items.jsonl": "{}\n", "card.json": "{}", "CARD.md": "# card",
             "failures.jsonl": "", "databases/a.relational.json": "{}", "databases/a.graph.json": "{}",
             "splits/train.jsonl": "", "splits/dev.jsonl": "", "splits/test.jsonl": "",
             "presets/balanced.train.jsonl": "", **extra}
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def _users_folder(folder):
    """What a user lost in issue 11 item 10: their own dump, splits and manifest."""
    (folder / "databases").mkdir(parents=True)
    (folder / "databases" / "prod_dump.sql").write_text("CREATE TABLE customers (id int);\n")
    (folder / "splits").mkdir()
    (folder / "splits" / "train.jsonl").write_text('{"mine": true}\n')
    (folder / "manifest.json").write_text('{"project": "not momq"}\n')
    return folder


REFUSED = {
    "a file": (lambda tmp: (tmp / "f").write_text("x") and tmp / "f", "is not a folder"),
    "inside a file": (lambda tmp: (tmp / "f").write_text("x") and tmp / "f" / "sub", "which is not a folder"),
    "a link": (lambda tmp: (tmp / "l").symlink_to(tmp) or tmp / "l", "is not a folder"),
    "someone's folder": (lambda tmp: _users_folder(tmp / "u"), "not a benchmark build"),
    "our build with a user's file": (lambda tmp: _our_build(tmp / "b", **{"databases/prod_dump.sql": "x"}),
                                     "prod_dump.sql"),
    "our build with a user's folder": (lambda tmp: _our_build(tmp / "b", **{"notes/todo.txt": "x"}), "notes"),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_folders_that_are_not_ours_are_refused_and_left_alone(tmp_path, case):
    make, message = REFUSED[case]
    out = make(tmp_path)
    before = _snapshot(tmp_path)
    with pytest.raises(BuildFolderError, match=message):
        check_output(out)
    with pytest.raises(BuildFolderError, match=message):
        with staged_output(out):
            pytest.fail("a refused folder must not be handed out")
    assert _snapshot(tmp_path) == before


def test_a_previous_build_of_ours_is_recognised_by_its_manifest(tmp_path):
    assert is_build(_our_build(tmp_path / "b")) and foreign_entries(tmp_path / "b") == []
    check_output(tmp_path / "b")
    (tmp_path / "b" / "manifest.json").write_text('{"project": "not momq"}')
    assert not is_build(tmp_path / "b")
    (tmp_path / "b" / "manifest.json").write_bytes(b"\xff\xfe")
    assert not is_build(tmp_path / "b")
    check_output(tmp_path / "new" / "deeper")  # a path that does not exist yet
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty")


def test_a_successful_stage_replaces_the_old_build(tmp_path):
    out = _our_build(tmp_path / "b", **{"databases/gone.graph.json": "{}"})
    with staged_output(out) as stage:
        assert stage.parent == tmp_path and stage.name.startswith(".b.building-") and stage.is_dir()
        assert (out / "databases" / "gone.graph.json").exists()  # the old build is untouched while building
        _our_build(stage)
    assert not (out / "databases" / "gone.graph.json").exists() and is_build(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]  # no stage or old copy left behind
    with staged_output(tmp_path / "empty-or-new") as stage:
        (stage / "items.jsonl").write_text("")
    assert (tmp_path / "empty-or-new" / "items.jsonl").exists()


def test_a_failed_stage_leaves_the_old_build_as_it_was(tmp_path):
    out = _our_build(tmp_path / "b")
    before = _snapshot(tmp_path)
    with pytest.raises(RuntimeError, match="engine died"):
        with staged_output(out) as stage:
            (stage / "items.jsonl").write_text("half")
            raise RuntimeError("engine died")
    assert _snapshot(tmp_path) == before


def test_a_file_that_appears_during_the_build_is_not_deleted(tmp_path):
    out = _our_build(tmp_path / "b")
    with pytest.raises(BuildFolderError, match="late.txt"):
        with staged_output(out) as stage:
            _our_build(stage)
            (out / "late.txt").write_text("written by someone else meanwhile")
    assert (out / "late.txt").read_text() == "written by someone else meanwhile"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]

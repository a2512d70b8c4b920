"""The benchmark's JSONL record: one item per (question, dialect), with validation and line-numbered errors.

A :class:`BenchItem` is what training, evaluation and external suites exchange: the question, the dialect, the
database id, the gold query, labels (difficulty, IR features, the IR itself when the item is synthetic), the
prompt-ready schema text for that dialect, the split and where the item comes from. ``query_id`` groups the
renderings of one IR query (all paraphrases, all dialects); ``question_id`` groups one question's renderings in
the four dialects. This module only converts and checks records; it does not build, split or verify them.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator

from momq.dialects.base import DIALECT_NAMES

log = logging.getLogger(__name__)

SPLITS: tuple[str, ...] = ("train", "dev", "test")
DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard", "extra")
SYNTHETIC_SOURCE = "momq-synthetic"


class RecordError(ValueError):
    """A record that is not a valid benchmark item; names the file and line when it comes from one."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(where + message)


@dataclass
class BenchItem:
    id: str
    db_id: str
    dialect: str
    question: str
    query: str  # the gold query
    domain: str = ""  # defaults to db_id
    difficulty: str | None = None  # easy / medium / hard / extra; None for external items without a label
    features: list[str] = field(default_factory=list)
    ir: dict | None = None
    schema: str = ""  # prompt-ready schema text for this dialect
    split: str | None = None  # train / dev / test, None before splitting
    source: str = SYNTHETIC_SOURCE
    query_id: str = ""  # the IR query (shared by paraphrases and dialects); defaults to id
    question_id: str = ""  # the question (shared by dialects); defaults to id
    evidence: str | None = None
    alternatives: list[str] = field(default_factory=list)  # other acceptable gold queries (external suites)

    def __post_init__(self) -> None:
        for name in ("id", "db_id", "question", "query", "source"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise RecordError(f"field {name!r} must be a non-empty string, got {value!r}")
        if not isinstance(self.dialect, str) or self.dialect.strip().lower() not in DIALECT_NAMES:
            raise RecordError(f"field 'dialect' must be one of {', '.join(DIALECT_NAMES)}, got {self.dialect!r}")
        self.dialect = self.dialect.strip().lower()
        if not self.domain:
            self.domain = self.db_id
        if not self.query_id:
            self.query_id = self.id
        if not self.question_id:
            self.question_id = self.id
        if self.difficulty is not None and self.difficulty not in DIFFICULTIES:
            raise RecordError(f"field 'difficulty' must be one of {', '.join(DIFFICULTIES)} or null, "
                              f"got {self.difficulty!r}")
        if not isinstance(self.features, list) or not all(isinstance(f, str) for f in self.features):
            raise RecordError(f"field 'features' must be a list of strings, got {self.features!r}")
        if self.ir is not None and not isinstance(self.ir, dict):
            raise RecordError(f"field 'ir' must be an object or null, got {type(self.ir).__name__}")
        if not isinstance(self.schema, str):
            raise RecordError(f"field 'schema' must be a string, got {type(self.schema).__name__}")
        if self.split is not None and self.split not in SPLITS:
            raise RecordError(f"field 'split' must be one of {', '.join(SPLITS)} or null, got {self.split!r}")
        if not isinstance(self.alternatives, list) or not all(isinstance(q, str) and q.strip()
                                                                 for q in self.alternatives):
            raise RecordError(f"field 'alternatives' must be a list of non-empty strings, got {self.alternatives!r}")
        if self.evidence is not None and not isinstance(self.evidence, str):
            raise RecordError(f"field 'evidence' must be a string or null, got {type(self.evidence).__name__}")

    # ------------------------------------------------------------------ conversion
    @property
    def golds(self) -> list[str]:
        """Every acceptable gold query: ``query`` first, then the alternatives."""
        return [self.query, *self.alternatives]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if not self.alternatives:  # items without alternatives keep the record shape they always had
            del out["alternatives"]
        return out

    @classmethod
    def from_dict(cls, obj: Any) -> "BenchItem":
        if not isinstance(obj, dict):
            raise RecordError(f"a record must be a JSON object, got {type(obj).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(obj) - known)
        if unknown:
            raise RecordError(f"unknown field(s) {', '.join(unknown)}; known fields: {', '.join(sorted(known))}")
        required = ("id", "db_id", "dialect", "question", "query")
        missing = [k for k in required if k not in obj]
        if missing:
            raise RecordError(f"missing field(s) {', '.join(missing)}")
        try:
            return cls(**obj)
        except TypeError as exc:  # pragma: no cover - guarded by the field checks above
            raise RecordError(str(exc)) from exc

    def replace(self, **changes: Any) -> "BenchItem":
        data = self.to_dict()
        data.update(changes)
        return BenchItem(**data)


# ----------------------------------------------------------------------------------------------- JSONL
def item_to_json(item: BenchItem) -> str:
    return json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=False)


def write_items(path: str | Path, items: Iterable[BenchItem]) -> int:
    """Write items as JSONL (one object per line, UTF-8); return how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    seen: set[str] = set()
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for item in items:
            if item.id in seen:
                raise RecordError(f"duplicate id {item.id!r}", path)
            seen.add(item.id)
            out.write(item_to_json(item) + "\n")
            n += 1
    tmp.replace(path)
    return n


def json_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) of each non-blank line of a JSONL file, read lazily; a missing file or a line
    that is not UTF-8 JSON raises :class:`RecordError` naming the file (and line)."""
    path = Path(path)
    if not path.exists():
        raise RecordError("no such file", path)
    if path.is_dir():
        raise RecordError("is a folder, not a JSONL file", path)
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise RecordError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                                  f"is this a JSONL file?", path, lineno) from exc
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})", path, lineno) from exc
            yield lineno, obj


def iter_items(path: str | Path) -> Iterator[BenchItem]:
    """Read a JSONL file lazily; blank lines are skipped; errors name the file and line number."""
    seen: set[str] = set()
    for lineno, obj in json_lines(path):
        try:
            item = BenchItem.from_dict(obj)
        except RecordError as exc:
            raise RecordError(str(exc), path, lineno) from exc
        if item.id in seen:
            raise RecordError(f"duplicate id {item.id!r}", path, lineno)
        seen.add(item.id)
        yield item


def read_items(path: str | Path) -> list[BenchItem]:
    return list(iter_items(path))


__all__ = [
    "BenchItem",
    "DIFFICULTIES",
    "RecordError",
    "SPLITS",
    "SYNTHETIC_SOURCE",
    "iter_items",
    "json_lines",
    "read_items",
    "write_items",
]

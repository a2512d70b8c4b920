"""Open a finished benchmark build: its items, its database definitions, the prompt of an item, and loading
its databases into engines.

Training, evaluation and serving all reach a build through :func:`open_build`, so they read the same files the
same way and build every prompt with the same function (:func:`momq.dialects.prompt.fit_prompt`): the prompt an
item gets in training is byte-identical to the one it gets in evaluation under the same token budget. The build
layout is the one :mod:`momq.bench.build` writes (``items.jsonl``, ``databases/``, ``splits/``, ``presets/``,
``manifest.json``). This module does not build, verify or split benchmarks, and does not start engines.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from momq.bench.records import SPLITS, BenchItem, read_items
from momq.dialects.base import DIALECT_NAMES, Family, check_dialect, family_of
from momq.dialects.prompt import PromptParts, SchemaLayout, TokenBudget, fit_prompt
from momq.engines.base import Engine
from momq.schema import Database
from momq.schema.io import read_database

log = logging.getLogger(__name__)

ITEMS_FILE = "items.jsonl"
FAILURES_FILE = "failures.jsonl"
DATABASES_DIR = "databases"
SPLITS_DIR = "splits"
PRESETS_DIR = "presets"
MANIFEST_FILE = "manifest.json"

_FAMILY_SUFFIX = {Family.RELATIONAL: "relational", Family.GRAPH: "graph"}


class BuildFormatError(ValueError):
    """A folder that is not a (complete) benchmark build."""


@dataclass
class BenchmarkBuild:
    """A finished build on disk. Items and definitions are read lazily and cached."""

    root: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    _items: dict[Path, list[BenchItem]] = field(default_factory=dict, init=False, repr=False)
    _databases: dict[tuple[str, Family], Database] = field(default_factory=dict, init=False, repr=False)
    _layouts: dict[tuple[str, str], SchemaLayout] = field(default_factory=dict, init=False, repr=False)

    # ------------------------------------------------------------------ items
    def items(self, split: str | None = None, preset: str | None = None,
              dialects: Sequence[str] | None = None) -> list[BenchItem]:
        """Items of a split (all splits when None), in file order.

        ``preset`` names an imbalance preset (``presets/<preset>.train.jsonl``); presets subsample the train split
        only, so a preset goes with ``split="train"`` (or None). ``dialects`` keeps only those dialects.
        """
        if split is not None and split not in SPLITS:
            raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
        if preset is not None:
            if split not in (None, "train"):
                raise ValueError(f"preset {preset!r} applies to the train split only, not {split!r}")
            path = self.root / PRESETS_DIR / f"{preset}.train.jsonl"
            if not path.is_file():
                known = sorted(p.name.removesuffix(".train.jsonl") for p in (self.root / PRESETS_DIR).glob("*.train.jsonl"))
                raise ValueError(f"unknown preset {preset!r} in {self.root}; this build has: {', '.join(known) or 'none'}")
            items = self._read(path)
        else:
            items = self._read(self.root / ITEMS_FILE)
            if split is not None:
                items = [it for it in items if it.split == split]
        if dialects is not None:
            wanted = {check_dialect(d) for d in dialects}
            items = [it for it in items if it.dialect in wanted]
        return items

    def _read(self, path: Path) -> list[BenchItem]:
        if path not in self._items:
            self._items[path] = read_items(path)
        return self._items[path]

    # ------------------------------------------------------------------ databases
    def database_ids(self) -> list[str]:
        names = {p.name.split(".")[0] for p in (self.root / DATABASES_DIR).glob("*.json")}
        return sorted(names)

    def database(self, db_id: str, dialect: str) -> Database:
        """The definition (schema and rows) that ``dialect`` queries for ``db_id``."""
        family = family_of(check_dialect(dialect))
        key = (db_id, family)
        if key not in self._databases:
            path = self.root / DATABASES_DIR / f"{db_id}.{_FAMILY_SUFFIX[family]}.json"
            if not path.is_file():
                raise BuildFormatError(f"{path}: no {_FAMILY_SUFFIX[family]} definition of database {db_id!r}")
            self._databases[key] = read_database(path)
        return self._databases[key]

    def load_into(self, engines: Mapping[str, Engine], db_ids: Iterable[str] | None = None) -> list[str]:
        """Load the definitions of ``db_ids`` (default: all) into every engine given; returns the ids loaded.

        Relational definitions go to the SQL engines, graphs to the graph engines; dialects without an engine
        in ``engines`` are skipped.
        """
        ids = sorted(set(db_ids)) if db_ids is not None else self.database_ids()
        for db_id in ids:
            for dialect in DIALECT_NAMES:
                if dialect in engines:
                    engines[dialect].load(self.database(db_id, dialect))
        return ids

    # ------------------------------------------------------------------ prompts
    def prompt(self, item: BenchItem, budget: TokenBudget | None = None) -> PromptParts:
        """The item's prompt under ``budget`` (see :func:`momq.dialects.prompt.fit_prompt`).

        The schema comes from the build's definition of the item's database; an item whose database the build
        does not define (an external item carrying only schema text) gets its own ``schema`` text unfitted.
        """
        try:
            spec = self.database(item.db_id, item.dialect)
        except BuildFormatError:
            if not item.schema:
                raise
            from momq.dialects.prompt import prompt_parts

            return prompt_parts(item.question, item.schema, item.dialect, item.evidence)
        key = (item.db_id, item.dialect)
        if key not in self._layouts:
            from momq.dialects import get_dialect

            self._layouts[key] = get_dialect(item.dialect).schema_layout(spec)
        return fit_prompt(item.question, spec, item.dialect, item.evidence, budget, layout=self._layouts[key])


def open_build(path: str | Path) -> BenchmarkBuild:
    """Open the build in ``path``; :class:`BuildFormatError` when it is not one."""
    root = Path(path)
    if not root.is_dir():
        raise BuildFormatError(f"{root}: not a folder (expected a benchmark build, see `momq bench build`)")
    missing = [name for name in (ITEMS_FILE, DATABASES_DIR) if not (root / name).exists()]
    if missing:
        raise BuildFormatError(f"{root}: not a benchmark build (missing {', '.join(missing)})")
    manifest: dict[str, Any] = {}
    if (root / MANIFEST_FILE).is_file():
        try:
            manifest = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise BuildFormatError(f"{root / MANIFEST_FILE}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    return BenchmarkBuild(root, manifest)


def load_databases(out_dir: str | Path, engines: Mapping[str, Engine], db_ids: Sequence[str] | None = None) -> None:
    """Load a build's database definitions into the engines (relational -> SQL engines, graph -> graph engines)."""
    open_build(out_dir).load_into(engines, db_ids)


__all__ = [
    "BenchmarkBuild",
    "BuildFormatError",
    "DATABASES_DIR",
    "FAILURES_FILE",
    "ITEMS_FILE",
    "MANIFEST_FILE",
    "PRESETS_DIR",
    "SPLITS_DIR",
    "load_databases",
    "open_build",
]

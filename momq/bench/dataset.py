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
from momq.dialects.prompt import PromptParts, TokenBudget, fit_prompt
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


class DatabaseSource:
    """What prompts and engine loading need from a collection of items: each item's database definition.

    Subclasses give :meth:`database` and :meth:`database_ids`; prompts and loading are the same for all of them
    (a finished build, an external suite).
    """

    def database(self, db_id: str, dialect: str) -> Database:  # pragma: no cover - abstract
        raise NotImplementedError

    def database_ids(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def load_into(self, engines: Mapping[str, Engine], db_ids: Iterable[str] | None = None) -> list[str]:
        """Load the definitions of ``db_ids`` (default: all) into every engine given; returns the ids loaded.

        Relational definitions go to the SQL engines, graphs to the graph engines; dialects without an engine
        in ``engines`` (or without a definition of that family) are skipped.
        """
        ids = sorted(set(db_ids)) if db_ids is not None else self.database_ids()
        for db_id in ids:
            for dialect in DIALECT_NAMES:
                if dialect not in engines:
                    continue
                try:
                    spec = self.database(db_id, dialect)
                except BuildFormatError:
                    continue
                engines[dialect].load(spec)
        return ids

    def prompt(self, item: BenchItem, budget: TokenBudget | None = None) -> PromptParts:
        """The item's prompt under ``budget`` (see :func:`momq.dialects.prompt.fit_prompt`).

        The schema comes from the definition of the item's database; an item whose database is not defined
        here (an external item carrying only schema text) gets its own ``schema`` text unfitted.
        """
        try:
            spec = self.database(item.db_id, item.dialect)
        except BuildFormatError:
            if not item.schema:
                raise
            from momq.dialects.prompt import prompt_parts

            return prompt_parts(item.question, item.schema, item.dialect, item.evidence)
        layouts = getattr(self, "_layouts", None)
        if layouts is None:
            layouts = self._layouts = {}  # (db_id, dialect) -> the dialect's layout of that schema
        key = (item.db_id, item.dialect)
        if key not in layouts:
            from momq.dialects import get_dialect

            layouts[key] = get_dialect(item.dialect).schema_layout(spec)
        return fit_prompt(item.question, spec, item.dialect, item.evidence, budget, layout=layouts[key])


@dataclass
class BenchmarkBuild(DatabaseSource):
    """A finished build on disk. Items and definitions are read lazily and cached."""

    root: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    _items: dict[Path, list[BenchItem]] = field(default_factory=dict, init=False, repr=False)
    _databases: dict[tuple[str, Family], Database] = field(default_factory=dict, init=False, repr=False)

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


@dataclass
class SuiteSource(DatabaseSource):
    """An external suite (``momq bench external``: items JSONL + a folder of dumps / definitions) as a source."""

    suite: Any

    def items(self, dialects: Sequence[str] | None = None) -> list[BenchItem]:
        wanted = None if dialects is None else {check_dialect(d) for d in dialects}
        return [it for it in self.suite.items if wanted is None or it.dialect in wanted]

    def database_ids(self) -> list[str]:
        return sorted(set(self.suite.relational) | set(self.suite.graphs) | {k[0] for k in self.suite.dumps})

    def database(self, db_id: str, dialect: str) -> Database:
        """The loaded dump's introspected schema for ``dialect``, else the suite's JSON definition."""
        family = family_of(check_dialect(dialect))
        if family is Family.RELATIONAL and (db_id, dialect) in self.suite.loaded:
            return self.suite.loaded[(db_id, dialect)]
        table = self.suite.relational if family is Family.RELATIONAL else self.suite.graphs
        if db_id not in table:
            raise BuildFormatError(f"suite {self.suite.name}: no {_FAMILY_SUFFIX[family]} definition of {db_id!r}")
        return table[db_id]

    def load_into(self, engines: Mapping[str, Engine], db_ids: Iterable[str] | None = None) -> list[str]:
        """Run the suite's SQL dumps on their engines (once), then load the JSON definitions of ``db_ids``
        (default: all) into the engines that have no dump of them."""
        from momq.bench.external import load_databases

        load_databases(self.suite, engines)
        ids = sorted(set(db_ids)) if db_ids is not None else self.database_ids()
        for db_id in ids:
            for dialect in DIALECT_NAMES:
                if dialect not in engines or (db_id, dialect) in self.suite.loaded:
                    continue
                family = family_of(dialect)
                table = self.suite.relational if family is Family.RELATIONAL else self.suite.graphs
                if db_id in table:
                    engines[dialect].load(table[db_id])
        return ids


def open_suite(items_path: str | Path, databases_dir: str | Path, sql_dialect: str = "mysql",
               engines: Mapping[str, Engine] | None = None) -> SuiteSource:
    """An external suite (see :func:`momq.bench.external.load_suite`) as a :class:`DatabaseSource`; with
    ``engines`` its SQL dumps are loaded now, so that its items' prompts show their schemas."""
    from momq.bench.external import load_suite

    return SuiteSource(load_suite(items_path, databases_dir, sql_dialect=sql_dialect, engines=engines))


def load_databases(out_dir: str | Path, engines: Mapping[str, Engine], db_ids: Sequence[str] | None = None) -> None:
    """Load a build's database definitions into the engines (relational -> SQL engines, graph -> graph engines)."""
    open_build(out_dir).load_into(engines, db_ids)


__all__ = [
    "BenchmarkBuild",
    "BuildFormatError",
    "DatabaseSource",
    "SuiteSource",
    "open_suite",
    "DATABASES_DIR",
    "FAILURES_FILE",
    "ITEMS_FILE",
    "MANIFEST_FILE",
    "PRESETS_DIR",
    "SPLITS_DIR",
    "load_databases",
    "open_build",
]

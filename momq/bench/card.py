"""The benchmark's data card: counts per dialect, split, difficulty, feature and domain; what was filtered out
and why; how long the build took; how often MySQL and PostgreSQL golds differ and how many questions use each
dialect-distinctive construct. Written as JSON (for programs) and Markdown (for people).

It describes a finished build from its items and failure records; it does not build, verify or split anything.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from momq.bench.folder import BuildFolderError
from momq.bench.ir import DIALECT_FEATURES
from momq.bench.records import DIFFICULTIES, SPLITS, BenchItem
from momq.dialects.base import DIALECT_NAMES, DISPLAY_NAME

CARD_JSON = "card.json"
CARD_MD = "CARD.md"


@dataclass
class DataCard:
    name: str
    build: dict[str, Any] = field(default_factory=dict)  # seed, size, seconds, created, engines
    totals: dict[str, int] = field(default_factory=dict)  # items, questions, queries, databases
    per_dialect: dict[str, int] = field(default_factory=dict)
    per_split: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> dialect -> items
    per_difficulty: dict[str, dict[str, int]] = field(default_factory=dict)
    per_feature: dict[str, dict[str, int]] = field(default_factory=dict)
    per_domain: dict[str, dict[str, int]] = field(default_factory=dict)
    splits: dict[str, str] = field(default_factory=dict)  # db_id -> split
    presets: dict[str, dict[str, int]] = field(default_factory=dict)  # preset -> dialect -> train items
    filtered: dict[str, Any] = field(default_factory=dict)  # candidates, kept, failed, by_reason, share_by_reason
    #: candidate queries the sampler discarded before compiling, by reason (not gold failures)
    not_sampled: dict[str, int] = field(default_factory=dict)
    #: questions with both SQL golds, how many read differently (whitespace, case and identifier quotes
    #: ignored), and questions per dialect-distinctive feature
    dialect_gap: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> "DataCard":
        return cls(**dict(obj))


def _by_dialect(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    table: dict[str, Counter] = defaultdict(Counter)
    for key, dialect in pairs:
        table[key][dialect] += 1
    return {k: {d: table[k][d] for d in DIALECT_NAMES if table[k][d]} for k in table}


def _normalised(text: str) -> str:
    """Query text with whitespace, letter case and identifier quoting (backticks, double quotes) ignored."""
    return " ".join(re.sub(r'[`"]', "", text).lower().split())


def dialect_gap(items: Iterable[BenchItem]) -> dict[str, Any]:
    """How many questions have MySQL and PostgreSQL golds that differ (after :func:`_normalised`), and how many
    questions carry each feature of :data:`momq.bench.ir.DIALECT_FEATURES`."""
    sql: dict[str, dict[str, str]] = defaultdict(dict)
    features: dict[str, set[str]] = defaultdict(set)
    for it in items:
        if it.dialect in ("mysql", "postgresql"):
            sql[it.question_id][it.dialect] = it.query
        features[it.question_id].update(it.features)
    pairs = [q for q in sql.values() if len(q) == 2]
    differ = sum(_normalised(q["mysql"]) != _normalised(q["postgresql"]) for q in pairs)
    return {
        "questions": len(pairs),
        "mysql_postgresql_differ": differ,
        "mysql_postgresql_rate": differ / len(pairs) if pairs else 0.0,
        "questions_per_feature": {f: sum(f in fs for fs in features.values()) for f in DIALECT_FEATURES},
    }


def make_card(
    name: str,
    items: list[BenchItem],
    failures: list[Mapping[str, Any]] = (),
    candidates: int | None = None,
    splits: Mapping[str, str] | None = None,
    presets: Mapping[str, list[BenchItem]] | None = None,
    build: Mapping[str, Any] | None = None,
    notes: Iterable[str] = (),
    sampler_rejections: Mapping[str, int] | None = None,
) -> DataCard:
    """Count ``items`` (one per question and dialect) and ``failures`` (one per rejected IR query).

    ``candidates`` is the number of IR queries that were verified (kept + failed); the filtered-out share of a
    reason is its failures over the candidates.
    """
    per_dialect = Counter(it.dialect for it in items)
    split_of = dict(splits or {})
    kept_queries = {it.query_id for it in items}
    failures = list(failures)
    if candidates is None:
        candidates = len(kept_queries) + len(failures)
    reasons = Counter(str(f.get("reason", "unknown")) for f in failures)
    per_domain_fail = Counter(str(f.get("db_id", "?")) for f in failures)
    card = DataCard(
        name=name,
        build=dict(build or {}),
        totals={
            "items": len(items),
            "questions": len({it.question_id for it in items}),
            "queries": len(kept_queries),
            "databases": len({it.db_id for it in items}),
        },
        per_dialect={d: per_dialect[d] for d in DIALECT_NAMES if per_dialect[d]},
        per_split={s: v for s, v in sorted(_by_dialect((it.split or "unsplit", it.dialect) for it in items).items(),
                                           key=lambda kv: _order(kv[0], SPLITS))},
        per_difficulty={k: v for k, v in sorted(
            _by_dialect((it.difficulty or "unlabelled", it.dialect) for it in items).items(),
            key=lambda kv: _order(kv[0], DIFFICULTIES))},
        per_feature=dict(sorted(_by_dialect((f, it.dialect) for it in items for f in it.features).items())),
        per_domain=dict(sorted(_by_dialect((it.domain, it.dialect) for it in items).items())),
        splits=dict(sorted(split_of.items())),
        presets={p: {d: c for d, c in _count_train(v).items()} for p, v in (presets or {}).items()},
        filtered={
            "unit": "IR query (all of its questions and dialects)",
            "candidates": candidates,
            "kept": len(kept_queries),
            "failed": len(failures),
            "share_filtered": (len(failures) / candidates) if candidates else 0.0,
            "by_reason": dict(reasons.most_common()),
            "share_by_reason": {r: n / candidates for r, n in reasons.most_common()} if candidates else {},
            "failed_by_domain": dict(sorted(per_domain_fail.items())),
            "failed_by_dialect": dict(Counter(str(f.get("failed_dialect")) for f in failures
                                              if f.get("failed_dialect")).most_common()),
        },
        not_sampled=dict(Counter(dict(sampler_rejections or {})).most_common()),
        dialect_gap=dialect_gap(items),
        notes=list(notes),
    )
    return card


def _order(key: str, known: tuple[str, ...]) -> tuple[int, str]:
    return (known.index(key), key) if key in known else (len(known), key)


def _count_train(items: Iterable[BenchItem]) -> dict[str, int]:
    c = Counter(it.dialect for it in items if it.split == "train")
    return {d: c[d] for d in DIALECT_NAMES}


# ----------------------------------------------------------------------------------------------- output
def _table(title: str, rows: Mapping[str, Mapping[str, int]], dialects: list[str]) -> list[str]:
    head = f"| {title} | " + " | ".join(DISPLAY_NAME[d] for d in dialects) + " | total |"
    sep = "|---|" + "---:|" * (len(dialects) + 1)
    lines = [head, sep]
    for key, counts in rows.items():
        values = [counts.get(d, 0) for d in dialects]
        lines.append(f"| {key} | " + " | ".join(str(v) for v in values) + f" | {sum(values)} |")
    return lines


def card_markdown(card: DataCard) -> str:
    dialects = [d for d in DIALECT_NAMES if d in card.per_dialect] or list(DIALECT_NAMES)
    b = card.build
    lines = [f"# Data card: {card.name}", ""]
    if b:
        lines += ["## Build", ""]
        lines += [f"- {k}: {v}" for k, v in b.items() if not isinstance(v, dict)]
        for k, v in b.items():
            if isinstance(v, dict):
                lines.append(f"- {k}: " + ", ".join(f"{kk}={vv}" for kk, vv in v.items()))
        lines.append("")
    t = card.totals
    lines += ["## Totals", "",
              f"- items (question x dialect): {t.get('items', 0)}",
              f"- questions: {t.get('questions', 0)}; IR queries: {t.get('queries', 0)}; "
              f"databases: {t.get('databases', 0)}", ""]
    lines += ["## Items per dialect", ""] + _table("", {"items": card.per_dialect}, dialects) + [""]
    lines += ["## Per split", ""] + _table("split", card.per_split, dialects) + [""]
    if card.splits:
        by_split: dict[str, list[str]] = defaultdict(list)
        for db, s in card.splits.items():
            by_split[s].append(db)
        lines += [f"- {s}: {', '.join(sorted(dbs))}" for s, dbs in sorted(by_split.items(),
                                                                           key=lambda kv: _order(kv[0], SPLITS))]
        lines.append("")
    if card.presets:
        lines += ["## Imbalance presets (train items)", ""] + _table("preset", card.presets, dialects) + [""]
    lines += ["## Per difficulty", ""] + _table("difficulty", card.per_difficulty, dialects) + [""]
    lines += ["## Per IR feature", ""] + _table("feature", card.per_feature, dialects) + [""]
    gap = card.dialect_gap
    if gap:
        lines += ["## Dialect differences", "",
                  f"- MySQL and PostgreSQL golds differ (whitespace, case and identifier quotes ignored) for "
                  f"{gap['mysql_postgresql_differ']} of {gap['questions']} questions "
                  f"({100 * gap['mysql_postgresql_rate']:.1f}%)",
                  "- questions per dialect-distinctive construct: "
                  + ", ".join(f"{f} {n}" for f, n in gap["questions_per_feature"].items()), ""]
    lines += ["## Per domain", ""] + _table("domain", card.per_domain, dialects) + [""]
    f = card.filtered
    if f:
        lines += ["## Filtered out", "",
                  f"Unit: {f.get('unit', '')}. Candidates {f.get('candidates', 0)}, kept {f.get('kept', 0)}, "
                  f"failed {f.get('failed', 0)} ({100 * f.get('share_filtered', 0.0):.1f}%).", ""]
        if f.get("by_reason"):
            lines += ["| reason | queries | share of candidates |", "|---|---:|---:|"]
            for reason, n in f["by_reason"].items():
                lines.append(f"| {reason} | {n} | {100 * f['share_by_reason'].get(reason, 0.0):.1f}% |")
            lines.append("")
        if f.get("failed_by_dialect"):
            lines += ["Failed dialect (the first dialect that failed a rejected query): "
                      + ", ".join(f"{d} {n}" for d, n in f["failed_by_dialect"].items()), ""]
    if card.not_sampled:
        lines += ["## Not sampled", "",
                  "Candidate queries the sampler discarded before compiling, because their answer would be "
                  "ambiguous across engines or empty; they never became gold queries, so they are not failures.", "",
                  "| reason | candidates |", "|---|---:|"]
        lines += [f"| {reason} | {n} |" for reason, n in card.not_sampled.items()] + [""]
    if card.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in card.notes] + [""]
    return "\n".join(lines)


def write_card(out_dir: str | Path, card: DataCard) -> tuple[Path, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jp, mp = out / CARD_JSON, out / CARD_MD
    jp.write_text(json.dumps(card.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    mp.write_text(card_markdown(card), encoding="utf-8")
    return jp, mp


def read_card(out_dir: str | Path) -> DataCard:
    """The data card of a build; ``FileNotFoundError`` when there is none, :class:`BuildFolderError` when it is not
    a valid card."""
    path = Path(out_dir) / CARD_JSON
    if not path.exists():
        raise FileNotFoundError(f"no data card at {path}; build the benchmark first (momq bench build)")
    try:
        return DataCard.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        why = f"{exc.msg}, line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "not UTF-8 text"
        raise BuildFolderError(f"{path}: not valid JSON ({why}); rebuild it with `momq bench build`") from exc
    except TypeError as exc:  # not an object, or fields a card does not have
        raise BuildFolderError(f"{path}: not a data card ({exc}); rebuild it with `momq bench build`") from exc


__all__ = ["CARD_JSON", "CARD_MD", "DataCard", "card_markdown", "make_card", "read_card", "write_card"]

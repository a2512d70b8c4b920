"""Build the benchmark: domains -> data -> engines -> IR queries -> four dialects + questions -> verified items.

For each domain: generate the data from the seed, project it to a relational database and a property graph,
load them into the four engines, sample IR queries, compile each to MySQL / PostgreSQL / Cypher / nGQL, verify
the four gold queries together (every one runs, the answer is non-empty, all four agree, gold Cypher passes
Neo4j's linter when one is given), and render 1-3 English questions for each verified query. Every rejected
query is written to ``failures.jsonl`` with its reason; nothing is dropped silently.

Output folder::

    items.jsonl                 one record per (question, dialect), every split
    failures.jsonl              one record per rejected IR query: reason, failed dialect, detail, the texts
    databases/<db>.relational.json, <db>.graph.json   the definitions, enough to rebuild the engines' contents
    splits/{train,dev,test}.jsonl                      items by split (split by database; see splits.py)
    presets/<preset>.train.jsonl                       the train split under each imbalance preset
    card.json, CARD.md          the data card
    manifest.json               how it was built (config, seed, engine versions, split assignment)

It does not start engines (``momq engines up``) and does not train or evaluate models.
"""

from __future__ import annotations

import json
import logging
import platform
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from momq.bench.card import make_card, write_card
from momq.bench.dataset import (
    DATABASES_DIR,
    FAILURES_FILE,
    ITEMS_FILE,
    MANIFEST_FILE,
    PRESETS_DIR,
    SPLITS_DIR,
    load_databases,
)
from momq.bench.er import Domain
from momq.bench.folder import staged_output
from momq.bench.records import SYNTHETIC_SOURCE, BenchItem, RecordError, write_items
from momq.bench.splits import PRESETS, SplitPlan, apply_preset, apply_splits, assign_databases
from momq.dialects.base import DIALECT_NAMES, Family, family_of
from momq.engines.base import Engine, ExecutionLimits
from momq.provenance import source_commit

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class SizeProfile:
    """How big a build is: domains (None = all), IR queries sampled per domain, data scale, questions per query."""

    name: str
    max_domains: int | None
    queries_per_domain: int
    data_scale: float
    min_paraphrases: int = 1
    max_paraphrases: int = 3

    def __post_init__(self) -> None:
        if self.queries_per_domain < 1:
            raise ValueError("queries_per_domain must be positive")
        if not 1 <= self.min_paraphrases <= self.max_paraphrases <= 3:
            raise ValueError("paraphrases per query must satisfy 1 <= min <= max <= 3")
        if self.data_scale <= 0:
            raise ValueError("data_scale must be positive")


SIZES: dict[str, SizeProfile] = {
    # small: a CI-sized build (a few domains, ~20 queries each) that finishes in well under 3 minutes
    "small": SizeProfile("small", max_domains=5, queries_per_domain=20, data_scale=0.5),
    # full: every domain; enough queries that each dialect gets >= 2,500 verified questions
    "full": SizeProfile("full", max_domains=None, queries_per_domain=72, data_scale=1.0),
}


@dataclass(frozen=True)
class BuildConfig:
    size: str = "small"
    seed: int = 0
    domains: tuple[str, ...] | None = None  # None: the size's default selection
    queries_per_domain: int | None = None  # overrides the size's
    data_scale: float | None = None  # overrides the size's
    split_plan: SplitPlan = field(default_factory=SplitPlan)
    limits: ExecutionLimits = field(default_factory=lambda: ExecutionLimits(timeout_s=10.0, max_rows=10_000))
    progress: bool = True

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"unknown size {self.size!r}; expected one of {', '.join(SIZES)}")
        if self.queries_per_domain is not None and self.queries_per_domain < 1:
            raise ValueError("queries_per_domain must be positive")
        if self.data_scale is not None and self.data_scale <= 0:
            raise ValueError("data_scale must be positive")

    @property
    def profile(self) -> SizeProfile:
        base = SIZES[self.size]
        return SizeProfile(base.name, base.max_domains, self.queries_per_domain or base.queries_per_domain,
                           self.data_scale or base.data_scale, base.min_paraphrases, base.max_paraphrases)


@dataclass
class BuildResult:
    out_dir: Path
    items: list[BenchItem]
    failures: list[dict[str, Any]]
    seconds: float
    domains: list[str]
    candidates: int

    def per_dialect(self) -> dict[str, int]:
        out = {d: 0 for d in DIALECT_NAMES}
        for it in self.items:
            out[it.dialect] += 1
        return out


def _stable(*parts: object) -> int:
    from momq.bench.generate import stable_hash

    return stable_hash("/".join(map(str, parts)))


def select_domains(config: BuildConfig) -> list[Domain]:
    """The domains a build covers: the named ones, else all (full) or an evenly spread subset (small)."""
    from momq.bench.domains import all_domains, get_domain

    if config.domains:
        return [get_domain(name) for name in dict.fromkeys(config.domains)]
    domains = all_domains()
    limit = config.profile.max_domains
    if limit is None or len(domains) <= limit:
        return domains
    step = len(domains) / limit
    return [domains[int(i * step)] for i in range(limit)]


def _for_dialect(dialect: str, rel, graph):
    """The projection of a domain that ``dialect`` queries: the relational database or the property graph."""
    return rel if family_of(dialect) is Family.RELATIONAL else graph


def _schemas(rel, graph) -> dict[str, str]:
    from momq.dialects import get_dialect

    return {d: get_dialect(d).render_schema(_for_dialect(d, rel, graph)) for d in DIALECT_NAMES}


def _progress(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="query", leave=False, disable=not enabled, dynamic_ncols=True)


def build_domain(
    domain: Domain,
    engines: Mapping[str, Engine],
    config: BuildConfig,
    linter: Any = None,
    out_dir: Path | None = None,
    sampler_rejections: dict[str, int] | None = None,
) -> tuple[list[BenchItem], list[dict[str, Any]], int]:
    """(items, failures, candidates) for one domain; loads its databases into ``engines`` as a side effect.

    ``sampler_rejections`` collects, by reason, the candidate queries the sampler discarded before compiling.
    """
    from momq.bench.compilers import compile_all
    from momq.schema.io import write_database
    from momq.bench.generate import generate
    from momq.bench.nl import render_questions
    from momq.bench.project import to_graph, to_relational
    from momq.bench.sample import sample_queries
    from momq.bench.verify import verify

    profile = config.profile
    data = generate(domain, config.seed, profile.data_scale)
    rel, graph = to_relational(data), to_graph(data)
    if out_dir is not None:
        write_database(out_dir / DATABASES_DIR / f"{domain.name}.relational.json", rel)
        write_database(out_dir / DATABASES_DIR / f"{domain.name}.graph.json", graph)
    for dialect in DIALECT_NAMES:
        engines[dialect].load(_for_dialect(dialect, rel, graph))
    schemas = _schemas(rel, graph)
    queries = sample_queries(data, profile.queries_per_domain, config.seed + _stable("sample", domain.name),
                             rejections=sampler_rejections)
    items: list[BenchItem] = []
    failures: list[dict[str, Any]] = []
    asked: set[str] = set()
    with _progress(len(queries), domain.name, config.progress) as bar:
        for n, query in enumerate(queries):
            query_id = f"{domain.name}-q{n:03d}"
            ir = query.to_dict()
            base_failure = {"query_id": query_id, "db_id": domain.name, "ir": ir}
            try:
                texts = compile_all(query, domain)
            except ValueError as exc:  # an IR shape a compiler cannot express
                failures.append({**base_failure, "reason": "compile_error", "failed_dialect": None,
                                 "detail": f"{type(exc).__name__}: {exc}", "queries": {}})
                bar.update()
                continue
            verdict = verify(texts, domain.name, engines, limits=config.limits, linter=linter)
            if not verdict.ok:
                failures.append({**base_failure, "reason": verdict.reason, "failed_dialect": verdict.failed_dialect,
                                 "detail": verdict.detail, "queries": texts})
                bar.update()
                continue
            rng = random.Random(config.seed + _stable("questions", query_id))
            k = rng.randint(profile.min_paraphrases, profile.max_paraphrases)
            rendered = list(dict.fromkeys(q.strip() for q in render_questions(query, domain, rng, k) if q.strip()))
            # a question already asked of another IR query in this database would have two gold answers
            questions = [q for q in rendered if q.lower() not in asked]
            if not questions:
                reason = "duplicate_question" if rendered else "no_question"
                failures.append({**base_failure, "reason": reason, "failed_dialect": None,
                                 "detail": "every rendered question was already used by another query"
                                 if rendered else "the NL renderer gave no question", "queries": texts})
                bar.update()
                continue
            asked.update(q.lower() for q in questions)
            features = list(query.features())
            difficulty = query.difficulty()
            for p, question in enumerate(questions):
                question_id = f"{query_id}-p{p}"
                for dialect in DIALECT_NAMES:
                    items.append(BenchItem(
                        id=f"{question_id}-{dialect}", db_id=domain.name, domain=domain.name, dialect=dialect,
                        question=question, query=texts[dialect], difficulty=difficulty, features=features, ir=ir,
                        schema=schemas[dialect], split=None, source=SYNTHETIC_SOURCE, query_id=query_id,
                        question_id=question_id,
                    ))
            bar.update()
    log.info("%s: %d of %d queries verified, %d questions", domain.name, len(queries) - len(failures),
             len(queries), len({it.question_id for it in items}))
    return items, failures, len(queries)


def lint_function(linter: Any) -> Callable[[str], Any] | None:
    """A callable query -> list of errors (empty = valid) from a linter object or function.

    A :class:`momq.dialects.cypher_linter.CypherLinter` is used through ``errors`` so that warnings (e.g. a
    deprecated form) do not reject a query Neo4j accepts.
    """
    if linter is None:
        return None
    errors = getattr(linter, "errors", None)
    if callable(errors):
        return errors
    if callable(linter):
        return linter
    raise TypeError(f"not a linter: {type(linter).__name__} (need a callable or an object with errors())")


def _engine_versions(engines: Mapping[str, Engine]) -> dict[str, str]:
    out = {}
    for dialect, engine in engines.items():
        try:
            out[dialect] = f"{engine.name}: {engine.version()}"
        except Exception as exc:  # a version probe must not fail a build
            out[dialect] = f"{getattr(engine, 'name', '?')}: unknown ({type(exc).__name__})"
    return out


def build(
    out_dir: str | Path,
    size: str = "small",
    seed: int = 0,
    domains: Sequence[str] | None = None,
    *,
    engines: Mapping[str, Engine] | None = None,
    linter: Any = None,
    config: BuildConfig | None = None,
    on_domain: Callable[[str, int, int], None] | None = None,
) -> BuildResult:
    """Build the benchmark into ``out_dir`` (replacing an earlier build there) and return what was written.

    ``out_dir`` must be new, empty or an earlier build of ours (see :func:`momq.bench.folder.check_output`); the
    build is written into a sibling folder that replaces it only when every output is written.

    ``engines`` maps each dialect to a connected engine (default: the running local servers, see
    :func:`momq.engines.manager.dialect_engines`, closed afterwards); ``linter`` is Neo4j's Cypher linter (gold Cypher that it
    rejects is filtered out with reason ``cypher_lint``); ``on_domain(name, kept, candidates)`` is called after
    each domain.
    """
    config = config or BuildConfig(size=size, seed=seed, domains=tuple(domains) if domains else None)
    if engines is None:
        from momq.engines.manager import dialect_engines

        own = dialect_engines()
        try:
            return build(out_dir, engines=own, linter=linter, config=config, on_domain=on_domain)
        finally:
            for engine in own.values():
                engine.close()
    linter = lint_function(linter)
    missing = [d for d in DIALECT_NAMES if d not in engines]
    if missing:
        raise ValueError(f"no engine for dialect(s) {', '.join(missing)}")
    chosen = select_domains(config)
    if len(chosen) < 2:
        raise ValueError("a build needs at least two domains (test databases must differ from train ones)")
    final = Path(out_dir)
    with staged_output(final) as out:  # options are checked; the old build is replaced only on success
        return _build_into(out, final, chosen, engines, linter, config, on_domain)


def _build_into(out: Path, final: Path, chosen: list[Domain], engines: Mapping[str, Engine], linter: Any,
                config: BuildConfig, on_domain: Callable[[str, int, int], None] | None) -> BuildResult:
    """The body of :func:`build`: write every output into ``out``, which becomes ``final`` afterwards."""
    t0 = time.monotonic()
    all_items: list[BenchItem] = []
    all_failures: list[dict[str, Any]] = []
    candidates = 0
    sampler_rejections: dict[str, int] = {}
    per_domain_s: dict[str, float] = {}
    for domain in chosen:
        td = time.monotonic()
        items, failures, n = build_domain(domain, engines, config, linter, out, sampler_rejections)
        per_domain_s[domain.name] = round(time.monotonic() - td, 2)
        all_items += items
        all_failures += failures
        candidates += n
        if on_domain is not None:
            on_domain(domain.name, n - len(failures), n)
    assignment = assign_databases([d.name for d in chosen], config.split_plan)
    all_items = apply_splits(all_items, assignment)
    write_items(out / ITEMS_FILE, all_items)
    with (out / FAILURES_FILE).open("w", encoding="utf-8") as fh:
        for f in all_failures:
            fh.write(json.dumps(f, ensure_ascii=False, default=str) + "\n")
    for split in ("train", "dev", "test"):
        write_items(out / SPLITS_DIR / f"{split}.jsonl", [it for it in all_items if it.split == split])
    preset_items = {}
    for name in PRESETS:
        preset_items[name] = apply_preset(all_items, name, seed=config.seed)
        write_items(out / PRESETS_DIR / f"{name}.train.jsonl", [it for it in preset_items[name] if it.split == "train"])
    seconds = time.monotonic() - t0
    build_info = {
        "size": config.size,
        "seed": config.seed,
        "seconds": round(seconds, 1),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "queries_per_domain": config.profile.queries_per_domain,
        "data_scale": config.profile.data_scale,
        "cypher_lint": linter is not None,
        "engines": _engine_versions(engines),
        "python": platform.python_version(),
        "source_commit": source_commit(),
    }
    card = make_card(
        final.name or "bench", all_items, all_failures, candidates=candidates, splits=assignment,
        presets=preset_items, build=build_info, sampler_rejections=sampler_rejections,
        notes=[
            "Splits are by database: test and dev databases never appear in train; dev is a set of held-out "
            "databases (not held-out questions of train databases) so that it measures the same thing as test.",
            "Imbalance presets subsample the train split only; dev and test are the same for every preset.",
            "Every item's gold query was executed on its engine (MySQL on MariaDB in MySQL mode, Cypher on "
            "FalkorDB, nGQL on the nGQL emulation over FalkorDB) and all four dialects returned the same rows.",
        ],
    )
    write_card(out, card)
    manifest = {
        "config": {**asdict(config), "profile": asdict(config.profile)},
        "build": build_info,
        "domains": [d.name for d in chosen],
        "domain_seconds": per_domain_s,
        "splits": assignment,
        "files": {"items": ITEMS_FILE, "failures": FAILURES_FILE, "databases": DATABASES_DIR,
                  "splits": SPLITS_DIR, "presets": PRESETS_DIR},
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
    log.info("built %d items (%s) in %.1f s into %s", len(all_items),
             ", ".join(f"{d}={n}" for d, n in BuildResult(out, all_items, [], 0, [], 0).per_dialect().items()),
             seconds, final)
    return BuildResult(final, all_items, all_failures, seconds, [d.name for d in chosen], candidates)


# ----------------------------------------------------------------------------------------------- re-verification
@dataclass
class Reverification:
    per_dialect: dict[str, dict[str, int]]  # dialect -> {"items": n, "agree": m}
    failures: list[dict[str, Any]]

    def rate(self, dialect: str) -> float:
        c = self.per_dialect.get(dialect, {"items": 0, "agree": 0})
        return c["agree"] / c["items"] if c["items"] else 1.0

    @property
    def all_agree(self) -> bool:
        return all(c["agree"] == c["items"] for c in self.per_dialect.values())


def reverify(
    items: Sequence[BenchItem],
    engines: Mapping[str, Engine],
    limits: ExecutionLimits = ExecutionLimits(),
    linter: Any = None,
    progress: bool = False,
) -> Reverification:
    """Re-execute every gold query and check agreement with the reference dialect (MySQL), per dialect.

    Items are grouped by IR query (``query_id``): the dialects' texts are verified together; when that fails,
    each dialect is checked against the reference alone so the disagreement is charged to the right dialect.
    """
    from momq.bench.verify import verify

    linter = lint_function(linter)
    groups: dict[tuple[str, str], dict[str, str]] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for it in items:
        key = (it.db_id, it.query_id)
        texts = groups.setdefault(key, {})
        if it.dialect in texts and texts[it.dialect] != it.query:
            raise RecordError(f"query {it.query_id}: two different {it.dialect} gold queries (item {it.id} differs)")
        texts[it.dialect] = it.query
        counts.setdefault(key, {}).setdefault(it.dialect, 0)
        counts[key][it.dialect] += 1
    per_dialect = {d: {"items": 0, "agree": 0} for d in DIALECT_NAMES if any(it.dialect == d for it in items)}
    failures: list[dict[str, Any]] = []
    with _progress(len(groups), "verify", progress) as bar:
        for (db, qid), texts in groups.items():
            reference = "mysql" if "mysql" in texts else next(iter(texts))
            verdict = verify(texts, db, engines, limits=limits, reference=reference, linter=linter)
            if verdict.ok:
                agree = set(texts)
            else:
                agree = set()
                for dialect in texts:
                    pair = {reference: texts[reference]} | {dialect: texts[dialect]}
                    v = verify(pair, db, engines, limits=limits, reference=reference,
                               linter=linter if dialect == "cypher" else None)
                    if v.ok:
                        agree.add(dialect)
                    else:
                        failures.append({"query_id": qid, "db_id": db, "dialect": dialect, "reason": v.reason,
                                         "detail": v.detail})
            for dialect, n in counts[(db, qid)].items():
                per_dialect[dialect]["items"] += n
                if dialect in agree:
                    per_dialect[dialect]["agree"] += n
            bar.update()
    return Reverification(per_dialect, failures)


__all__ = [
    "BuildConfig",
    "BuildResult",
    "Reverification",
    "SIZES",
    "SizeProfile",
    "build",
    "build_domain",
    "lint_function",
    "load_databases",
    "reverify",
    "select_domains",
]

"""``momq bench``: build the benchmark, re-verify a build's gold queries on the engines, print its data card.

Engines come from the running local servers (``momq engines up``); when they are not up the commands stop with
that instruction. This module only parses and checks options and prints results; the work is in
``momq.bench.build``. It does not catch errors: typed ones become one line in ``momq.cli``.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import typer

log = logging.getLogger(__name__)

app = typer.Typer(no_args_is_help=True, help="Build, verify and describe the multi-dialect benchmark.")


def _close(engines: dict) -> None:
    for engine in engines.values():
        engine.close()


def _linter(enabled: bool) -> Any:
    """Neo4j's Cypher linter when asked for (``CypherLinterUnavailable`` when it is not installed)."""
    if not enabled:
        return None
    from momq.dialects.cypher_linter import CypherLinter

    return CypherLinter().start()


def _close_linter(linter: Any) -> None:
    close = getattr(linter, "close", None)
    if callable(close):
        close()


@contextmanager
def _engines_and_linter(lint: bool) -> Iterator[tuple[dict, Any]]:
    """The running engines and (when ``lint``) the Cypher linter; both closed on the way out, linter first."""
    from momq.engines.manager import dialect_engines

    engines = dialect_engines()
    try:
        linter = _linter(lint)
    except BaseException:
        _close(engines)
        raise
    try:
        yield engines, linter
    finally:
        _close_linter(linter)
        _close(engines)


def _build_config(size: str, seed: int, domains: Optional[str], queries: Optional[int], progress: bool):
    """The build's configuration with its domains, or a usage error naming the bad option."""
    from momq.bench.build import SIZES, BuildConfig, select_domains

    if size not in SIZES:
        raise typer.BadParameter(f"expected one of {', '.join(SIZES)}", param_hint="--size")
    names = tuple(n.strip() for n in domains.split(",") if n.strip()) if domains else None
    try:
        config = BuildConfig(size=size, seed=seed, domains=names, queries_per_domain=queries, progress=progress)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        chosen = select_domains(config)
    except KeyError as exc:  # an unknown domain name
        raise typer.BadParameter(str(exc.args[0] if exc.args else exc), param_hint="--domains") from exc
    if len(chosen) < 2:
        raise typer.BadParameter("a build needs at least two domains (test databases must differ from train ones)",
                                 param_hint="--domains")
    return config


@app.command("build")
def build_cmd(
    size: str = typer.Option("small", "--size", help="small (CI, a few domains) or full (every domain)."),
    out: Path = typer.Option(Path("out/bench"), "--out",
                             help="Output folder: new, empty, or an earlier build (replaced once this one is done)."),
    seed: int = typer.Option(0, "--seed", help="Seed for data, queries, questions and splits."),
    domains: Optional[str] = typer.Option(None, "--domains", help="Comma-separated domain names (default: by size)."),
    queries: Optional[int] = typer.Option(None, "--queries", help="IR queries sampled per domain (default: by size)."),
    lint: bool = typer.Option(True, "--lint/--no-lint", help="Check gold Cypher with Neo4j's linter."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar per domain."),
) -> None:
    """Build the benchmark into OUT: items, failures, databases, splits, presets and the data card."""
    from momq.bench.build import build
    from momq.bench.folder import check_output

    config = _build_config(size, seed, domains, queries, progress)
    check_output(out)  # before the engines are touched; the build replaces OUT only when it is complete
    with _engines_and_linter(lint) as (engines, linter):
        result = build(out, engines=engines, linter=linter, config=config)
    counts = result.per_dialect()
    typer.echo(f"built {len(result.items)} items over {len(result.domains)} domains in {result.seconds:.1f} s "
               f"into {out}")
    typer.echo("items per dialect: " + ", ".join(f"{d}={n}" for d, n in counts.items()))
    typer.echo(f"IR queries: {result.candidates} sampled, {len(result.failures)} filtered out "
               f"(see {out / 'failures.jsonl'})")


@app.command("verify")
def verify_cmd(
    directory: Path = typer.Argument(..., help="A benchmark build folder."),
    lint: bool = typer.Option(True, "--lint/--no-lint", help="Also check gold Cypher with Neo4j's linter."),
    load: bool = typer.Option(True, "--load/--no-load",
                              help="Load the build's database definitions into the engines first."),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Re-execute every gold query of DIRECTORY and print the agreement rate per dialect (exit 1 if < 100%)."""
    from momq.bench.build import ITEMS_FILE, load_databases, reverify
    from momq.bench.records import RecordError, read_items
    from momq.dialects.base import DISPLAY_NAME

    items = read_items(directory / ITEMS_FILE)
    if not items:
        raise RecordError("no items to verify (the file is empty)", directory / ITEMS_FILE)
    with _engines_and_linter(lint) as (engines, linter):
        if load:
            load_databases(directory, engines, sorted({it.db_id for it in items}))
        result = reverify(items, engines, linter=linter, progress=progress)
    for dialect, c in result.per_dialect.items():
        typer.echo(f"{DISPLAY_NAME[dialect]:<20} {c['agree']:>6} / {c['items']:<6} agree "
                   f"({100 * result.rate(dialect):.2f}%)")
    for f in result.failures[:20]:
        typer.echo(f"  {f['query_id']} {f['dialect']}: {f['reason']}: {f['detail'][:160]}")
    if len(result.failures) > 20:
        typer.echo(f"  ... and {len(result.failures) - 20} more")
    if not result.all_agree:
        raise typer.Exit(1)  # the check failed (momq.cli.EXIT_CHECK_FAILED)


@app.command("stats")
def stats_cmd(directory: Path = typer.Argument(..., help="A benchmark build folder.")) -> None:
    """Print the data card of DIRECTORY."""
    from momq.bench.card import card_markdown, read_card

    card = read_card(directory)
    typer.echo(card_markdown(card))


@app.command("external")
def external_cmd(
    items: Path = typer.Argument(..., help="JSONL of external items (question, dialect, db_id and the gold under "
                                           "query, gold or sql: one query or a list of alternatives)."),
    databases: Path = typer.Option(..., "--databases", help="Folder with <db_id>[.mysql|.postgresql].sql dumps "
                                                            "and/or <db_id>.json definitions."),
    sql_dialect: str = typer.Option("mysql", "--sql-dialect", help="The dialect of dumps named <db_id>.sql "
                                                                   "(mysql or postgresql)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the passing items here as benchmark JSONL."),
    lint: bool = typer.Option(True, "--lint/--no-lint", help="Also check gold Cypher with Neo4j's linter."),
) -> None:
    """Load an external suite into the engines and check that every gold query runs and returns rows.

    Bad lines, items and database files, dumps the engine refuses and items without a database are reported
    and skipped; the summary counts them by reason."""
    from collections import Counter

    from momq.bench.external import ExternalFormatError, check_suite, load_suite
    from momq.bench.records import write_items

    try:  # a suite that cannot be read at all is reported before any engine is touched
        suite = load_suite(items, databases, sql_dialect=sql_dialect)
    except (ExternalFormatError, ValueError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    with _engines_and_linter(lint) as (engines, linter):
        checks = check_suite(suite, engines, linter=linter)
    summary = suite.summary()
    typer.echo(f"read {summary['database_files']} database files ({summary['dumps_loaded']} of {summary['dumps']} "
               f"dumps loaded, {summary['relational_definitions']} relational and {summary['graph_definitions']} "
               f"graph definitions) and {summary['items']} usable items")
    for reason, n in sorted(summary["skipped_by_reason"].items()):
        typer.echo(f"skipped ({reason}): {n}")
    for problem in suite.problems[:20]:
        typer.echo(f"  {str(problem)[:200]}")
    total, passed = Counter(c.dialect for c in checks), Counter(c.dialect for c in checks if c.ok)
    for dialect in total:
        typer.echo(f"{dialect:<11} {passed[dialect]:>6} / {total[dialect]:<6} gold queries pass")
    for c in [c for c in checks if not c.ok][:20]:
        typer.echo(f"  {c.item_id} ({c.dialect}): {c.reason} {c.detail[:160]}")
    if out is not None:
        ok = {c.item_id for c in checks if c.ok}
        n = write_items(out, [it for it in suite.items if it.id in ok])
        typer.echo(f"wrote {n} items to {out}")
    if not checks or sum(passed.values()) < len(checks):
        raise typer.Exit(1)

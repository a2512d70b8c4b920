"""The evaluation report: Markdown tables, a JSON copy of every number, and PNG plots.

:func:`write_report` takes one :func:`momq.evaluate.metrics.summarize` dict per method (e.g. ``{"momq": ...,
"lora": ...}``) and writes into ``out_dir``:

- ``report.md``: EX, valid-query rate and EM per dialect per method (with the micro "overall" and the macro
  average), EX 95% intervals, excluded items and error kinds, the paired comparisons if given
  (:func:`momq.evaluate.metrics.paired_difference`), and per method the breakdowns by difficulty, IR feature and
  database; numbers are percentages with one decimal;
- ``report.json``: the inputs as given (summaries, comparisons, routing, learning curve), for other tools;
- ``ex_per_dialect.png``: grouped bars, one group per dialect (and the macro average), one bar per method;
- ``routing_<method>.png`` for each method with routing statistics (the JSON of
  :meth:`momq.adapter.stats.RoutingStats.to_dict`): one heatmap panel per dialect, layers on y, experts on x,
  each row normalised to the share of that layer's tokens sent to each expert;
- ``learning_curve.png`` when given ``(examples_seen, {dialect: EX})`` points: EX per dialect against examples.

Plots are drawn with matplotlib's Agg canvas directly (no pyplot, no global backend switch), so writing a report
works on a machine without a display and does not disturb a caller's own plotting. What it deliberately does not
do: compute metrics (:mod:`momq.evaluate.metrics`) or decide which methods to compare.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from momq.dialects.base import DIALECT_NAMES
from momq.evaluate.compare import ERROR_KINDS

log = logging.getLogger(__name__)

__all__ = ["REPORT_JSON", "REPORT_MD", "write_report"]

REPORT_MD = "report.md"
REPORT_JSON = "report.json"
EX_PLOT = "ex_per_dialect.png"
CURVE_PLOT = "learning_curve.png"

LearningCurve = Sequence[tuple[int, Mapping[str, float]]]


def write_report(
    out_dir: str | Path,
    results: Mapping[str, dict],
    routing: Mapping[str, dict] | None = None,
    title: str = "momq evaluation",
    *,
    comparisons: Mapping[str, dict] | None = None,
    learning_curve: LearningCurve | None = None,
) -> list[Path]:
    """Write the report files into ``out_dir`` (created if needed); return the paths written.

    ``results``: method name → :func:`~momq.evaluate.metrics.summarize` output. ``routing``: method name →
    ``RoutingStats.to_dict()`` (methods without routing, e.g. plain LoRA, are simply absent). ``comparisons``:
    a label such as ``"momq - lora"`` → :func:`~momq.evaluate.metrics.paired_difference` output.
    ``learning_curve``: ``(examples_seen, {dialect: EX})`` points in training order.
    """
    if not results:
        raise ValueError("no results to report")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    routing = dict(routing or {})
    unknown = sorted(set(routing) - set(results))
    if unknown:
        log.warning("routing statistics for method(s) without results: %s", ", ".join(unknown))
    written: list[Path] = []

    plots: dict[str, str] = {}
    path = out / EX_PLOT
    _plot_ex(results, path)
    written.append(path)
    plots["EX per dialect"] = path.name
    for method, stats in routing.items():
        path = out / f"routing_{_slug(method)}.png"
        if _plot_routing(method, stats, path):
            written.append(path)
            plots[f"Routing ({method})"] = path.name
    if learning_curve:
        path = out / CURVE_PLOT
        _plot_learning_curve(learning_curve, path)
        written.append(path)
        plots["Learning curve"] = path.name

    md = _markdown(title, results, routing, comparisons or {}, learning_curve, plots)
    (out / REPORT_MD).write_text(md, encoding="utf-8")
    written.append(out / REPORT_MD)
    payload = {"title": title, "methods": dict(results), "comparisons": dict(comparisons or {}),
               "routing": routing, "learning_curve": [[n, dict(ex)] for n, ex in (learning_curve or [])],
               "plots": plots}
    (out / REPORT_JSON).write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(out / REPORT_JSON)
    log.info("report written to %s (%d files)", out, len(written))
    return written


# ----------------------------------------------------------------------------------------------- Markdown
def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def _ci(ci: Sequence[float] | None) -> str:
    return "–" if not ci else f"[{_pct(ci[0])}, {_pct(ci[1])}]"


def _signed(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:+.1f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _order(names) -> list[str]:
    """Dialect names in the project's order, unknown names after them, sorted."""
    seen = set(names)
    return [d for d in DIALECT_NAMES if d in seen] + sorted(seen - set(DIALECT_NAMES))


def _dialects(results: Mapping[str, dict]) -> list[str]:
    return _order(d for r in results.values() for d in r.get("per_dialect", {}))


def _markdown(title, results, routing, comparisons, curve, plots) -> str:
    dialects = _dialects(results)
    lines = [f"# {title}", "",
             "EX: execution accuracy (result equals the gold result); valid: the query executed; EM: exact match "
             "after normalisation. Percentages; overall is the micro average over items, macro the mean over "
             "dialects. Items whose gold query failed or whose engine was unavailable are left out.", ""]
    for key, name in (("ex", "Execution accuracy (EX)"), ("valid_rate", "Valid-query rate"),
                      ("em", "Exact match (EM)")):
        lines += [f"## {name}", ""]
        rows = []
        for method, r in results.items():
            per = r.get("per_dialect", {})
            rows.append([method] + [_pct(per[d][key]) if d in per else "–" for d in dialects]
                        + [_pct(r["overall"][key]), _pct(r["macro"][key])])
        lines += _table(["method", *dialects, "overall", "macro"], rows)

    lines += ["## EX with 95% intervals (Wilson)", ""]
    rows = []
    for method, r in results.items():
        for d in [*dialects, "overall"]:
            t = r["overall"] if d == "overall" else r.get("per_dialect", {}).get(d)
            if t is not None:
                rows.append([method, d, t["n"], t["correct"], _pct(t["ex"]), _ci(t["ex_ci95"])])
    lines += _table(["method", "dialect", "n", "correct", "EX", "95% CI"], rows)

    lines += ["## Excluded items and error kinds", ""]
    model_kinds = [k for k in ERROR_KINDS if k != "unavailable"]  # unavailable items are excluded ones
    rows = []
    for method, r in results.items():
        kinds = r.get("error_kinds", {}).get("overall", {})
        rows.append([method, r["n_items"], r["excluded"]["gold_error"], r["excluded"]["unavailable"]]
                    + [kinds.get(k, 0) for k in model_kinds])
    lines += _table(["method", "items", "excluded: gold error", "excluded: engine unavailable", *model_kinds], rows)

    if comparisons:
        lines += ["## Paired comparisons (EX difference, a − b)", "",
                  "95% interval: paired bootstrap over items; p: exact McNemar test on the discordant items.", ""]
        rows = []
        for label, c in comparisons.items():
            for d, part in [("overall", c), *c.get("per_dialect", {}).items()]:
                rows.append([label, d, part["n"], _pct(part["ex_a"]), _pct(part["ex_b"]), _signed(part["difference"]),
                             _ci(part["ci95"]), part["a_only"], part["b_only"], f"{part['mcnemar_p']:.3g}"])
        lines += _table(["comparison", "dialect", "n", "EX a", "EX b", "a − b", "95% CI", "only a", "only b", "p"],
                        rows)

    for method, r in results.items():
        ra = r.get("router_accuracy")
        if ra:
            lines += [f"## Router accuracy ({method})", "", "```", json.dumps(ra, indent=2), "```", ""]
    for method, stats in routing.items():
        accuracy = [layer.get("router_accuracy_all") for layer in stats.get("layers", [])]
        if any(a is not None for a in accuracy):
            lines += [f"## Dialect-router accuracy per layer ({method})", ""]
            lines += _table(["layer", *[str(i) for i in range(len(accuracy))]], [["accuracy", *map(_pct, accuracy)]])

    for method, r in results.items():
        for key, name in (("by_difficulty", "difficulty"), ("by_feature", "IR feature"), ("by_database", "database")):
            groups = r.get(key, {})
            if not groups:
                continue
            lines += [f"## {method}: by {name}", ""]
            rows = [[g, t["n"], _pct(t["ex"]), _pct(t["valid_rate"]), _pct(t["em"])]
                    + [_pct(t["ex_per_dialect"].get(d)) for d in dialects] for g, t in groups.items()]
            lines += _table([name, "n", "EX", "valid", "EM", *[f"EX {d}" for d in dialects]], rows)

    if curve:
        curve_dialects = _order(d for _, ex in curve for d in ex)
        lines += ["## Learning curve (EX)", ""]
        lines += _table(["examples seen", *curve_dialects],
                        [[n, *[_pct(ex.get(d)) for d in curve_dialects]] for n, ex in curve])
    if plots:
        lines += ["## Plots", ""] + [f"![{name}]({file})" for name, file in plots.items()] + [""]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------- plots
def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "method"


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _plot_ex(results: Mapping[str, dict], path: Path) -> None:
    dialects = _dialects(results)
    groups = [*dialects, "macro"]
    methods = list(results)
    fig = _figure(1.6 + 1.4 * len(groups), 4.0)
    ax = fig.add_subplot()
    width = 0.8 / max(len(methods), 1)
    for k, method in enumerate(methods):
        r = results[method]
        values = [100 * r["per_dialect"][d]["ex"] if d in r.get("per_dialect", {}) else 0.0 for d in dialects]
        values.append(100 * r["macro"]["ex"])
        xs = [g + (k - (len(methods) - 1) / 2) * width for g in range(len(groups))]
        bars = ax.bar(xs, values, width, label=method)
        ax.bar_label(bars, fmt="%.1f", fontsize=7)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel("EX (%)")
    ax.set_ylim(0, 105)
    ax.set_title("Execution accuracy per dialect")
    ax.legend(fontsize=8)
    fig.savefig(path, format="png")


def _plot_routing(method: str, stats: Mapping[str, Any], path: Path) -> bool:
    layers = stats.get("layers") or []
    if not layers:
        log.warning("no routing statistics recorded for %s; no routing plot", method)
        return False
    dialects = list(stats.get("dialects") or layers[0]["expert_tokens"])
    from matplotlib.ticker import MaxNLocator

    fig = _figure(2.8 * len(dialects) + 1.2, max(3.2, 0.2 * len(layers) + 2.0))
    axes = fig.subplots(1, len(dialects), squeeze=False, sharey=True)[0]
    image = None
    for ax, dialect in zip(axes, dialects):
        matrix = []
        for layer in layers:
            counts = [float(v) for v in layer["expert_tokens"].get(dialect, [])]
            total = sum(counts)
            matrix.append([v / total if total else 0.0 for v in counts])
        image = ax.imshow(matrix, aspect="auto", cmap="viridis", vmin=0.0, vmax=1.0, origin="lower",
                          interpolation="nearest")
        ax.set_title(dialect)
        ax.set_xlabel("expert")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        per = stats.get("experts_per_dialect")
        if per and matrix and len(matrix[0]) > per:
            for boundary in range(per, len(matrix[0]), per):
                ax.axvline(boundary - 0.5, color="white", linewidth=0.8)
    axes[0].set_ylabel("layer")
    if image is not None:
        fig.colorbar(image, ax=list(axes), label="share of the layer's tokens")
    fig.suptitle(f"Tokens per expert ({method})")
    fig.savefig(path, format="png")
    return True


def _plot_learning_curve(curve: LearningCurve, path: Path) -> None:
    points = sorted(curve, key=lambda p: p[0])
    dialects = _order(d for _, ex in points for d in ex)
    fig = _figure(6.0, 4.0)
    ax = fig.add_subplot()
    for d in dialects:
        xs = [n for n, ex in points if d in ex]
        ys = [100 * ex[d] for n, ex in points if d in ex]
        ax.plot(xs, ys, marker="o", label=d)
    ax.set_xlabel("training examples seen")
    ax.set_ylabel("EX (%)")
    ax.set_ylim(0, 100)
    ax.set_title("Learning curve")
    ax.legend(fontsize=8)
    fig.savefig(path, format="png")

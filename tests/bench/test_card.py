"""The data card: counts per dialect, split, difficulty, feature and domain; filtered share by reason."""

from __future__ import annotations

from momq.bench.card import card_markdown, make_card, read_card, write_card
from momq.bench.records import BenchItem
from momq.bench.splits import apply_preset


def items():
    out = []
    spec = [("company", "train", "easy", ["count"]), ("company", "train", "hard", ["join1", "group_by"]),
            ("movies", "test", "medium", ["join1"])]
    for k, (db, split, diff, feats) in enumerate(spec):
        for d in ("mysql", "postgresql", "cypher", "ngql"):
            out.append(BenchItem(id=f"{k}-{d}", db_id=db, dialect=d, question=f"q{k}", query="x", difficulty=diff,
                                 features=feats, split=split, query_id=f"{db}-{k}", question_id=f"q{k}"))
    return out


def test_counts_and_filtered_share(tmp_path):
    its = items()
    failures = [{"db_id": "company", "reason": "disagreement"}, {"db_id": "movies", "reason": "empty_result"},
                {"db_id": "movies", "reason": "disagreement"}]
    card = make_card("bench", its, failures, splits={"company": "train", "movies": "test"},
                     presets={"paper-like": apply_preset(its, "paper-like")}, build={"seconds": 12.5, "seed": 0})
    assert card.per_dialect == {"mysql": 3, "postgresql": 3, "cypher": 3, "ngql": 3}
    assert card.per_split == {"train": {"mysql": 2, "postgresql": 2, "cypher": 2, "ngql": 2},
                              "test": {"mysql": 1, "postgresql": 1, "cypher": 1, "ngql": 1}}
    assert list(card.per_difficulty) == ["easy", "medium", "hard"]
    assert card.per_feature["join1"] == {"mysql": 2, "postgresql": 2, "cypher": 2, "ngql": 2}
    assert card.per_domain["movies"]["ngql"] == 1
    assert card.totals == {"items": 12, "questions": 3, "queries": 3, "databases": 2}
    f = card.filtered
    assert (f["candidates"], f["kept"], f["failed"]) == (6, 3, 3)
    assert f["by_reason"] == {"disagreement": 2, "empty_result": 1}
    assert abs(f["share_by_reason"]["disagreement"] - 2 / 6) < 1e-12
    assert card.presets["paper-like"] == {"mysql": 2, "postgresql": 2, "cypher": 0, "ngql": 0}

    write_card(tmp_path, card)
    assert read_card(tmp_path) == card
    md = (tmp_path / "CARD.md").read_text()
    assert md == card_markdown(card)
    assert "| disagreement | 2 | 33.3% |" in md
    assert "| join1 | 2 | 2 | 2 | 2 | 8 |" in md
    assert "- test: movies" in md


def test_sampler_rejections_are_shown_apart_from_failures(tmp_path):
    card = make_card("bench", items(), [], sampler_rejections={"LIMIT cuts through a tie": 2, "empty or too large": 5})
    assert card.not_sampled == {"empty or too large": 5, "LIMIT cuts through a tie": 2}  # most common first
    assert card.filtered["failed"] == 0  # discarded candidates are not gold failures
    text = card_markdown(card)
    assert "## Not sampled" in text and "| LIMIT cuts through a tie | 2 |" in text
    write_card(tmp_path, card)
    assert read_card(tmp_path).not_sampled == card.not_sampled


def test_dialect_gap_counts_questions_whose_sql_golds_differ(tmp_path):
    texts = [  # (mysql, postgresql, features): quoting, case and layout alone are no difference
        ("SELECT `rank`\nFROM t", 'select "rank" FROM t', ["projection"]),
        ("SELECT a FROM t WHERE YEAR(d) = 2011", "SELECT a FROM t WHERE EXTRACT(YEAR FROM d) = 2011", ["date_part"]),
        ("SELECT a FROM t WHERE f = TRUE", "SELECT a FROM t WHERE f", ["flag", "contains"]),
        ("SELECT a FROM t", "SELECT a FROM t", ["projection"]),
    ]
    its = []
    for k, (my, pg, feats) in enumerate(texts):
        for d, query in (("mysql", my), ("postgresql", pg), ("cypher", "MATCH (n) RETURN n")):
            its.append(BenchItem(id=f"{k}-{d}", db_id="company", dialect=d, question=f"q{k}", query=query,
                                 features=feats, query_id=f"c-{k}", question_id=f"q{k}"))
    card = make_card("bench", its)
    assert card.dialect_gap == {"questions": 4, "mysql_postgresql_differ": 2, "mysql_postgresql_rate": 0.5,
                                "questions_per_feature": {"date_part": 1, "date_format": 0, "contains": 1,
                                                          "flag": 1, "percentage": 0, "ratio": 0,
                                                          "variable_length": 0, "shortest_path": 0, "union": 0,
                                                          "intersect": 0, "except": 0, "null_order": 0,
                                                          "concat": 0, "round": 0, "cast": 0}}
    write_card(tmp_path, card)
    assert read_card(tmp_path).dialect_gap == card.dialect_gap
    assert ("MySQL and PostgreSQL golds differ (whitespace, case and identifier quotes ignored) for 2 of 4 "
            "questions (50.0%)") in card_markdown(card)
    assert "date_part 1, date_format 0, contains 1, flag 1, percentage 0, ratio 0, variable_length 0" in card_markdown(card)

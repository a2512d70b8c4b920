"""NL rendering: paraphrase variety per feature, no query-language words, domain vocabulary, grammar helpers."""

from __future__ import annotations

import random
import re

import pytest

from momq.bench.ir import ALL_FEATURES
from momq.bench.nl import (FORBIDDEN_WORDS, a, ask_about, negate, past_base, plural_verb, pluralize, render_question,
                           render_questions)
from momq.bench.sample import sample_queries
from tests.bench.compilers.cases import CASES
from tests.bench.toy_domain import TOY_DOMAIN, toy_data


@pytest.fixture(scope="module")
def sampled():
    return sample_queries(toy_data(), 150, 9)


def _forbidden(text: str) -> list[str]:
    low = text.lower()
    return [w for w in FORBIDDEN_WORDS if re.search(rf"\b{w}\b", low)]


@pytest.mark.parametrize("feature", [f for f in ALL_FEATURES if f != "projection"])
def test_every_feature_has_three_paraphrases(sampled, feature):
    queries = [q for q in sampled if feature in q.features()]
    assert queries, feature
    best = max(len(render_questions(q, TOY_DOMAIN, random.Random(1), 6)) for q in queries)
    assert best >= 3, feature


def test_no_query_language_words_and_well_formed(sampled):
    rng = random.Random(3)
    for q in sampled:
        for text in render_questions(q, TOY_DOMAIN, rng, 4):
            assert not _forbidden(text), (text, _forbidden(text))
            assert text[0].isupper() and text[-1] in ".?", text
            assert "  " not in text and " ," not in text, text
            assert not re.search(r"\b(a [aeiou]\w+|an [bcdfgjklmnpqrstvwxz]\w+)", text, re.I), text


@pytest.mark.parametrize("name, words", [
    ("compare", ["employee", "salary", "50000.50"]),
    ("by_key", ["employee", "3", "hire date"]),
    ("neighbours_of_key", ["employee", "department", "3"]),
    ("apostrophe_and_flag", ["O'Brien", "remote"]),
    ("join_in", ["Lyon", "Osaka", "department"]),
    ("join2_prefix", ["Ann", "project", "department"]),
    ("group_having_top", ["3", "5", "department", "employees"]),
    ("group_avg", [("average", "mean"), "salary", "job title"]),
    ("top_nullable", ["3", "age", ("highest", "largest")]),
    ("anti", ["department", "employ"]),
    ("nested", [("average", "mean"), "salary"]),
    ("per_group", ["2", "department", "salary", "highest"]),
    ("null_test", ["project", "cost"]),
    ("edge_of_key", ["employee", "project", "3", "hours per week", "8"]),
    ("edge_filter", ["employee", "project", "hours per week", "20", "28", "active"]),
    ("edge_sum", ["project", "hours per week", "3", ("total", "combined", "summed"), "lowest"]),
])
def test_questions_use_the_domain_vocabulary_and_constants(name, words):
    for seed in range(8):
        text = render_question(CASES[name], TOY_DOMAIN, random.Random(seed))
        for w in words:
            options = w if isinstance(w, tuple) else (w,)
            assert any(o in text for o in options), (w, text)


def test_rendering_depends_only_on_the_rng():
    q = CASES["group_avg"]
    assert render_question(q, TOY_DOMAIN, random.Random(5)) == render_question(q, TOY_DOMAIN, random.Random(5))
    assert len({render_question(q, TOY_DOMAIN, random.Random(s)) for s in range(20)}) >= 3


@pytest.mark.parametrize("verb, plural", [("works in", "work in"), ("is owned by", "are owned by"),
                                          ("has", "have"), ("manages", "manage"), ("carries", "carry"),
                                          ("teaches", "teach"), ("employs", "employ")])
def test_plural_verb(verb, plural):
    assert plural_verb(verb) == plural


def test_small_grammar_helpers():
    assert a("employee") == "an employee" and a("department") == "a department" and a("unit") == "a unit"
    assert pluralize("city") == "cities" and pluralize("status") == "statuses" and pluralize("day") == "days"
    assert ask_about("the project", "is staffed by") == "is the project staffed by"
    assert ask_about("the department", "employs") == "does the department employ"


def test_relationship_attributes_hang_off_the_verb():
    texts = {render_question(CASES["edge_of_key"], TOY_DOMAIN, random.Random(seed)) for seed in range(12)}
    assert len(texts) >= 3
    for text in texts:  # the link's condition follows the verb that walks it, never the project's own "whose"
        assert "staffed by" in text and "whose hours" not in text, text


# ------------------------------------------------------------------ naturalness defect families (issue 8, item 4)
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_LONG = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) "
                   r"\d{1,2}, \d{4}\b")
_SUPERLATIVES = ("highest", "lowest", "largest", "smallest", "earliest", "latest", "most recent", "maximum",
                 "minimum")  # "earliest first" is an order, not two superlatives
_STACKED = re.compile(r"\b(" + "|".join(_SUPERLATIVES) + r") (" + "|".join(_SUPERLATIVES) + r")\b")


@pytest.fixture(scope="module")
def domain_questions():
    """Every registered domain's sampled queries with a few questions each (the vocabulary the toy lacks)."""
    from momq.bench.domains import all_domains
    from momq.bench.generate import generate

    out = []
    for domain in all_domains():
        for q in sample_queries(generate(domain, 3, 0.5), 40, 11):
            out.append((q, domain, render_questions(q, domain, random.Random(len(out)), 3)))
    return out


@pytest.mark.parametrize("verb, asked, negated", [
    ("acted in", "did the actor act in", "did not act in"),
    ("placed", "did the actor place", "did not place"),
    ("sent money to", "did the actor send money to", "did not send money to"),
    ("shipped", "did the actor ship", "did not ship"),
    ("carried", "did the actor carry", "did not carry"),
    ("employs", "does the actor employ", "do not employ"),
    ("was produced by", "was the actor produced by", "were not produced by"),
    ("is owned by", "is the actor owned by", "are not owned by"),
])
def test_past_tense_verbs_are_asked_with_did(verb, asked, negated):
    assert ask_about("the actor", verb) == asked
    assert negate(verb) == negated


def test_no_does_with_a_past_tense_in_any_domain(domain_questions):
    from momq.bench.domains import all_domains

    for domain in all_domains():
        for rel in domain.relationships:
            for verb in (rel.verb, rel.inverse_verb):
                first = ask_about("X", verb).split()[2]
                assert not (ask_about("X", verb).startswith("does") and past_base(first)), (domain.name, verb)
    for _, _, texts in domain_questions:
        for text in texts:
            words = re.findall(r"\bdoes \w+(?: \w+){0,6}", text)
            assert not any(re.search(r"\bdoes (?:the |an? )?\w+(?: \w+){0,3} (sent|took|wrote|saw|\w+ed)\b", w)
                           and "named" not in w and "called" not in w for w in words), text


def test_one_date_style_per_question(domain_questions):
    for _, _, texts in domain_questions:
        for text in texts:
            assert not (_ISO.search(text) and _LONG.search(text)), text


def test_no_stacked_superlatives(domain_questions):
    for _, _, texts in domain_questions:
        for text in texts:
            assert not _STACKED.search(text.lower()), text


def test_rounded_averages_are_stated(domain_questions):
    rounded = [(q, texts) for q, _, texts in domain_questions
               if any(getattr(i, "func", None) is not None and i.func.value == "avg" for i in q.select)]
    assert rounded
    for _, texts in rounded:
        for text in texts:
            assert "decimal" in text, text

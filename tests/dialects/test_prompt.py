"""The shared prompt builder: sections, schema blocks per family, token-budget truncation, answer extraction."""

from __future__ import annotations

import datetime as dt

import pytest

from momq.bench.er import Attribute, Cardinality, Domain, DomainData, Entity, Relationship, Role
from momq.bench.project import to_graph, to_relational
from momq.dialects import DIALECT_NAMES, UnknownDialectError, get_dialect
from momq.dialects.prompt import (
    PromptBudgetError,
    TokenBudget,
    build_prompt,
    estimate_tokens,
    extract_query,
    rank_items,
    render_prompt,
)
from momq.schema import ListType, ValueType

T, I, D = ValueType.TEXT, ValueType.INTEGER, ValueType.DATE


def library_domain() -> Domain:
    """Books, authors, members and loans, plus unrelated back-office entities to be dropped under a budget."""
    def ent(name, *attrs, noun="", plural=""):
        return Entity(name, (Attribute("id", I, Role.KEY), *attrs), noun=noun, plural=plural)

    return Domain(
        "library", "A city library.",
        (
            ent("author", Attribute("name", T, Role.NAME), Attribute("country", T, Role.CATEGORY)),
            ent("book", Attribute("title", T, Role.NAME), Attribute("genre", T, Role.CATEGORY),
                Attribute("pages", I, Role.NUMBER)),
            ent("member", Attribute("name", T, Role.NAME), Attribute("joined", D, Role.DATE)),
            ent("supplier", Attribute("company", T, Role.NAME), Attribute("vat_code", T, Role.TEXT)),
            ent("invoice", Attribute("amount", I, Role.NUMBER), Attribute("issued", D, Role.DATE)),
            ent("shift", Attribute("weekday", T, Role.CATEGORY), Attribute("hours", I, Role.NUMBER)),
        ),
        (
            Relationship("written_by", "book", "author", Cardinality.MANY_TO_ONE, "is written by", "wrote"),
            Relationship("borrowed", "member", "book", Cardinality.MANY_TO_MANY, "borrowed", "was borrowed by",
                         attributes=(Attribute("loan_date", D, Role.DATE),)),
            Relationship("billed_by", "invoice", "supplier", Cardinality.MANY_TO_ONE, "is billed by", "bills"),
        ),
    )


def library_data() -> DomainData:
    d = library_domain()
    return DomainData(d, rows={
        "author": [{"id": 1, "name": "Ursula Le Guin", "country": "USA"},
                   {"id": 2, "name": "Stanislaw Lem", "country": "Poland"}],
        "book": [{"id": 1, "title": "The Dispossessed", "genre": "Science fiction", "pages": 387},
                 {"id": 2, "title": "Solaris", "genre": "Science fiction", "pages": 204},
                 {"id": 3, "title": "Earthsea", "genre": "Fantasy", "pages": 183}],
        "member": [{"id": 1, "name": "Ann", "joined": dt.date(2020, 1, 5)}],
        "supplier": [{"id": 1, "company": "Paperworks Ltd", "vat_code": "GB123"}],
        "invoice": [{"id": 1, "amount": 120, "issued": dt.date(2021, 3, 1)}],
        "shift": [{"id": 1, "weekday": "Monday", "hours": 8}],
    }, links={
        "written_by": [(1, 1, {}), (2, 2, {}), (3, 1, {})],
        "borrowed": [(1, 2, {"loan_date": dt.date(2022, 6, 1)})],
        "billed_by": [(1, 1, {})],
    })


def library_relational():
    return to_relational(library_data())


def library_graph():
    return to_graph(library_data())


def spec_for(dialect: str):
    return library_relational() if dialect in ("mysql", "postgresql") else library_graph()


QUESTION = "Which books written by authors from Poland have more than 200 pages?"
FENCE = {"mysql": "sql", "postgresql": "sql", "cypher": "cypher", "ngql": "ngql"}


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_prompt_has_instruction_schema_question_and_open_fence(dialect):
    prompt = build_prompt(QUESTION, spec_for(dialect), dialect, evidence="Pages are counted without covers.")
    d = get_dialect(dialect)
    assert prompt.startswith(d.instruction)
    assert prompt.endswith(f"```{FENCE[dialect]}\n")
    assert prompt.count("```" + FENCE[dialect] + "\n") == 1
    # sections in order: schema, evidence, question, then the opened fence
    positions = [prompt.index(s) for s in ("### Schema", "### Evidence", "### Question", f"```{FENCE[dialect]}\n")]
    assert positions == sorted(positions)
    assert QUESTION in prompt and "Pages are counted without covers." in prompt
    assert "Stanislaw Lem" in prompt  # example values from the data
    assert "(Schema truncated" not in prompt


def test_relational_and_graph_blocks_differ_in_kind():
    rel = build_prompt(QUESTION, library_relational(), "mysql")
    cy = build_prompt(QUESTION, library_graph(), "cypher")
    ng = build_prompt(QUESTION, library_graph(), "ngql")
    # relational: tables, key flags, foreign keys section
    assert "Table book" in rel and "author_id BIGINT, foreign key" in rel
    assert "Foreign keys:" in rel and "book.author_id -> author.id" in rel
    assert "borrowed" in rel and "loan_date DATE" in rel  # the junction table
    # Cypher: labels and directed relationship types with properties
    assert "(:Book)" in cy and "(:Book)-[:WRITTEN_BY]->(:Author)" in cy
    assert "(:Member)-[:BORROWED]->(:Book)" in cy and "loan_date: STRING (date 'YYYY-MM-DD')" in cy
    assert "Table " not in cy and "Foreign keys" not in cy
    # nGQL: tags with VIDs and edge types
    assert "Tag Book" in ng and 'VID: string, e.g. "book_1"' in ng
    assert "Edge WRITTEN_BY: (Book)-[:WRITTEN_BY]->(Author)" in ng and "id(v)" in ng


def test_introspected_schema_without_rows_renders_without_examples():
    text = get_dialect("postgresql").render_schema(library_relational().without_rows())
    assert "e.g." not in text and "Table author" in text
    gtext = get_dialect("ngql").render_schema(library_graph().without_data())
    assert "e.g." not in gtext and "(VID: string)" in gtext and "Tag Author" in gtext


@pytest.mark.parametrize("dialect,spec", [("mysql", library_graph), ("cypher", library_relational)])
def test_family_mismatch_is_an_error(dialect, spec):
    with pytest.raises(TypeError, match="schema"):
        build_prompt(QUESTION, spec(), dialect)


def test_unknown_dialect():
    with pytest.raises(UnknownDialectError):
        build_prompt(QUESTION, library_relational(), "sparql")


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_relevance_puts_question_tables_first(dialect):
    layout = get_dialect(dialect).schema_layout(spec_for(dialect))
    ranked = [i.name.lower() for i in rank_items(layout, QUESTION)]
    assert set(ranked[:2]) == {"book", "author"}
    # back-office tables come last
    assert set(ranked[-3:]) <= {"supplier", "invoice", "shift"}


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_budget_truncation_keeps_relevant_tables_and_marks_it(dialect):
    spec = spec_for(dialect)
    full = build_prompt(QUESTION, spec, dialect)
    no_examples = full.count("e.g.")
    assert no_examples > 0
    budget = TokenBudget(estimate_tokens(full) // 2 + 60)
    prompt = build_prompt(QUESTION, spec, dialect, budget=budget)
    assert estimate_tokens(prompt) <= budget.max_tokens
    assert "(Schema truncated to fit the prompt:" in prompt
    low = prompt.lower()
    for kept in ("book", "author"):
        assert f"table {kept}\n" in low or f"(:{kept})" in low or f"tag {kept}" in low
    for dropped in ("shift", "invoice"):
        assert f"table {dropped}" not in low and f"(:{dropped})" not in low and f"tag {dropped}\n" not in low
    assert prompt.endswith(f"```{FENCE[dialect]}\n") and QUESTION in prompt


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
def test_examples_are_dropped_before_tables(dialect):
    spec = spec_for(dialect)
    full = build_prompt(QUESTION, spec, dialect)
    # remove just a few tokens: every table must stay, some example values go
    budget = TokenBudget(estimate_tokens(full) - 5)
    prompt = build_prompt(QUESTION, spec, dialect, budget=budget)
    assert estimate_tokens(prompt) <= budget.max_tokens
    assert "(Schema truncated" not in prompt
    assert "(Example values omitted" in prompt
    assert prompt.count("e.g.") < full.count("e.g.")


def test_budget_with_a_real_tokenizer_style_counter():
    # any callable text -> count works (e.g. a Hugging Face tokenizer via hf_token_counter)
    chars = TokenBudget(900, count=len)
    prompt = build_prompt(QUESTION, library_relational(), "mysql", budget=chars)
    assert len(prompt) <= 900 and "Table book" in prompt


def test_budget_too_small_is_an_error():
    with pytest.raises(PromptBudgetError):
        build_prompt(QUESTION, library_relational(), "mysql", budget=TokenBudget(20))


def test_render_prompt_from_stored_schema_text_matches_build_prompt():
    spec = library_graph()
    schema = get_dialect("cypher").render_schema(spec)
    assert render_prompt(QUESTION, schema, "cypher") == build_prompt(QUESTION, spec, "cypher")


@pytest.mark.parametrize("text,expected", [
    # continuation of the fence the prompt opened
    ("SELECT name FROM author\n```", "SELECT name FROM author"),
    ("SELECT name FROM author;\n```\nThis query lists the authors.", "SELECT name FROM author"),
    # the answer opens its own fence
    ("```sql\nSELECT 1\n```", "SELECT 1"),
    ("Here is the query:\n```sql\nSELECT title FROM book;\n```\nDone.", "SELECT title FROM book"),
    ("\n```\nSELECT 2\n```", "SELECT 2"),
    # several blocks: the first one
    ("```sql\nSELECT 1;\n```\nor\n```sql\nSELECT 2;\n```", "SELECT 1"),
    # no fence at all, several statements: the first one
    ("SELECT 1; SELECT 2;", "SELECT 1"),
    # unterminated block
    ("```sql\nSELECT 3", "SELECT 3"),
    # semicolons inside strings and comments do not split
    ("SELECT 'a;b' AS x -- c;d\n FROM t;\n```", "SELECT 'a;b' AS x -- c;d\n FROM t"),
    ("", ""),
])
def test_extract_query_table(text, expected):
    assert extract_query(text, "postgresql") == expected


def test_budget_with_a_hugging_face_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from momq.dialects.prompt import hf_token_counter

    full = build_prompt(QUESTION, library_relational(), "mysql")
    raw = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    raw.train_from_iterator([full], trainers.WordLevelTrainer(special_tokens=["[UNK]"]))
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="[UNK]")
    count = hf_token_counter(tok)
    n_full = count(full)
    assert n_full == len(tok(full, add_special_tokens=False)["input_ids"]) > 100
    prompt = build_prompt(QUESTION, library_relational(), "mysql", budget=TokenBudget(n_full * 2 // 3, count))
    assert count(prompt) <= n_full * 2 // 3 and "Table book" in prompt


@pytest.mark.parametrize("a,b", [("employees", "Employee"), ("published", "publisher"), ("released", "release_date"),
                                 ("countries", "country"), ("orders", "ordered")])
def test_question_words_meet_schema_words(a, b):
    from momq.dialects.prompt import terms_of

    assert terms_of(a) & terms_of(b)


@pytest.mark.parametrize("dialect,ftype,want", [
    ("cypher", ListType(ValueType.TEXT), "LIST<STRING>"), ("postgresql", ListType(ValueType.INTEGER), "BIGINT[]"),
    ("postgresql", ValueType.INTERVAL, "INTERVAL"), ("mysql", ValueType.DATETIME, "DATETIME(6)"),
    ("ngql", ValueType.TIME, "time"),
])
def test_new_types_have_names_in_each_dialect(dialect, ftype, want):
    assert get_dialect(dialect).type_name(ftype) == want


@pytest.mark.parametrize("dialect,ftype", [("mysql", ValueType.INTERVAL), ("mysql", ListType(ValueType.TEXT))])
def test_a_type_the_dialect_cannot_name_is_refused_by_name(dialect, ftype):
    with pytest.raises(ValueError, match=ftype.value):
        get_dialect(dialect).type_name(ftype)


def test_real_schemas_render_namespaces_views_defaults_and_composite_keys():
    from tests.schema.test_io import real_schema

    text = get_dialect("postgresql").render_schema(real_schema())
    assert text.splitlines() == [
        "Database real",
        "Table geo.region",
        "  country TEXT, primary key",
        "  code TEXT, primary key, unique",
        "  opened TIMESTAMP, default CURRENT_TIMESTAMP",
        "Table sales.region",
        "  id BIGINT, primary key",
        "  country TEXT, foreign key",
        "  code TEXT, foreign key",
        "  shift TIME",
        "  span INTERVAL",
        "  unique (country, code)",
        "Views:",
        "View sales.busy",
        "  country TEXT",
        "Foreign keys:",
        "  sales.region.country, code -> geo.region.country, code",
    ]

"""Tests of the deterministic generator, its value generators, its spec checks and ``validate``."""

from __future__ import annotations

import datetime as dt
import decimal
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from momq.bench import vocab as V
from momq.bench.domains import get_domain, get_spec
from momq.bench.domains._dsl import build, category, entity, many_to_many, many_to_one, name, number, text
from momq.bench.er import Cardinality
from momq.bench.generate import (
    Code,
    DateAfter,
    Dates,
    DomainSpec,
    FieldSpec,
    Floats,
    Ints,
    Lookup,
    Money,
    Pick,
    PriceFrom,
    generate,
    stable_hash,
    validate,
)

REPO = Path(__file__).resolve().parents[2]

# ----------------------------------------------------------------------------------------------- a tiny domain

TINY, TINY_SPEC = build("tiny", "A tiny domain for generator tests.", [
    entity("shelf", "shelf", "shelves", 10, name("name", tuple(f"Shelf {c}" for c in "ABCDEFGHIJKL")),
           number("width_cm", Ints(40, 200), "width")),
    entity("box", "box", "boxes", 60, text("label_text", Code("BX-###"), "label", nullable=True, null_rate=0.3),
           category("color", ("Red", "Blue", "Green", "Gray"), skew=1.5),
           number("weight", Money(1, 100), "weight", unit="kg")),
], [
    many_to_one("stored_on", "box", "shelf", "is stored on", "holds", optional=True, coverage=0.7,
                target_share=0.6),
    many_to_one("moved_from", "box", "shelf", "was moved from", "lost", fk_column="previous_shelf_id",
                optional=True, coverage=1.0,
                distinct_from="stored_on"),
    many_to_many("nested_in", "box", "box", "is nested in", "contains",
                 number("depth", Ints(1, 3)), source_column="inner_id", target_column="outer_id",
                 per_source=(1, 2), empty_share=0.3, acyclic=True),
])


def test_same_seed_same_data_and_different_seed_different_data():
    a, b, c = (generate(TINY, s, spec=TINY_SPEC) for s in (5, 5, 6))
    assert a.rows == b.rows and a.links == b.links
    assert a.rows != c.rows and a.links != c.links


def test_generation_does_not_depend_on_the_process_hash_seed():
    code = ("from momq.bench.domains import get_domain; from momq.bench.generate import generate; "
            "d = generate(get_domain('company'), 11); print(repr((d.rows, d.links)))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(h)}, cwd=REPO).stdout for h in (1, 2)}
    assert len(outs) == 1
    here = generate(get_domain("company"), 11)
    assert outs.pop().strip() == repr((here.rows, here.links))


def test_stable_hash_is_sha256_based_and_distinguishes_names():
    assert stable_hash("company") == stable_hash("company")
    assert stable_hash("company") != stable_hash("movies")
    assert stable_hash("") == 0xE3B0C44298FC1C14  # the first 8 bytes of sha256("")


def test_links_follow_the_spec():
    data = generate(TINY, 3, spec=TINY_SPEC)
    validate(data)
    boxes = {r["id"] for r in data.rows["box"]}
    stored = dict((s, t) for s, t, _ in data.links["stored_on"])
    moved = dict((s, t) for s, t, _ in data.links["moved_from"])
    assert 0 < len(stored) < len(boxes)  # optional with coverage 0.7: some boxes are on no shelf
    assert len(moved) == len(boxes)
    assert all(moved[b] != stored.get(b) for b in moved)  # distinct_from
    assert len(set(stored.values())) <= round(10 * 0.6)  # target_share: some shelves never used
    nested = data.links["nested_in"]
    assert nested and all(outer < inner for inner, outer, _ in nested)  # acyclic: towards smaller keys
    assert all(1 <= attrs["depth"] <= 3 for _, _, attrs in nested)
    assert len({s for s, _, _ in nested}) < len(boxes)  # empty_share


def test_null_rate_and_skew_are_visible():
    data = generate(TINY, 1, scale=4.0, spec=TINY_SPEC)
    labels = [r["label_text"] for r in data.rows["box"]]
    assert 0.15 < labels.count(None) / len(labels) < 0.45
    colors = Counter(r["color"] for r in data.rows["box"])
    assert colors["Red"] > colors["Gray"] * 2  # skew 1.5: the first value dominates


def test_scale_changes_sizes_but_fixed_name_pools_cap_them():
    small, big = generate(TINY, 1, 0.5, spec=TINY_SPEC), generate(TINY, 1, 3.0, spec=TINY_SPEC)
    assert len(small.rows["box"]) == 30 and len(big.rows["box"]) == 180
    assert len(small.rows["shelf"]) == 5 and len(big.rows["shelf"]) == 12  # 12 unique shelf names
    validate(big)
    assert len({r["name"] for r in big.rows["shelf"]}) == 12


@pytest.mark.parametrize("name_", ["company", "flights", "social"])
def test_every_registered_domain_scales_up_and_down(name_):
    domain = get_domain(name_)
    for scale in (0.1, 2.5):
        validate(generate(domain, 2, scale))


def test_spec_for_another_domain_is_rejected():
    with pytest.raises(ValueError, match="spec is for domain"):
        generate(get_domain("company"), 1, spec=get_spec("movies"))


# ------------------------------------------------------------------------------------------------ generators


def test_value_generators():
    rng = random.Random(0)
    for _ in range(200):
        m = Money(1, 1000, log=True)(rng, {})
        assert isinstance(m, decimal.Decimal) and m == m.quantize(decimal.Decimal("0.01")) and 1 <= m <= 1000
        f = Floats(0, 1, 2)(rng, {})
        assert round(f, 2) == f
        assert 5 <= Ints(5, 500, log=True)(rng, {}) <= 500
        c = Code("@@-##")(rng, {})
        assert len(c) == 5 and c[:2].isalpha() and c[:2].isupper() and c[2] == "-" and c[3:].isdigit()
        d = Dates("2020-02-01", "2020-02-29")(rng, {})
        assert dt.date(2020, 2, 1) <= d <= dt.date(2020, 2, 29)
        later = DateAfter("start", 3, 5)(rng, {"start": d})
        assert 3 <= (later - d).days <= 5
    assert DateAfter("start", 3, 5)(rng, {"start": None}) is None
    assert Money(10, 20, step=5)(rng, {}) in {decimal.Decimal(v) for v in ("10.00", "15.00", "20.00")}
    counts = Counter(Pick(("a", "b", "c"), 0.0)(rng, {}) for _ in range(3000))
    assert all(900 < n < 1100 for n in counts.values())  # skew 0 is uniform


@pytest.mark.parametrize("bad", [
    lambda: Ints(5, 1), lambda: Ints(0, 10, log=True), lambda: Money(5, 1), lambda: Floats(2, 1),
    lambda: Dates("2024-02-01", "2024-01-01"), lambda: Pick(()), lambda: FieldSpec(Ints(1, 2), null_rate=1.0),
])
def test_bad_generator_arguments_raise(bad):
    with pytest.raises(ValueError):
        bad()


def test_spec_checks_against_the_model():
    ents = dict(TINY_SPEC.entities)
    box = ents["box"]
    wrong_type = replace(box, fields={**box.fields, "weight": FieldSpec(Floats(1, 2))})
    with pytest.raises(ValueError, match="generator makes float"):
        DomainSpec(TINY, {**ents, "box": wrong_type}, TINY_SPEC.links)
    nulls = replace(box, fields={**box.fields, "color": FieldSpec(Pick(("x",)), null_rate=0.2)})
    with pytest.raises(ValueError, match="non-nullable"):
        DomainSpec(TINY, {**ents, "box": nulls}, TINY_SPEC.links)
    with pytest.raises(ValueError, match="entity specs"):
        DomainSpec(TINY, {"box": box}, TINY_SPEC.links)
    with pytest.raises(ValueError, match="unique names"):
        entity("crate", "crate", "crates", 20, name("name", ("a", "b", "c")))


def test_required_many_to_one_needs_full_coverage():
    with pytest.raises(ValueError, match="coverage 1.0"):
        build("bad_cov", "x", [entity("a_thing", "a", "as", 5, name("name", ("p", "q", "r", "s", "t"))),
                               entity("b_thing", "b", "bs", 5, name("name", ("p", "q", "r", "s", "t")))],
              [many_to_one("points_to", "a_thing", "b_thing", "points to", "is pointed to by", coverage=0.5)])


def test_reserved_identifiers_are_refused_when_building():
    with pytest.raises(ValueError, match="reserved identifiers"):
        build("bad_names", "x", [entity("a_thing", "a", "as", 5, number("rank", Ints(1, 5))),
                                 entity("b_thing", "b", "bs", 5, number("year", Ints(1, 5)))], [])


# ------------------------------------------------------------------------------------------------ validation


def _tiny():
    return generate(TINY, 9, spec=TINY_SPEC)


def _break_type(d):
    d.rows["shelf"][0]["width_cm"] = "wide"


def _break_key(d):
    d.rows["box"][1]["id"] = d.rows["box"][0]["id"]


def _break_null(d):
    d.rows["box"][0]["color"] = None


def _break_link_target(d):
    d.links["stored_on"].append((1, 999, {}))


def _break_n1(d):
    src, dst, _ = d.links["moved_from"][0]
    d.links["moved_from"].append((src, dst % 10 + 1, {}))


def _break_text(d):
    d.rows["shelf"][0]["name"] = "back\\slash"


def _break_decimal(d):
    d.rows["box"][0]["weight"] = decimal.Decimal("1.005")


def _break_link_attrs(d):
    d.links["nested_in"][0] = (*d.links["nested_in"][0][:2], {})


def _break_missing_rows(d):
    del d.rows["shelf"]


@pytest.mark.parametrize("breaker, message", [
    (_break_type, "is not a integer"),
    (_break_key, "duplicate key"),
    (_break_null, "NULL in a non-nullable"),
    (_break_link_target, "target key 999"),
    (_break_n1, "more than one link"),
    (_break_text, "backslash"),
    (_break_decimal, "more than 2 places"),
    (_break_link_attrs, "differ from the model"),
    (_break_missing_rows, "no rows generated"),
])
def test_validate_catches(breaker, message):
    data = _tiny()
    validate(data)
    breaker(data)
    with pytest.raises(ValueError, match=message):
        validate(data)


def test_validate_requires_required_many_to_one_links():
    domain = get_domain("company")
    data = generate(domain, 1)
    assert domain.relationship("works_in").cardinality is Cardinality.MANY_TO_ONE
    data.links["works_in"] = data.links["works_in"][1:]
    with pytest.raises(ValueError, match="required N:1 relationship missing for 1 sources"):
        validate(data)


def test_link_attributes_can_read_the_linked_instances():
    data = generate(get_domain("retail"), 4)
    price = {r["id"]: r["list_price"] for r in data.rows["product"]}
    lines = data.links["purchase_item"]
    assert lines and all(price[p] * decimal.Decimal("0.8") - decimal.Decimal("0.01") <= a["unit_price"] <= price[p]
                         for _, p, a in lines)
    flights = generate(get_domain("flights"), 4)
    departs = {r["id"]: r["departure_date"] for r in flights.rows["flight"]}
    assert all(a["booked_on"] < departs[f] for _, f, a in flights.links["booking"])
    rng = random.Random(1)
    assert PriceFrom("base", 2, 2, "n")(rng, {"base": decimal.Decimal("1.50"), "n": 3}) == decimal.Decimal("9.00")
    assert PriceFrom("base")(rng, {"base": None}) is None


def test_lookup_keeps_related_values_consistent():
    rng = random.Random(0)
    countries = Lookup("name", (("New York", "United States"), ("York", "United Kingdom")))
    assert countries(rng, {"name": "New York Office"}) == "United States"
    assert countries(rng, {"name": "York"}) == "United Kingdom"
    with pytest.raises(ValueError, match="no entry"):
        countries(rng, {"name": "Yorkshire"})
    airports = generate(get_domain("flights"), 0).rows["airport"]
    assert {(r["name"].removesuffix(" International"), r["country_name"]) for r in airports} <= set(V.CITY_COUNTRY)


def test_date_after_latest_is_null_rather_than_in_the_future():
    rng = random.Random(0)
    gen = DateAfter("born", 0, 40_000, latest="2024-12-31")
    values = [gen(rng, {"born": dt.date(1990, 1, 1)}) for _ in range(200)]
    assert None in values
    assert all(v is None or v <= dt.date(2024, 12, 31) for v in values)

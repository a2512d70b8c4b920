"""The compiler registry: every dialect compiles every IR feature the sampler produces."""

from __future__ import annotations

import pytest

from momq.bench.compilers import COMPILERS, compile_all, compile_query
from momq.bench.ir import ALL_FEATURES
from momq.bench.sample import sample_queries
from momq.dialects.base import DIALECT_NAMES, UnknownDialectError
from tests.bench.toy_domain import TOY_DOMAIN, toy_data


def test_registry_covers_the_four_dialects():
    assert tuple(COMPILERS) == DIALECT_NAMES


def test_unknown_dialect_is_refused():
    q = sample_queries(toy_data(), 1, 0)[0]
    with pytest.raises(UnknownDialectError):
        compile_query(q, "sparql", TOY_DOMAIN)


@pytest.fixture(scope="module")
def sampled():
    return sample_queries(toy_data(), 200, 2)


@pytest.mark.parametrize("feature", [f for f in ALL_FEATURES if f != "projection"])
def test_every_feature_compiles_in_every_dialect(sampled, feature):
    with_feature = [q for q in sampled if feature in q.features()]
    assert with_feature, f"the sampler produced no {feature} query"
    for q in with_feature:
        texts = compile_all(q, TOY_DOMAIN)
        assert set(texts) == set(DIALECT_NAMES)
        for dialect, text in texts.items():
            assert text.strip() and not text.rstrip().endswith(";"), (dialect, text)

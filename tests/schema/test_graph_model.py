"""The graph model for real graphs: list-valued properties, several labels per node (tags per vertex), defaults,
labels without a key, their JSON round trip and how prompts render them."""

from __future__ import annotations

import json

import pytest

from momq.dialects.prompt import fit_prompt
from momq.schema import GraphDatabase, Node, NodeType, Property, ValueType as T
from momq.schema.io import SchemaFormatError, database_from_json, database_to_json, graph_from_json
from momq.schema.types import ListType, field_type
from tests.fixtures.graph_engines import make_real_graph, make_sample_graph


@pytest.mark.parametrize("ptype,value,ok", [
    (ListType(T.TEXT), ["a", None], True), (ListType(T.TEXT), [], True), (ListType(T.TEXT), ("a",), True),
    (ListType(T.TEXT), "ab", False), (ListType(T.INTEGER), [1, "2"], False), (ListType(T.FLOAT), [1, 2.5], True),
])
def test_list_type_accepts(ptype, value, ok):
    assert ptype.accepts(value) is ok


@pytest.mark.parametrize("name,expected", [("text", T.TEXT), ("list<integer>", ListType(T.INTEGER))])
def test_parse_type(name, expected):
    assert field_type(name) == expected
    assert field_type(expected.value) == expected


@pytest.mark.parametrize("name", ["list<list<text>>", "list<>", "array", "list<varchar>"])
def test_parse_type_refuses(name):
    with pytest.raises(ValueError):
        field_type(name)


def test_real_graph_round_trips_through_json():
    db = make_real_graph("movies")
    obj = json.loads(json.dumps(database_to_json(db)))
    back = database_from_json(obj)
    assert back == db
    assert back.nodes[3].labels == ("Person", "Actor", "Director")
    assert back.node_type("Movie").properties[3].default == "released"


def test_json_of_a_plain_graph_has_no_new_fields():
    """Definitions written before lists / labels / defaults existed are written exactly as before."""
    obj = database_to_json(make_sample_graph("g"))
    assert all("with_labels" not in nt for nt in obj["node_types"])
    assert all("extra_labels" not in n for n in obj["nodes"])
    assert all("default" not in p for nt in obj["node_types"] for p in nt["properties"])


def _mutated(change):
    obj = json.loads(json.dumps(database_to_json(make_real_graph("movies"))))
    change(obj)
    return obj


@pytest.mark.parametrize("change,message", [
    (lambda o: o["nodes"][0].update(extra_labels=["Nope"]), "unknown label"),
    (lambda o: o["nodes"][4]["properties"].update(genres="Action"), "not a valid list<text>"),
    (lambda o: o["nodes"][4]["properties"].update(genres=["Action", 3]), r"genres\[1\]"),
    (lambda o: o["nodes"][0]["properties"].update(genres=["x"]), "not declared on Person/Actor"),
    (lambda o: o["node_types"][0].update(with_labels=["Ghost"]), "not node labels"),
    (lambda o: o["node_types"][3]["properties"][3].update(default=5), "default"),
    (lambda o: o["node_types"][3]["properties"][1].update(type="list<blob>"), "unknown type"),
    (lambda o: o["edges"][3].update(source_vid="matrix"), "does not join"),
])
def test_bad_definitions_are_refused_with_the_place(change, message):
    with pytest.raises(SchemaFormatError, match=message):
        graph_from_json(_mutated(change))


def test_conflicting_property_types_across_labels_are_refused():
    a = NodeType("A", (Property("x", T.TEXT),), key=None)
    b = NodeType("B", (Property("x", T.INTEGER),), key=None)
    db = GraphDatabase("g", (a, b), ())
    with pytest.raises(ValueError, match="type text on one label and integer on B"):
        db.properties_of(("A", "B"))


def test_node_type_may_lack_a_key_but_not_name_a_missing_one():
    assert NodeType("Tagged", (), key=None).key is None
    with pytest.raises(ValueError, match="key 'x' is not a property"):
        NodeType("Tagged", (), key="x")


@pytest.mark.parametrize("dialect,expected", [
    ("cypher", ["(:Person)\n  (some also labelled :Actor, :Director)",
                '  genres: LIST<STRING>, e.g. ["Action", "Sci-Fi"]',
                "  status: STRING, default \"released\"",
                "  roles: LIST<STRING>"]),
    ("ngql", ["Tag Person\n  (some vertices also have tags Actor, Director)",
              "  genres: list<string>", "a vertex may have several tags"]),
])
def test_prompts_render_lists_labels_and_defaults(dialect, expected):
    text = fit_prompt("Which actors played in The Matrix?", make_real_graph("movies"), dialect).text
    for fragment in expected:
        assert fragment in text


def test_ngql_footer_of_single_tag_spaces_is_unchanged():
    text = fit_prompt("Who?", make_sample_graph("g"), "ngql").text
    assert "every vertex has one tag" in text

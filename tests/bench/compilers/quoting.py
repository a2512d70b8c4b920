"""A tiny domain whose names are reserved words, for the quoting tests."""

from __future__ import annotations

from momq.bench.er import Attribute, Cardinality, Domain, Entity, Relationship, Role
from momq.bench.ir import Agg, Col, Filter, Func, Hop, Op, Query
from momq.schema.types import ValueType as T

QUOTING_DOMAIN = Domain("quoting", "Names that are reserved words.", (
    Entity("order", (Attribute("id", T.INTEGER, Role.KEY), Attribute("label", T.TEXT, Role.NAME),
                     Attribute("rank", T.INTEGER, Role.NUMBER))),
), ())


def quoting_query() -> Query:
    return Query("order", (Col(0, "rank"),), filters=(Filter(Col(0, "label"), Op.EQ, ("back\\slash 'quoted'",)),))


DEVICE_DOMAIN = Domain("devices", "Initials that spell a keyword and a floating-point measure.", (
    Entity("device_owner", (Attribute("id", T.INTEGER, Role.KEY), Attribute("label", T.TEXT, Role.NAME),
                            Attribute("score", T.FLOAT, Role.NUMBER))),
    Entity("device", (Attribute("id", T.INTEGER, Role.KEY), Attribute("label", T.TEXT, Role.NAME))),
), (Relationship("owned_by", "device", "device_owner", Cardinality.MANY_TO_ONE, "is owned by", "owns"),))


def device_average() -> Query:
    return Query("device", (Col(1, "label"), Agg(Func.AVG, Col(1, "score"))), hops=(Hop("owned_by"),),
                 group_by=(Col(1, "label"),))

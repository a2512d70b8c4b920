"""A small basketball-style space shared by the nGQL tests: two tags, two edge types, ranks, cycles, a NULL."""

from __future__ import annotations

from momq.schema.graph import Edge, EdgeType, GraphDatabase, Node, NodeType, Property
from momq.schema.types import ValueType

I, T = ValueType.INTEGER, ValueType.TEXT

PLAYERS = [("player_1", "Tim", 42), ("player_2", "Tony", 36), ("player_3", "Manu", 41), ("player_4", "LaMarcus", 33),
           ("player_5", "Kyle", 25), ("player_6", "Dejounte", 29), ("player_7", "Aron", None)]
TEAMS = [("team_1", "Spurs"), ("team_2", "Hornets"), ("team_3", "Blazers")]
FOLLOWS = [("player_1", "player_2", 95, 0), ("player_1", "player_2", 80, 1), ("player_1", "player_3", 95, 0),
           ("player_2", "player_1", 95, 0), ("player_2", "player_3", 90, 0), ("player_2", "player_4", 75, 0),
           ("player_3", "player_1", 90, 0), ("player_4", "player_1", 75, 0), ("player_4", "player_2", 75, 0),
           ("player_5", "player_2", 90, 0), ("player_6", "player_1", 99, 0), ("player_6", "player_2", 99, 0),
           ("player_6", "player_3", 99, 0), ("player_6", "player_4", 99, 0), ("player_7", "player_7", 50, 0)]
SERVES = [("player_1", "team_1", 1997, 2016), ("player_2", "team_1", 2001, 2018), ("player_2", "team_2", 2018, 2019),
          ("player_3", "team_1", 2002, 2018), ("player_4", "team_3", 2006, 2015), ("player_4", "team_1", 2015, 2019),
          ("player_5", "team_1", 2015, 2019), ("player_6", "team_1", 2017, 2020), ("player_7", "team_3", 2010, 2011)]


def basketball(name: str = "basketball") -> GraphDatabase:
    return GraphDatabase(
        name,
        (NodeType("player", (Property("name", T), Property("age", I)), key="name"),
         NodeType("team", (Property("name", T),), key="name")),
        (EdgeType("follow", "player", "player", (Property("degree", I),)),
         EdgeType("serve", "player", "team", (Property("start_year", I), Property("end_year", I)))),
        nodes=[Node("player", vid, {"name": n, "age": a}) for vid, n, a in PLAYERS]
        + [Node("team", vid, {"name": n}) for vid, n in TEAMS],
        edges=[Edge("follow", s, d, {"degree": g}, rank=r) for s, d, g, r in FOLLOWS]
        + [Edge("serve", s, d, {"start_year": a, "end_year": b}) for s, d, a, b in SERVES],
    )

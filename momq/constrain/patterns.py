"""Graph patterns whose relationships follow the schema's directions, as grammar rules (Cypher and nGQL MATCH).

A chain ``(a:A)-[:R]->(b)<-[:S]-(c:C)`` is a walk over the schema's labels: :func:`chain_rules` writes one rule
per label state (``chain_<L>``: the chain continues from a node known to carry label ``L``, or ``chain_any``),
so a typed, directed relationship is only allowed where the label it leaves is that type's source (outgoing) or
target (incoming), and the node it reaches must carry the other end's label or none (an unlabeled node then
carries it implicitly). Untyped, multi-type, undirected and variable-length relationships do not assert one
direction of one type and lead to ``chain_any``. A variable bound earlier to another label is not tracked --
a CFG cannot -- so ``(a)-[:R]->(b)`` with unlabeled ends is always allowed.

The caller supplies how a node's and a relationship's inside look (variable, properties map); this module
only enumerates states and arrows. It does not parse anything.
"""

from __future__ import annotations

from momq.constrain.lexical import symbol
from momq.schema import GraphDatabase


def _state(label: str | None) -> str:
    return "chain_any" if label is None else f"chain_l{symbol(label)}"


def chain_rules(graph: GraphDatabase, node_inside: str, rel_inside: str, label_ref: str = "LABEL_{label}",
                type_ref: str = "TYPE_{type}") -> str:
    """Rules ``chain_any`` and ``chain_l<label>`` (with their helpers) for ``graph``.

    ``node_inside``: the rule for what may follow the label inside ``(...)`` (a properties map);
    ``rel_inside``: the rule for what may follow the type(s) inside ``[...]`` (a properties map);
    ``label_ref`` / ``type_ref``: how a label's / a type's lexeme is named in the grammar. Needs ``VAR``
    and ``var_length`` from the caller.
    """
    labels = [n.label for n in graph.node_types]
    lines: list[str] = []
    for state in [None, *labels]:
        here = "any" if state is None else symbol(state)
        alts = []
        for label in labels if state is None else [state]:
            rule = f"node_{symbol(label)}_{here}"
            lines.append(f'{rule}: "(" VAR? ":" {label_ref.format(label=symbol(label).upper())} {node_inside}? ")"')
            alts.append(f"{rule} step_{symbol(label)}?")
        alts.append(f'"(" VAR? {node_inside}? ")" step_{here}?')
        lines.append(f"{_state(state)}: " + " | ".join(alts))
        steps = []
        for et in graph.edge_types:
            t = type_ref.format(type=symbol(et.type).upper())
            if state is None or state == et.source:
                steps.append(f'"-" "[" VAR? ":" {t} {rel_inside}? "]" "->" {_state(et.target)}')
                steps.append(f'"-" "[" VAR? ":" {t} var_length {rel_inside}? "]" "->" chain_any')
            if state is None or state == et.target:
                steps.append(f'"<-" "[" VAR? ":" {t} {rel_inside}? "]" "-" {_state(et.source)}')
                steps.append(f'"<-" "[" VAR? ":" {t} var_length {rel_inside}? "]" "-" chain_any')
        steps.append(f'"-" "[" VAR? (":" any_types)? var_length? {rel_inside}? "]" "-" chain_any')
        steps.append(f'"-" "[" VAR? (":" multi_types)? var_length? {rel_inside}? "]" "->" chain_any')
        steps.append(f'"<-" "[" VAR? (":" multi_types)? var_length? {rel_inside}? "]" "-" chain_any')
        steps.append('("-->" | "--" | "<--") chain_any')
        lines.append(f"step_{here}: " + "\n    | ".join(steps))
    types = " | ".join(type_ref.format(type=symbol(et.type).upper()) for et in graph.edge_types)
    lines.append(f'any_types: ({types}) ("|" ":"? ({types}))*')
    lines.append(f'multi_types: ({types}) ("|" ":"? ({types}))+')
    return "\n".join(lines) + "\n"


__all__ = ["chain_rules"]

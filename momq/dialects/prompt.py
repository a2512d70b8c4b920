"""The shared prompt builder: instruction + schema block + evidence + question, ending with an opened code fence.

Used at training and at serving time, so both see the same text. A schema becomes :class:`SchemaItem` blocks
through one of two shared layouts, :class:`RelationalPromptDialect` (tables, foreign keys) and
:class:`GraphPromptDialect` (node labels / tags, edge types); the per-dialect modules (mysql, postgresql,
cypher, ngql) supply the instruction template, the code-fence tag and the words and type names of their layout.
This module assembles them, fits the schema into a token budget (relevant tables/labels first, example values
dropped before tables, truncation stated in the block) and extracts the query from a model's answer. It does not
tokenize for training, call a model or validate queries.
"""

from __future__ import annotations

import abc
import datetime as _dt
import decimal as _decimal
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Iterable, Mapping

from momq.dialects.base import DISPLAY_NAME, Family
from momq.dialects.lexical import scan
from momq.dialects.names import write_qualified
from momq.schema import Database, FieldType, GraphDatabase, ListType, NodeType, Property, RelationalDatabase, ValueType

#: How many example values a column/property shows, and how long one may be.
EXAMPLES_PER_COLUMN = 3
EXAMPLE_MAX_CHARS = 32
#: How many distinct values per column feed the relevance score (they are not shown).
RELEVANCE_VALUES_PER_COLUMN = 60


# ----------------------------------------------------------------------------------------------- tokens
_TOKEN_PIECES = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")


def estimate_tokens(text: str) -> int:
    """A cheap, slightly pessimistic token count: letters ~5 per token, digits ~3, each symbol one.

    Close enough to BPE tokenizers on schema text (identifiers split at underscores) to be used as a default
    budget when no tokenizer is at hand; pass a real tokenizer's counter for exact budgets.
    """
    total = 0
    for piece in _TOKEN_PIECES.findall(text):
        if piece[0].isalpha():
            total += math.ceil(len(piece) / 5)
        elif piece[0].isdigit():
            total += math.ceil(len(piece) / 3)
        else:
            total += 1
    return total


def hf_token_counter(tokenizer: Any) -> Callable[[str], int]:
    """A counter for a Hugging Face tokenizer: the number of input ids, without special tokens."""

    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    return count


@dataclass(frozen=True)
class TokenBudget:
    """The most tokens a whole prompt may take, and how tokens are counted (default: :func:`estimate_tokens`)."""

    max_tokens: int
    count: Callable[[str], int] = estimate_tokens

    def __post_init__(self) -> None:
        if not (isinstance(self.max_tokens, int) and self.max_tokens > 0):
            raise ValueError(f"max_tokens must be a positive integer, got {self.max_tokens!r}")
        if not callable(self.count):
            raise TypeError("count must be a callable text -> number of tokens")

    def fits(self, text: str) -> bool:
        return self.count(text) <= self.max_tokens


class PromptBudgetError(ValueError):
    """Even the smallest prompt (one schema element, no example values) does not fit the token budget."""


# ----------------------------------------------------------------------------------------------- schema items
@dataclass(frozen=True)
class SchemaItem:
    """One droppable block of a schema text: a table, a node label / tag, an edge type, a foreign-key line.

    ``full`` shows example values, ``compact`` does not. ``terms`` are the lower-case words that make the item
    relevant to a question (names, descriptions, values). ``links`` names the items it is joined to (foreign-key
    neighbours). An item with ``requires`` is shown only together with those items; ``auto`` items (foreign
    keys, edge types) are never chosen for themselves, they come whenever everything they require is kept.
    """

    name: str
    section: str
    full: str
    compact: str
    terms: frozenset[str] = frozenset()
    name_terms: frozenset[str] = frozenset()
    links: frozenset[str] = frozenset()
    requires: tuple[str, ...] = ()
    auto: bool = False


@dataclass(frozen=True)
class SchemaLayout:
    """A whole schema: a header line, ordered sections (heading per section) and the items in them."""

    header: str
    sections: tuple[tuple[str, str], ...]  # (section key, heading line)
    items: tuple[SchemaItem, ...]
    unit: str  # what a primary item is called in the truncation note: "tables", "node labels", "tags"
    footer: str = ""  # a note always shown at the end (e.g. the nGQL VID convention)

    def __post_init__(self) -> None:
        names = [i.name for i in self.items]
        if len(set(names)) != len(names):
            raise ValueError(f"schema items must have unique names, got duplicates in {names}")
        keys = {k for k, _ in self.sections}
        for item in self.items:
            if item.section not in keys:
                raise ValueError(f"schema item {item.name}: unknown section {item.section!r}")


@dataclass(frozen=True)
class SchemaChoice:
    """Which items are shown and which of them show example values."""

    kept: tuple[str, ...]
    with_examples: frozenset[str]
    total_primary: int

    @property
    def truncated(self) -> bool:
        return len(self.kept) < self.total_primary


def render_layout(layout: SchemaLayout, choice: SchemaChoice | None = None) -> str:
    """The schema text for ``choice`` (default: every item with example values)."""
    primary = [i for i in layout.items if not i.auto]
    if choice is None:
        names = {i.name for i in layout.items}
        choice = SchemaChoice(tuple(i.name for i in primary), frozenset(names), len(primary))
    kept = set(choice.kept)
    shown = [i for i in layout.items if (i.name in kept if not i.auto else all(r in kept for r in i.requires))]
    shown = [i for i in shown if all(r in kept for r in i.requires)]
    lines = [layout.header]
    for key, heading in layout.sections:
        blocks = [(i.full if _shows_examples(i, choice) else i.compact) for i in shown if i.section == key]
        if blocks:
            if heading:
                lines.append(heading)
            lines.extend(blocks)
    primary_shown = [i for i in primary if i.name in kept]
    dropped_examples = any(i.full != i.compact and i.name not in choice.with_examples for i in primary_shown)
    if choice.truncated:
        lines.append(f"(Schema truncated to fit the prompt: {len(primary_shown)} of {choice.total_primary} "
                     f"{layout.unit} shown, those most relevant to the question.)")
    if dropped_examples:
        lines.append("(Example values omitted for some elements to fit the prompt.)")
    if layout.footer:
        lines.append(layout.footer)
    return "\n".join(lines)


def _shows_examples(item: SchemaItem, choice: SchemaChoice) -> bool:
    if item.auto:  # an edge type / foreign key shows its values when everything it joins does
        return all(r in choice.with_examples for r in item.requires)
    return item.name in choice.with_examples


# ----------------------------------------------------------------------------------------------- relevance
_WORD = re.compile(r"[A-Za-z0-9]+")
_STOPWORDS = frozenset(
    "a an the of in on at to for by with from and or not no is are was were be been being what which who whom "
    "whose how many much list show give find return all each every that this these those than then there their "
    "its it as do does did have has had more most less least per".split()
)


def stem(word: str) -> str:
    """A tiny suffix stripper so that 'employees'/'Employee', 'published'/'publisher', 'released'/'release'
    share a stem. Plural first, then one verb/agent suffix (-ing, -ed, -er, -e) while four letters remain."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("ses", "xes", "ches", "shes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    for suffix in ("ing", "ed", "er", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


def terms_of(*texts: object) -> frozenset[str]:
    """Stemmed lower-case words of the texts, identifiers split at underscores and CamelCase."""
    out: set[str] = set()
    for text in texts:
        if text is None:
            continue
        s = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(text)).replace("_", " ")
        for word in _WORD.findall(s):
            w = word.lower()
            if w not in _STOPWORDS:
                out.add(stem(w))
    return frozenset(out)


def question_terms(question: str) -> frozenset[str]:
    return frozenset(t for t in terms_of(question) if not t.isdigit() or len(t) > 2)


def rank_items(layout: SchemaLayout, question: str) -> list[SchemaItem]:
    """Primary items, most relevant to the question first.

    Score = 2 x overlap with the item's name words + overlap with its other terms + half the score of the
    auto items (edge types, foreign keys) that require it; greedily, each pick adds 0.5 to the score of its
    linked neighbours, so the tables that join the relevant ones come next. Ties keep the schema order.
    """
    q = question_terms(question)
    primary = [i for i in layout.items if not i.auto]
    base = {i.name: 2.0 * len(q & i.name_terms) + len(q & (i.terms - i.name_terms)) for i in primary}
    for item in layout.items:
        if item.auto:
            s = 2.0 * len(q & item.name_terms) + len(q & (item.terms - item.name_terms))
            for r in item.requires:
                if r in base:
                    base[r] += 0.5 * s
    order = {i.name: k for k, i in enumerate(primary)}
    neighbours: dict[str, set[str]] = {i.name: set() for i in primary}
    for item in layout.items:
        ends = [r for r in (item.links | set(item.requires)) if r in neighbours]
        if item.auto:
            for a in ends:
                neighbours[a].update(b for b in ends if b != a)
        elif item.name in neighbours:
            neighbours[item.name].update(ends)
            for a in ends:
                neighbours[a].add(item.name)
    chosen: list[SchemaItem] = []
    bonus = {name: 0.0 for name in base}
    remaining = {i.name: i for i in primary}
    while remaining:
        best = max(remaining, key=lambda n: (base[n] + bonus[n], -order[n]))
        chosen.append(remaining.pop(best))
        for nb in neighbours[best]:
            if nb in bonus:
                bonus[nb] += 0.5
    return chosen


def fit_layout(layout: SchemaLayout, question: str, fits: Callable[[str], bool]) -> str:
    """The richest schema text for which ``fits(schema_text)`` holds.

    Order of sacrifices: first example values (least relevant elements first), then whole elements (least
    relevant first). At least the most relevant element is kept; :class:`PromptBudgetError` when even that fails.
    """
    ranked = rank_items(layout, question)
    total = len(ranked)
    everything = frozenset(i.name for i in layout.items)
    names = tuple(i.name for i in ranked)
    text = render_layout(layout, SchemaChoice(names, everything, total))
    if fits(text):
        return text

    def best_examples(kept: tuple[str, ...]) -> str | None:
        """Add example values back in relevance order while the text still fits."""
        with_ex: frozenset[str] = frozenset()
        text = render_layout(layout, SchemaChoice(kept, with_ex, total))
        if not fits(text):
            return None
        for name in kept:
            trial = with_ex | {name}
            candidate = render_layout(layout, SchemaChoice(kept, trial, total))
            if fits(candidate):
                with_ex, text = trial, candidate
        return text

    def compact_fits(n: int) -> bool:
        return fits(render_layout(layout, SchemaChoice(names[:n], frozenset(), total)))

    # the most elements that fit without example values (binary search: fewer elements never cost more)
    lo, hi = 0, total
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if compact_fits(mid):
            lo = mid
        else:
            hi = mid - 1
    if lo >= 1:
        text = best_examples(names[:lo])
        if text is not None:
            return text
    raise PromptBudgetError(f"the prompt does not fit the token budget even with only the {layout.unit[:-1]} "
                            f"{names[0]!r} and no example values")


# ----------------------------------------------------------------------------------------------- values
def format_value(value: Any, quote: str = "'") -> str:
    """A literal-looking example value, shortened when long."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _decimal.Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(round(value, 4))
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return f"{quote}{value.isoformat()}{quote}"
    if isinstance(value, _dt.timedelta):
        return f"{quote}{value}{quote}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v, quote) for v in value) + "]"
    if isinstance(value, str):
        s = value if len(value) <= EXAMPLE_MAX_CHARS else value[: EXAMPLE_MAX_CHARS - 3] + "..."
        s = s.replace("\n", " ")
        return f"{quote}{s}{quote}"
    return str(value)


def distinct_values(values: Iterable[Any], limit: int) -> list[Any]:
    """The first ``limit`` distinct non-NULL values, in order of appearance."""
    seen: list[Any] = []
    keys: set = set()
    for v in values:
        if v is None:
            continue
        k = (type(v).__name__, repr(v) if isinstance(v, (list, dict)) else v)
        if k in keys:
            continue
        keys.add(k)
        seen.append(v)
        if len(seen) >= limit:
            break
    return seen


def describe(name: str, description: str) -> str:
    """`` -- description`` when it says more than the name itself, else nothing."""
    if not description or terms_of(description) <= terms_of(name):
        return ""
    return f" -- {description}"


def value_terms(values: Iterable[Any]) -> frozenset[str]:
    return terms_of(*(v for v in values if isinstance(v, str)))


@dataclass(frozen=True)
class GraphValues:
    """Per label / edge type and property: the first distinct values (for examples and relevance)."""

    node: dict[str, dict[str, list[Any]]]
    edge: dict[str, dict[str, list[Any]]]
    sample_vid: dict[str, str]

    @classmethod
    def of(cls, db: GraphDatabase, limit: int = RELEVANCE_VALUES_PER_COLUMN) -> "GraphValues":
        node: dict[str, dict[str, list[Any]]] = {}
        sample_vid: dict[str, str] = {}
        for n in db.nodes:
            for label in n.labels:  # a node with several labels gives examples to each
                sample_vid.setdefault(label, n.vid)
                props = node.setdefault(label, {})
                for key, value in n.properties.items():
                    vals = props.setdefault(key, [])
                    if value not in (None, []) and len(vals) < limit and value not in vals:
                        vals.append(value)
        edge: dict[str, dict[str, list[Any]]] = {}
        for e in db.edges:
            props = edge.setdefault(e.type, {})
            for key, value in e.properties.items():
                vals = props.setdefault(key, [])
                if value not in (None, []) and len(vals) < limit and value not in vals:
                    vals.append(value)
        return cls(node, edge, sample_vid)


# ----------------------------------------------------------------------------------------------- dialects
class PromptDialect(abc.ABC):
    """What a dialect contributes to prompts: instruction, schema layout, code fence, answer extraction."""

    name: ClassVar[str]
    family: ClassVar[Family]
    fence: ClassVar[str]  # the code-fence language tag, e.g. "sql"
    instruction: ClassVar[str]  # the English task instruction (no question, no schema)

    @property
    def display_name(self) -> str:
        return DISPLAY_NAME[self.name]

    def check_spec(self, spec: Database) -> None:
        want = RelationalDatabase if self.family is Family.RELATIONAL else GraphDatabase
        if not isinstance(spec, want):
            raise TypeError(f"{self.display_name} prompts need a {want.__name__} schema, "
                            f"got {type(spec).__name__}")

    @abc.abstractmethod
    def schema_layout(self, spec: Database) -> SchemaLayout:
        """The schema as droppable items (see :class:`SchemaItem`)."""

    def render_schema(self, spec: Database) -> str:
        """The complete schema text (every element, with example values when the spec has data)."""
        self.check_spec(spec)
        return render_layout(self.schema_layout(spec))

    def write(self, name: str, schema: str | None = None) -> str:
        """A schema name (``schema.name`` when a namespace is given) as this dialect's queries write it: bare
        when it may be, quoted otherwise (:mod:`momq.dialects.names`)."""
        return write_qualified(schema, name, self.name)

    def split_statements(self, text: str) -> list[str]:
        """Statements separated by ``;`` outside quotes and comments."""
        return split_statements(text, self.name)

    def first_statement(self, text: str) -> str:
        parts = [p for p in self.split_statements(text) if p.strip()]
        return parts[0].strip() if parts else ""

    def __repr__(self) -> str:
        return f"<dialect {self.name}>"


def type_label(dialect: str, type_names: Mapping[ValueType, str], list_form: str | None, ftype: FieldType) -> str:
    """How ``dialect`` names a column / property type: ``type_names`` for scalars, ``list_form`` (with an
    ``{element}`` field) for lists; ValueError naming the type when the dialect has no name for it."""
    if isinstance(ftype, ListType):
        if list_form is None:
            raise ValueError(f"{dialect} has no list type for {ftype.value}")
        return list_form.format(element=type_label(dialect, type_names, None, ftype.element))
    try:
        return type_names[ftype]
    except KeyError:
        raise ValueError(f"{dialect} has no type for {getattr(ftype, 'value', ftype)!r}") from None


def split_statements(text: str, dialect: str) -> list[str]:
    """Split at ``;`` outside the strings, quoted names and comments of ``dialect`` (its rule table in
    :mod:`momq.dialects.lexical`). Comments are kept in the text."""
    parts: list[str] = []
    start = 0
    for seg in scan(text, dialect):
        if seg.kind != "code":
            continue
        for i in range(seg.start, seg.end):
            if text[i] == ";":
                parts.append(text[start:i])
                start = i + 1
    parts.append(text[start:])
    return parts


def _header(word: str, spec: Database) -> str:
    """The schema's first line: ``<word> <name>``, then `` -- <description>`` when the schema has one."""
    return f"{word} {spec.name}" + (f" -- {spec.description}" if spec.description else "")


class RelationalPromptDialect(PromptDialect):
    """A SQL dialect: the schema as table blocks (columns with type, key flags, example values) + foreign keys."""

    family = Family.RELATIONAL
    fence = "sql"
    column_types: ClassVar[Mapping[ValueType, str]]  # how this dialect's DDL names each column type
    list_type: ClassVar[str | None] = None  # how the DDL names an array column ({element}); None: no arrays

    def type_name(self, value_type: FieldType) -> str:
        """How this dialect's DDL names a column type."""
        return type_label(self.display_name, self.column_types, self.list_type, value_type)

    def schema_layout(self, spec: Database) -> SchemaLayout:
        self.check_spec(spec)
        assert isinstance(spec, RelationalDatabase)
        items: list[SchemaItem] = []
        for table in spec.tables:
            fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
            unique_cols = {u[0] for u in table.unique_keys if len(u) == 1}
            full_lines = [f"Table {self.write(table.name, table.schema)}" + describe(table.name, table.description)]
            compact_lines = list(full_lines)
            terms: set[str] = set(terms_of(table.name, table.description))
            for pos, col in enumerate(table.columns):
                flags = [self.type_name(col.type)]
                if col.name in table.primary_key:
                    flags.append("primary key")
                if col.name in fk_cols:
                    flags.append("foreign key")
                if col.name in unique_cols:
                    flags.append("unique")
                if not col.nullable and col.name not in table.primary_key:
                    flags.append("not null")
                if col.default is not None:
                    flags.append(f"default {col.default}")
                if col.description and terms_of(col.description) != terms_of(col.name):
                    flags.append(col.description)
                line = f"  {self.write(col.name)} " + ", ".join(flags)
                compact_lines.append(line)
                terms |= terms_of(col.name, col.description)
                column_values = [row[pos] for row in table.rows] if table.rows else []
                if column_values and col.name not in table.primary_key and col.name not in fk_cols:
                    examples = distinct_values(column_values, EXAMPLES_PER_COLUMN)
                    if examples:
                        line += ", e.g. " + ", ".join(format_value(v, "'") for v in examples)
                    terms |= value_terms(distinct_values(column_values, RELEVANCE_VALUES_PER_COLUMN))
                full_lines.append(line)
            for unique in table.unique_keys:
                if len(unique) > 1:
                    full_lines.append(f"  unique ({', '.join(map(self.write, unique))})")
                    compact_lines.append(full_lines[-1])
            tname = table.qualified_name
            items.append(SchemaItem(
                name=tname, section="tables", full="\n".join(full_lines), compact="\n".join(compact_lines),
                terms=frozenset(terms), name_terms=terms_of(table.name),
                links=frozenset(fk.ref_qualified for fk in table.foreign_keys if fk.ref_qualified != tname),
            ))
        for view in spec.views:
            lines = [f"View {self.write(view.name, view.schema)}" + describe(view.name, view.description)]
            lines += [f"  {self.write(col.name)} {self.type_name(col.type)}" for col in view.columns]
            items.append(SchemaItem(
                name=view.qualified_name, section="views", full="\n".join(lines), compact="\n".join(lines),
                terms=terms_of(view.name, view.description, *view.column_names), name_terms=terms_of(view.name),
            ))
        for table in spec.tables:
            for fk in table.foreign_keys:
                line = (f"  {self.write(table.name, table.schema)}.{', '.join(map(self.write, fk.columns))} -> "
                        f"{self.write(fk.ref_table, fk.ref_schema)}.{', '.join(map(self.write, fk.ref_columns))}")
                items.append(SchemaItem(
                    name=f"fk:{table.qualified_name}:{','.join(fk.columns)}", section="foreign_keys", full=line,
                    compact=line, requires=tuple(dict.fromkeys((table.qualified_name, fk.ref_qualified))), auto=True,
                ))
        return SchemaLayout(
            header=_header("Database", spec),
            sections=(("tables", ""), ("views", "Views:"), ("foreign_keys", "Foreign keys:")),
            items=tuple(items), unit="tables",
        )


def property_lines(props: tuple[Property, ...], values: dict[str, list], key: str | None,
                   type_name: Callable[[FieldType], str], quote: str, write: Callable[[str], str] = str
                   ) -> tuple[list[str], list[str], set[str]]:
    """(lines with examples, lines without, relevance terms) for a label's or an edge type's properties; a
    default is shown as a flag; ``write`` writes a property name as the dialect's queries do."""
    full, compact, terms = [], [], set()
    for prop in props:
        flags = [type_name(prop.type)]
        if prop.name == key:
            flags.append("key")
        if not prop.nullable and prop.name != key:
            flags.append("always set")
        if prop.default is not None:
            flags.append("default " + format_value(prop.default, quote))
        if prop.description and terms_of(prop.description) != terms_of(prop.name):
            flags.append(prop.description)
        line = f"  {write(prop.name)}: " + ", ".join(flags)
        compact.append(line)
        terms |= terms_of(prop.name, prop.description)
        vals = values.get(prop.name, [])
        if vals and prop.name != key:
            line += ", e.g. " + ", ".join(format_value(v, quote) for v in vals[:EXAMPLES_PER_COLUMN])
            terms |= value_terms(vals)
        full.append(line)
    return full, compact, terms


class GraphPromptDialect(PromptDialect):
    """A graph dialect: a block per node label / tag (typed properties, key marked, example values) and a line per
    edge type drawn as a pattern with its properties. Subclasses give the words and patterns as constants."""

    family = Family.GRAPH
    property_types: ClassVar[Mapping[ValueType, str]]  # how the dialect names each property type
    list_type: ClassVar[str | None] = "LIST<{element}>"  # how it names a list-valued property type ({element})
    schema_word: ClassVar[str]  # the header's first word: "Graph", "Space"
    node_section: ClassVar[tuple[str, str]]  # (section key, heading) of the node blocks
    edge_section: ClassVar[tuple[str, str]]  # (section key, heading) of the edge-type blocks
    node_head: ClassVar[str]  # a node block's first line; fields: label
    edge_head: ClassVar[str]  # an edge type's first line; fields: type, source, target
    edge_item: ClassVar[str]  # an edge type's item name (kept apart from label names); fields: type
    unit: ClassVar[str]  # what a node block is called in the truncation note
    footer: ClassVar[str] = ""  # a note always shown at the end
    with_labels_note: ClassVar[str] = "  (also labelled {labels})"  # nodes with several labels; fields: labels
    with_label: ClassVar[str] = "{label}"  # one label inside with_labels_note; fields: label

    def type_name(self, value_type: FieldType) -> str:
        """How this dialect names a property type."""
        return type_label(self.display_name, self.property_types, self.list_type, value_type)

    def node_notes(self, nt: NodeType, values: GraphValues) -> list[str]:
        """Lines shown under a node block's head with the example values (none by default)."""
        return []

    def label_notes(self, nt: NodeType) -> list[str]:
        """Lines under a node block's head, with or without examples: the other labels its nodes carry."""
        if not nt.with_labels:
            return []
        names = ", ".join(self.with_label.format(label=self.write(label)) for label in nt.with_labels)
        return [self.with_labels_note.format(labels=names)]

    def footer_for(self, spec: GraphDatabase) -> str:
        """The footer for ``spec`` (the class constant unless a dialect words it by schema)."""
        return self.footer

    def schema_layout(self, spec: Database) -> SchemaLayout:
        self.check_spec(spec)
        assert isinstance(spec, GraphDatabase)
        values = GraphValues.of(spec)
        items: list[SchemaItem] = []
        for nt in spec.node_types:
            head = self.node_head.format(label=self.write(nt.label)) + describe(nt.label, nt.description)
            full, compact, terms = property_lines(nt.properties, values.node.get(nt.label, {}), nt.key,
                                                  self.type_name, '"', self.write)
            notes = self.label_notes(nt)
            items.append(SchemaItem(
                name=nt.label, section=self.node_section[0],
                full="\n".join([head, *notes, *self.node_notes(nt, values), *full]),
                compact="\n".join([head, *notes, *compact]),
                terms=frozenset(terms | terms_of(nt.label, nt.description)), name_terms=terms_of(nt.label),
            ))
        for et in spec.edge_types:
            head = (self.edge_head.format(type=self.write(et.type), source=self.write(et.source),
                                          target=self.write(et.target))
                    + describe(et.type, et.description))
            full, compact, terms = property_lines(et.properties, values.edge.get(et.type, {}), None,
                                                  self.type_name, '"', self.write)
            items.append(SchemaItem(
                name=self.edge_item.format(type=et.type), section=self.edge_section[0],
                full="\n".join([head, *full]), compact="\n".join([head, *compact]),
                terms=frozenset(terms | terms_of(et.type, et.description)), name_terms=terms_of(et.type),
                requires=tuple(dict.fromkeys((et.source, et.target))), auto=True,
            ))
        return SchemaLayout(
            header=_header(self.schema_word, spec), sections=(self.node_section, self.edge_section),
            items=tuple(items), unit=self.unit, footer=self.footer_for(spec),
        )


# ----------------------------------------------------------------------------------------------- prompts
def _dialect(dialect: "str | PromptDialect") -> PromptDialect:
    if isinstance(dialect, PromptDialect):
        return dialect
    from momq.dialects import get_dialect

    return get_dialect(dialect)


@dataclass(frozen=True)
class PromptParts:
    """A prompt as two strings: ``prefix`` (instruction and schema: the same for every question on one schema
    text) and ``suffix`` (evidence, question and the opened fence). ``prefix + suffix`` is the whole prompt, so
    a generator may compute the prefix's KV cache once and reuse it for every question on that schema."""

    prefix: str
    suffix: str

    @property
    def text(self) -> str:
        return self.prefix + self.suffix


def prompt_parts(question: str, schema_text: str, dialect: "str | PromptDialect",
                 evidence: str | None = None) -> PromptParts:
    """The prompt for a schema text that is already rendered, split into its shared prefix and its suffix."""
    d = _dialect(dialect)
    if not isinstance(question, str) or not question.strip():
        raise ValueError("the question must be a non-empty string")
    prefix = "\n".join([d.instruction.strip(), "", "### Schema", schema_text.strip(), "", ""])
    parts: list[str] = []
    if evidence and evidence.strip():
        parts += ["### Evidence", evidence.strip(), ""]
    parts += ["### Question", question.strip(), "", f"### {d.display_name} query", f"```{d.fence}", ""]
    return PromptParts(prefix, "\n".join(parts))


def render_prompt(question: str, schema_text: str, dialect: "str | PromptDialect",
                  evidence: str | None = None) -> str:
    """The prompt for a schema text that is already rendered (e.g. a benchmark record's ``schema``)."""
    return prompt_parts(question, schema_text, dialect, evidence).text


def fit_prompt(question: str, schema_spec: Database, dialect: "str | PromptDialect", evidence: str | None = None,
               budget: TokenBudget | None = None, layout: SchemaLayout | None = None) -> PromptParts:
    """The prompt for a question on a schema, fitted to ``budget``; the one prompt function of training,
    evaluation and serving.

    The schema block is independent of the question whenever that fits, so that every question on one
    database shares the prompt prefix (a generator computes its KV cache once): first the whole schema with
    example values, then the whole schema without them. Only when neither fits is the schema fitted to the
    question (:func:`fit_layout`: relevant elements first). ``layout`` is the dialect's
    :meth:`PromptDialect.schema_layout` of ``schema_spec`` when the caller has it cached.
    """
    d = _dialect(dialect)
    d.check_spec(schema_spec)
    layout = layout if layout is not None else d.schema_layout(schema_spec)
    if budget is None:
        return prompt_parts(question, render_layout(layout), d, evidence)
    primary = tuple(i.name for i in layout.items if not i.auto)
    everything = frozenset(i.name for i in layout.items)
    for with_examples in (everything, frozenset()):
        parts = prompt_parts(question, render_layout(layout, SchemaChoice(primary, with_examples, len(primary))),
                             d, evidence)
        if budget.fits(parts.text):
            return parts
    schema_text = fit_layout(layout, question, lambda s: budget.fits(render_prompt(question, s, d, evidence)))
    return prompt_parts(question, schema_text, d, evidence)


def build_prompt(question: str, schema_spec: Database, dialect: "str | PromptDialect",
                 evidence: str | None = None, budget: TokenBudget | None = None) -> str:
    """The full prompt as one string (see :func:`fit_prompt`)."""
    return fit_prompt(question, schema_spec, dialect, evidence, budget).text


# ----------------------------------------------------------------------------------------------- answers
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+-]*)[ \t]*")


def extract_query(text: str, dialect: "str | PromptDialect") -> str:
    """The query in a model's answer: one statement, stripped, without a trailing ``;``.

    - The answer opens a fence itself (text starts with ```` ``` ````, or the first fence carries a language tag
      such as ```` ```sql ````): the content of that first fenced block.
    - Otherwise the answer continues the fence the prompt opened: the text up to the first closing fence.
    - No fence at all: the whole text.
    Then the first statement (for nGQL, ``$var = ...;`` assignments stay with the statement that uses them).
    """
    d = _dialect(dialect)
    if not isinstance(text, str):
        raise TypeError(f"expected the model's text, got {type(text).__name__}")
    body = text
    match = _FENCE.search(text)
    if match is not None:
        before = text[: match.start()]
        opens = not before.strip() or bool(match.group(1))
        if opens:
            rest = text[match.end():]
            close = rest.find("```")
            body = rest if close < 0 else rest[:close]
        else:
            body = before
    return d.first_statement(body)


__all__ = [
    "EXAMPLES_PER_COLUMN",
    "GraphPromptDialect",
    "PromptBudgetError",
    "PromptDialect",
    "PromptParts",
    "RelationalPromptDialect",
    "SchemaChoice",
    "SchemaItem",
    "SchemaLayout",
    "TokenBudget",
    "build_prompt",
    "describe",
    "distinct_values",
    "estimate_tokens",
    "extract_query",
    "fit_layout",
    "fit_prompt",
    "format_value",
    "GraphValues",
    "hf_token_counter",
    "property_lines",
    "rank_items",
    "render_layout",
    "prompt_parts",
    "render_prompt",
    "split_statements",
    "terms_of",
    "type_label",
    "value_terms",
]

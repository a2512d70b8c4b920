"""English questions from IR queries, with many paraphrases and the domain's own vocabulary.

``render_question(query, domain, rng)`` picks one template per construct (listing, counting, aggregating,
grouping, ranking, anti-join, nested average, top-k per group, lookup by id, percentages and ratios that say how
they are rounded, breakdowns by year or month, two-column groups, walks of up to N links, optional links, shortest paths, set
operations, rankings with unknown values placed, text joined into one, bands of a number) and phrases filters, paths and
columns with the domain's nouns, plurals, attribute phrases, units and relationship verbs. Conditions on a
relationship's own attributes (a cast's billing, an enrollment's grade) hang off the verb that walks it, and
aggregates over them are phrased per linked instance ("the total quantity over the products it contains"). Templates never use
query-language keywords or shapes ("select", "where", "group by", "join", ...). Questions state how averages are rounded, ask with 'did' + base form for
past-tense verbs, write every date of a question in one style and never stack two superlatives. ``render_questions`` returns
several distinct paraphrases of one query. It does not decide what to ask (``momq.bench.sample``) and holds
no domain-specific wording.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import random
import re

from momq.bench.er import Attribute, Domain, Entity, Role
from momq.bench.ir import Agg, Case, Col, Concat, Filter, Func, Op, Query

#: Words no question may contain (checked by tests); they would leak the query's shape.
FORBIDDEN_WORDS: tuple[str, ...] = ("select", "where", "group by", "order by", "join", "distinct", "limit",
                                    "having", "match", "return", "yield", "lookup", "fetch", "null")


# ----------------------------------------------------------------------------------------------- grammar
def article(word: str) -> str:
    w = word.lower()
    if w.startswith(("uni", "use", "usu", "eu", "one")):
        return "a"
    if w.startswith(("hour", "honest", "heir")):
        return "an"
    return "an" if w[:1] in "aeiou" else "a"


def a(word: str) -> str:
    return f"{article(word)} {word}"


def plural_verb(verb: str) -> str:
    """'works in' -> 'work in'; 'is owned by' -> 'are owned by'; 'has' -> 'have'."""
    first, _, rest = verb.partition(" ")
    irregular = {"is": "are", "has": "have", "does": "do", "was": "were"}
    if first in irregular:
        first = irregular[first]
    elif first.endswith("ies") and len(first) > 4:
        first = first[:-3] + "y"
    elif first.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        first = first[:-2]
    elif first.endswith("s") and not first.endswith("ss"):
        first = first[:-1]
    return f"{first} {rest}".strip()


def pluralize(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    return noun + "s"


#: Irregular past tenses of relationship verbs, with their base forms.
_IRREGULAR_PAST = {"saw": "see", "sent": "send", "took": "take", "wrote": "write", "made": "make", "won": "win",
                   "gave": "give", "bought": "buy", "sold": "sell", "led": "lead", "held": "hold", "taught": "teach",
                   "built": "build", "paid": "pay", "met": "meet", "found": "find", "drove": "drive", "flew": "fly",
                   "ran": "run", "chose": "choose", "began": "begin", "grew": "grow", "spoke": "speak"}


def past_base(word: str) -> str | None:
    """The base form of a past-tense verb ('acted' -> 'act', 'placed' -> 'place', 'sent' -> 'send'), else None."""
    if word in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[word]
    if not word.endswith("ed") or len(word) < 5 or word in ("need", "feed", "seed", "speed", "breed"):
        return None
    stem = word[:-2]
    if word.endswith("ied"):
        return word[:-3] + "y"
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        return stem[:-1]  # shipped -> ship
    if stem.endswith(("c", "v", "ur", "at", "as", "iz", "ag", "us", "ot", "ir", "uc", "in")) and not stem.endswith(
            ("ain", "oin", "ein")):
        return stem + "e"  # placed, received, featured, created, released
    return stem


def ask_about(subject: str, verb: str) -> str:
    """'does the department employ' / 'is the project staffed by' / 'did the actor act in': the inverted question
    form (past-tense verbs take 'did' and their base form, never 'does' + past tense)."""
    first, _, rest = verb.partition(" ")
    if first in ("is", "are", "was", "were"):
        return f"{first} {subject} {rest}".strip()
    base = past_base(first)
    if base is not None:
        return f"did {subject} {base} {rest}".strip()
    return f"does {subject} {plural_verb(verb)}"


def negate(verb: str) -> str:
    """'do not employ' / 'did not act in' / 'are not owned by': a plural subject's negated verb."""
    first, _, rest = verb.partition(" ")
    if first in ("is", "are"):
        return f"are not {rest}".strip()
    if first in ("was", "were"):
        return f"were not {rest}".strip()
    base = past_base(first)
    if base is not None:
        return f"did not {base} {rest}".strip()
    return f"do not {plural_verb(verb)}"


def join_words(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,?.])", r"\1", text)
    return text[:1].upper() + text[1:]


# ----------------------------------------------------------------------------------------------- values
def _value(v, attr: Attribute, rng: random.Random, with_unit: bool = True, long_dates: bool = False) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, _dt.date):  # one style per question (the renderer decides), never ISO next to long form
        return f"{v:%B} {v.day}, {v.year}" if long_dates else v.isoformat()
    if isinstance(v, str):
        return rng.choice([v, f'"{v}"']) if attr.role is not Role.CATEGORY else v
    if isinstance(v, _decimal.Decimal):
        text = format(v, "f")
    else:
        text = str(v)
    if with_unit and attr.unit and rng.random() < 0.5:
        return f"{text} {attr.unit}"
    return text


class _Renderer:
    def __init__(self, query: Query, domain: Domain, rng: random.Random):
        self.q = query
        self.d = domain
        self.rng = rng
        self.ents = query.entities(domain)
        self.long_dates = rng.random() < 0.5  # every date of the question in one style

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    def attr(self, c: Col) -> Attribute:
        return self.q.attribute(self.d, c) if c.edge else self.ents[c.node].attribute(c.attribute)

    def edge_condition(self, f: Filter) -> str:
        """A condition on the link just named by a verb: 'with a billing position below 3'."""
        attr = self.attr(f.col)
        p = attr.phrase
        val = [_value(v, attr, self.rng, long_dates=self.long_dates) for v in f.values]
        op = f.op
        if op is Op.IS_TRUE:
            return self.pick([f"marked as {p}", f"with the {p} flag set", f"(flagged as {p})"])
        if op is Op.IS_FALSE:
            return self.pick([f"not marked as {p}", f"without the {p} flag", f"(not flagged as {p})"])
        if op is Op.YEAR:
            y = f.values[0]
            return self.pick([f"with the {p} in {y}", f"(the {p} falling in {y})", f"dated {y} for the {p}"])
        if op is Op.CONTAINS:
            x = f.values[0]
            return self.pick([f'with the {p} containing "{x}"', f'(the {p} containing "{x}" in any letter case)'])
        if op is Op.IN:
            either = " or ".join(val)
            return self.pick([f"with {a(p)} of {either}", f"(the {p} being {either})",
                              f"with the {p} either {either}"])
        if op is Op.BETWEEN:
            lo, hi = val
            return self.pick([f"with the {p} between {lo} and {hi}", f"(the {p} being from {lo} to {hi}, both included)",
                              f"with the {p} in the range {lo} to {hi}"])
        v = val[0]
        if op is Op.EQ:
            return self.pick([f"with {v} as the {p}", f"(the {p} being {v})", f"with the {p} equal to {v}"])
        if op is Op.NE:
            return self.pick([f"with the {p} other than {v}", f"(the {p} not being {v})",
                              f"with the {p} differing from {v}"])
        date = attr.role is Role.DATE
        words = {
            Op.GT: (["after", "later than"] if date else ["above", "greater than", "over", "more than"]),
            Op.LT: (["before", "earlier than"] if date else ["below", "less than", "under", "lower than"]),
            Op.GE: (["on or after", "no earlier than"] if date else ["at least", "no less than"]),
            Op.LE: (["on or before", "no later than"] if date else ["at most", "no more than", "not above"]),
        }[op]
        w = self.pick(words)
        return self.pick([f"with the {p} {w} {v}", f"(the {p} being {w} {v})", f"with {a(p)} {w} {v}"
                          if not p.startswith(("hour", "honest", "heir")) else f"with the {p} {w} {v}"])

    def edge_conds(self, node: int) -> str:
        """The conditions on the link walked into ``node``, joined with 'and'."""
        fs = [f for f in self.q.filters if f.col.edge and f.col.node == node]
        return "".join(" " + self.edge_condition(f) if i == 0 else " and " + self.edge_condition(f)
                       for i, f in enumerate(fs))

    # ------------------------------------------------------------------ conditions
    def condition(self, f: Filter, singular: bool = False) -> str:
        if f.col.edge:
            return self.edge_condition(f)
        attr = self.attr(f.col)
        p = attr.phrase
        be = "is" if singular else "are"
        val = [_value(v, attr, self.rng, long_dates=self.long_dates) for v in f.values]
        op, role = f.op, attr.role
        if role is Role.KEY:
            return self.pick([f"with ID {val[0]}", f"whose identifier is {val[0]}", f"with the id {val[0]}"])
        if op is Op.IS_NULL:
            return self.pick([f"with no {p} on record", f"whose {p} is unknown", f"that {'has' if singular else 'have'}"
                              f" no {p} recorded", f"missing {a(p)}"])
        if op is Op.NOT_NULL:
            return self.pick([f"with a known {p}", f"whose {p} is recorded",
                              f"that {'has' if singular else 'have'} {a(p)} on file"])
        if op is Op.IS_TRUE:
            return self.pick([f"flagged as {p}", f"that {be} marked as {p}", f"with the {p} flag set"])
        if op is Op.IS_FALSE:
            return self.pick([f"not flagged as {p}", f"that {be} not marked as {p}", f"without the {p} flag"])
        if op is Op.PREFIX:
            x = f.values[0]
            return self.pick([f'whose {p} starts with "{x}"', f'with {a(p)} beginning with "{x}"',
                              f'whose {p} begins with the letters "{x}"'])
        if op is Op.CONTAINS:
            x = f.values[0]
            return self.pick([f'whose {p} contains "{x}"', f'with "{x}" somewhere in the {p}',
                              f'whose {p} contains "{x}", ignoring case',
                              f'whose {p} includes the letters "{x}" in upper or lower case'])
        if op is Op.YEAR:
            y = f.values[0]
            return self.pick([f"whose {p} is in {y}", f"with {a(p)} in {y}", f"whose {p} falls in {y}",
                              f"with {a(p)} some time in {y}"])
        if op is Op.IN:
            listed = join_words(val) if len(val) > 2 else " or ".join(val)
            return self.pick([f"whose {p} is {listed}" if len(val) == 2 else f"whose {p} is one of {listed}",
                              f"with {a(p)} of {' or '.join(val)}",
                              f"whose {p} is either {' or '.join(val)}"])
        if op is Op.BETWEEN:
            lo, hi = val
            return self.pick([f"with {a(p)} between {lo} and {hi}", f"whose {p} lies in the range {lo} to {hi}",
                              f"whose {p} is from {lo} to {hi}, both included"])
        if role is Role.NAME and op is Op.EQ:
            return self.pick([f"named {val[0]}", f"called {val[0]}", f"whose {p} is {val[0]}"])
        date = role is Role.DATE
        v = val[0]
        if op is Op.EQ:
            if date:
                return self.pick([f"whose {p} is {v}", f"with {a(p)} on {v}", f"with {v} as their {p}"])
            return self.pick([f"whose {p} is {v}", f"with {a(p)} of {v}", f"with {v} as {p}"])
        if op is Op.NE:
            return self.pick([f"whose {p} is not {v}", f"with {a(p)} other than {v}", f"whose {p} differs from {v}"])
        words = {
            Op.GT: (["after", "later than"] if date else ["above", "greater than", "over", "more than"]),
            Op.LT: (["before", "earlier than"] if date else ["below", "less than", "under", "lower than"]),
            Op.GE: (["on or after", "no earlier than"] if date else ["at least", "no less than", "of at least"]),
            Op.LE: (["on or before", "no later than"] if date else ["at most", "no more than", "not above"]),
        }[op]
        w = self.pick(words)
        have = "has" if singular else "have"
        return self.pick([f"with {a(p)} {w} {v}", f"whose {p} is {w} {v}", f"that {have} {a(p)} {w} {v}"])

    def conds(self, node: int, singular: bool = False) -> str:
        fs = [f for f in self.q.filters if f.col.node == node and not f.col.edge]
        parts = [self.condition(f, singular) for f in fs]
        if node == 0 and self.q.either:
            parts.append("either " + " or ".join(self.condition(f, singular) for f in self.q.either))
        if not parts:
            return ""
        return " " + " and ".join(parts)

    # ------------------------------------------------------------------ nouns and paths
    def noun(self, node: int, plural: bool = False) -> str:
        e = self.ents[node]
        return e.plural if plural else e.noun

    def verb(self, hop_index: int, plural: bool) -> str:
        hop = self.q.path[hop_index]
        rel = self.d.relationship(hop.relationship)
        v = rel.verb if hop.forward else rel.inverse_verb
        return plural_verb(v) if plural else v

    def subject(self, plural: bool = True) -> str:
        """The root noun with its conditions and the path walked: 'employees that work in a department ...'."""
        text = self.noun(0, plural) + self.conds(0, not plural)
        for i in range(len(self.q.hops)):
            # the first hop's subject is the root (plural or not); later hops hang off a singular noun
            verb_plural = plural if i == 0 else False
            text += (f" that {self.verb(i, verb_plural)} {a(self.noun(i + 1))}{self.conds(i + 1, True)}"
                     f"{self.edge_conds(i + 1)}")
        return text

    def col_phrase(self, c: Col, qualify: bool) -> str:
        attr = self.attr(c)
        noun = self.noun(c.node)
        if c.edge:  # a relationship attribute belongs to no noun: 'the billing position'
            return f"the {attr.phrase}"
        if not qualify:
            return f"the {attr.phrase}"
        repeated = [e.name for e in self.ents].count(self.ents[c.node].name) > 1
        if repeated and c.node > 0:
            return f"the {attr.phrase} of the related {noun}"
        if attr.role is Role.NAME and attr.phrase == "name":
            return self.pick([f"the {noun} name", f"the name of the {noun}"])
        return f"the {noun} {attr.phrase}"

    def cols(self, items) -> str:
        qualify = len({c.node for c in items}) > 1 or any(c.node > 0 for c in items)
        return join_words([self.col_phrase(c, qualify) for c in items])

    def pinned(self) -> str:
        """'the employee with ID 12' / 'department named Research' for a root pinned by one equality filter."""
        f = next(f for f in self.q.filters if f.col.node == 0)
        return f"the {self.noun(0)} {self.condition(f, True)}"

    def func_words(self, agg: Agg) -> str:
        if agg.func is Func.AVG:
            return self.pick(["average", "mean"])
        if agg.func is Func.SUM:
            return self.pick(["total", "combined", "summed"])
        date = agg.col is not None and self.attr(agg.col).role is Role.DATE
        if agg.func is Func.MIN:
            return self.pick(["earliest", "first"] if date else ["lowest", "smallest", "minimum"])
        return self.pick(["latest", "most recent"] if date else ["highest", "largest", "maximum"])

    # ------------------------------------------------------------------ shapes
    def render(self) -> str:
        q = self.q
        if q.hops and q.hops[0].shortest:
            return self.shortest()
        if q.setop is not None:
            return self.setop()
        if any(isinstance(i, Concat) for i in q.select):
            return self.concat()
        if q.order_by is not None and q.order_by.nulls is not None:
            return self.nulls_ranked()
        if q.hops and q.hops[0].variable:
            return self.reach()
        if q.hops and q.hops[0].optional:
            return self.optional()
        if q.per_group is not None:
            return self.per_group()
        if q.without is not None:
            return self.anti()
        if q.above_average is not None:
            return self.nested()
        if q.group_by:
            return self.grouped()
        if q.aggregates:
            return self.aggregate()
        if q.order_by is not None:
            return self.ranked()
        return self.listing()

    def shortest(self) -> str:
        q = self.q
        n = q.hops[0].max_length
        verb = self.verb(0, False)
        start = self.pinned()
        end = next(f for f in q.filters if f.col.node == 1)
        target = f"the {self.noun(1)} {self.condition(end, True)}"
        link = f'"{verb}" links' if self.rng.random() < 0.5 else f"steps in which one {self.noun(0)} {verb} another"
        return self.pick([
            f"What is the smallest number of {link} leading from {start} to {target}, looking at most {n} deep?",
            f"Following {link}, how many steps does the shortest route from {start} to {target} take "
            f"(up to {n} steps)?",
            f"In how few {link} can {start} reach {target}? Consider routes of at most {n} links.",
        ])

    def setop(self) -> str:
        q = self.q
        roots = self.noun(0, True)
        verb = self.verb(0, True)
        thing = self.noun(1)
        left = f"{a(thing)} {self.condition(q.filters[0], True)}"
        right_cond = self.condition(q.setop.filters[0], True)
        right = f"{a(thing)} {right_cond}"
        kind = q.setop.kind
        if kind == "union":
            return self.pick([f"Which {roots} {verb} {left}, or {right}?",
                              f"List the {roots} that {verb} either {left} or {right} (or both).",
                              f"Find every {self.noun(0)} that {self.verb(0, False)} {left} or else {right}."])
        if kind == "intersect":
            return self.pick([f"Which {roots} {verb} both {left} and {right}?",
                              f"List the {roots} that {verb} {left} and also {right}.",
                              f"Find the {roots} that {verb} {left} as well as {right}."])
        return self.pick([f"Which {roots} {verb} {left} but no {thing} {right_cond}?",
                          f"List the {roots} that {verb} {left}, leaving out those that {verb} {right}.",
                          f"Find the {roots} that {verb} {left} and never {right}."])

    def concat(self) -> str:
        q = self.q
        item = next(i for i in q.select if isinstance(i, Concat))
        first, second = self.attr(item.first).phrase, self.attr(item.second).phrase
        subj = self.subject(True)
        return self.pick([f"List the {subj} as one text each: the {first} followed by the {second} in parentheses.",
                          f"Show each of the {subj} as a single label of the form '{first} ({second})'.",
                          f"Write out every one of the {subj} as its {first} with its {second} in brackets, "
                          "in one piece of text."])

    def nulls_ranked(self) -> str:
        q = self.q
        o = q.order_by
        attr = self.attr(o.item)
        p = attr.phrase
        date = attr.role is Role.DATE
        if date:
            way = "latest first" if o.descending else "earliest first"
        else:
            way = "highest first" if o.descending else "lowest first"
        subj = self.subject(True)
        where = "at the top" if o.nulls == "first" else "at the end"
        missing = self.pick([f"those with no {p} on record", f"the ones whose {p} is unknown",
                             f"any without a recorded {p}"])
        return self.pick([f"List the {subj} with their {p}, {way}, putting {missing} {where}.",
                          f"Show the {subj} ordered by {p} ({way}), with {missing} {where}.",
                          f"Rank the {subj} by {p}, {way}; {missing} go {where}."])

    def listing(self) -> str:
        q = self.q
        root_only = all(c.node == 0 for c in q.select)
        names_only = root_only and len(q.select) == 1 and self.attr(q.select[0]).role is Role.NAME
        node_filters = [f for f in q.filters if not f.col.edge]
        roots = [f for f in node_filters if f.col.node == 0]
        key = node_filters and all(f.col.node == 0 for f in node_filters) and len(node_filters) == 1 \
            and self.attr(node_filters[0].col).role is Role.KEY
        # one known root (by its key or its name) and conditions on the entity reached at most: a walk from it
        named = (len(roots) == 1 and roots[0].op is Op.EQ and self.attr(roots[0].col).role in (Role.KEY, Role.NAME)
                 and q.hops and all(f.col.node == len(q.hops) for f in node_filters if f is not roots[0]))
        if named and len(q.hops) == 2 and all(c.node == 2 for c in q.select):
            hop = q.hops[1]
            rel = self.d.relationship(hop.relationship)
            back = plural_verb(rel.inverse_verb if hop.forward else rel.verb)
            cols = [c for c in q.select if self.attr(c).role is not Role.NAME]
            also = f", with {self.cols(cols)}" if cols else ""
            target = self.noun(2, True) + self.conds(2)
            return self.pick([
                f"Which {target} {back} {a(self.noun(1))} that {self.pinned()} {self.verb(0, False)}{also}?",
                f"List the {target} that {back} some {self.noun(1)} {self.pinned()} {self.verb(0, False)}{also}.",
                f"Find every {self.noun(2)}{self.conds(2, True)} linked to {self.pinned()} through "
                f"{a(self.noun(1))} it {self.verb(0, False)}{also}.",
            ])
        if named and not key and len(q.hops) == 1 and all(c.node == 1 and not c.edge for c in q.select):
            key = True
        if (not key and not q.hops and len(node_filters) == 1 and roots and roots[0].op is Op.EQ
                and self.attr(roots[0].col).role is Role.NAME):
            key = True  # one instance named by its name: a lookup of its attributes
        if key and not q.hops:
            cols = self.cols(list(q.select))
            return self.pick([f"What is {cols} of {self.pinned()}?", f"Show {cols} of {self.pinned()}.",
                              f"Give me {cols} for {self.pinned()}.", f"Look up {cols} of {self.pinned()}."])
        if key and len(q.hops) == 1 and all(c.node == 1 for c in q.select):
            target = self.noun(1, True)
            verb = self.verb(0, False)
            extra = self.conds(1, False)
            verb += self.edge_conds(1)
            names = [c for c in q.select if c.edge or self.attr(c).role is not Role.NAME]
            also = f", with {self.cols(names).replace(self.noun(1) + ' ', '')}" if names else ""
            uniq = self.pick([" (each only once)", ", without repeats"]) if q.distinct else ""
            return self.pick([
                f"Which {target}{extra} {ask_about(self.pinned(), verb)}{also}{uniq}?",
                f"List the {target}{extra} that {self.pinned()} {verb}{also}{uniq}.",
                f"Find every {self.noun(1)}{self.conds(1, True)} that {self.pinned()} {verb}{also}{uniq}.",
            ])
        subj = self.subject(True)
        subj_one = self.subject(False)
        if q.distinct:
            cols = self.cols(list(q.select))
            if len(q.select) > 1:
                return self.pick([f"List the different combinations of {cols} for {subj}.",
                                  f"Give me {cols} of {subj}, without duplicates.",
                                  f"Show each pairing of {cols} only once, over all {subj}."])
            return self.pick([f"List the different values of {cols} for {subj}.",
                              f"What unique {cols.replace('the ', '', 1)} values occur among {subj}?",
                              f"Show each {cols.replace('the ', '', 1)} only once, over all {subj}.",
                              f"Give me {cols} of {subj}, without duplicates."])
        if names_only:
            return self.pick([f"List the {subj}.", f"Which are the {subj}?", f"Show all {subj}.",
                              f"Find every {subj_one}.", f"Give me the names of {subj}.",
                              f"What are the names of the {subj}?"])
        cols = self.cols(list(q.select))
        return self.pick([f"List {cols} of {subj}.", f"Show {cols} for all {subj}.",
                          f"What are {cols} of the {subj}?", f"Give me {cols} of every {subj_one}.",
                          f"For each {subj_one}, find {cols}.", f"Find {cols} of {subj}."])

    def percentage(self, agg: Agg) -> str:
        """The question for the share of the root's rows meeting a condition, which says how it is rounded."""
        p, c = self.noun(0, True), self.condition(agg.cond)
        return self.pick([f"What is the percentage of {p} {c} among all {p}, rounded to one decimal place?",
                          f"Out of all {p}, what percentage are {p} {c}? Round to one decimal place.",
                          f"Compute the percentage of {p} {c}, relative to all {p}, to one decimal place."])

    def ratio(self) -> str:
        """Rows per entity reached, among the entities that have at least one; says how it is rounded."""
        roots, one, many = self.noun(0, True) + self.conds(0), self.noun(1), self.noun(1, True)
        verb = self.verb(0, True)
        return self.pick([f"On average, how many {roots} does {a(one)} have, counting only {many} with at least "
                          f"one? Round to two decimal places.",
                          f"What is the average number of {roots} per {one}, over the {many} that have any, "
                          "rounded to two decimals?",
                          f"How many {roots} {verb} each {one} on average (among {many} with at least one), to two "
                          "decimal places?"])

    def grouped_percent(self) -> str:
        """Per category: the share meeting a condition, with the group's size before it when asked."""
        q = self.q
        p = self.noun(0, True)
        group = self.attr(q.group_by[0]).phrase
        pct = next(a for a in q.aggregates if a.func is Func.PERCENT)
        c = self.condition(pct.cond)
        if len(q.aggregates) > 1:
            return self.pick([f"For each {group}, give the number of {p} and the percentage of them {c}, "
                              "rounded to one decimal place.",
                              f"List every {group} with its number of {p} and, to one decimal place, the "
                              f"percentage of those {p} {c}.",
                              f"Per {group}, how many {p} are there, and what percentage of them are {p} {c} "
                              "(to one decimal place)?"])
        return self.pick([f"For each {group}, what is the percentage of {p} {c}, rounded to one decimal place?",
                          f"Show, per {group}, the percentage of {p} {c}, to one decimal place."])

    def optional(self) -> str:
        """Every root with its neighbours or their number, saying that roots without any are kept."""
        q = self.q
        roots, root = self.noun(0, True), self.noun(0)
        subj = roots + self.conds(0)
        many, verb, verbs = self.noun(1, True), self.verb(0, False), self.verb(0, True)
        label = self.col_phrase(q.select[0], False)
        if q.aggregates:
            return self.pick([f"For every one of the {subj}, give {label} and the number of {many} it {verb}, "
                              "with zero for those that have none.",
                              f"List {subj} with how many {many} each one {verb}, including {roots} that "
                              f"{verbs} none (count 0)."])
        other = self.col_phrase(q.select[1], False)
        return self.pick([f"List {subj} with {other} of each {self.noun(1)} they {verbs}, keeping {roots} "
                          f"that {verbs} none (with an empty value).",
                          f"For each of the {subj}, show {label} and {other} of every {self.noun(1)} it {verb}; "
                          f"{a(root)} that {verb} none still appears, with nothing next to it."])

    def reach(self) -> str:
        """Entities 1..N links away from a known one: the chain is said in words, with its longest length."""
        q = self.q
        n = q.hops[0].max_length
        many = self.noun(1, True)
        verb = self.verb(0, False)
        chain = self.pick([f"directly or through a chain of up to {n} such links",
                           f"directly or indirectly, at most {n} steps away",
                           f"within {n} steps, directly or through others"])
        if isinstance(q.select[0], Agg):
            return self.pick([f"Count the different {many} that {self.pinned()} {verb}, {chain}.",
                              f"How many different {many} are there that {self.pinned()} {verb}, {chain}?"])
        cols = join_words([self.col_phrase(c, False) for c in q.select])
        return self.pick([f"List the {many} that {self.pinned()} {verb}, {chain}.",
                          f"Which {many} are there that {self.pinned()} {verb}, {chain}?",
                          f"Give {cols} of every {self.noun(1)} that {self.pinned()} {verb}, {chain}."])

    def grouped_multi(self) -> str:
        """Per combination of two root columns (a date's year among them, possibly)."""
        q = self.q
        names = [f"{c.part} of the {self.attr(c).phrase}" if c.part else self.attr(c).phrase for c in q.group_by]
        if any(c.part == "month" for c in q.group_by):
            names[-1] += " (as YYYY-MM)"
        roots = self.noun(0, True) + self.conds(0)
        agg = q.aggregates[0]
        measure = (f"the number of {roots}" if agg.func is Func.COUNT
                   else f"the {self.func_words(agg)} {self.attr(agg.col).phrase} of {roots}")
        both = f"{names[0]} and {names[1]}"
        return self.pick([f"For each combination of {both}, what is {measure}?",
                          f"Break down {measure} by {both}.",
                          f"Show {measure} for every pair of {both} that occurs."])

    def timeline(self) -> str:
        """Per year or month of a date, in chronological order when the query orders."""
        q = self.q
        key = q.group_by[0]
        p = self.attr(key).phrase
        roots = self.noun(0, True) + self.conds(0)
        measure = f"the number of {roots}"
        for x in q.aggregates[1:]:
            measure += f" and their {self.func_words(x)} {self.attr(x.col).phrase}"
        if key.part == "year":
            period = self.pick([f"year of the {p}", f"{p} year"])
        else:
            period = self.pick([f"month of the {p} (written as year-month, like 2021-03)",
                                f"{p} month, given as YYYY-MM"])
        order = ""
        if q.order_by is not None:
            order = self.pick([", latest first", ", most recent first"] if q.order_by.descending
                              else [", in chronological order", ", earliest first"])
        return self.pick([f"For each {period}, what is {measure}{order}?",
                          f"Break down {measure} by {period}{order}.",
                          f"Show {measure} per {period}{order}."])

    def aggregate(self) -> str:
        q = self.q
        agg = q.aggregates[0]
        if agg.func is Func.PERCENT:
            return self.percentage(agg)
        if agg.func is Func.PER:
            return self.ratio()
        if agg.func is Func.COUNT and agg.col is None:
            if q.hops and any(f.col.node == 0 for f in q.filters):
                # a known root: count its neighbours
                target = self.noun(len(q.hops), True)
                verb = self.verb(0, False) + self.edge_conds(1)
                return self.pick([f"How many {target} {ask_about(self.pinned(), verb)}?",
                                  f"Count the {target} that {self.pinned()} {verb}.",
                                  f"What is the number of {target} that {self.pinned()} {verb}?"])
            subj = self.subject(True)
            return self.pick([f"How many {subj} are there?", f"Count the {subj}.",
                              f"What is the number of {subj}?", f"Give the total number of {subj}.",
                              f"Tell me how many {subj} exist."])
        if agg.col is not None and agg.col.edge and any(f.col.node == 0 for f in q.filters):
            # a known root: aggregate over its links
            target = self.noun(1, True)
            verb = self.verb(0, False) + self.edge_conds(1)
            p = self.attr(agg.col).phrase
            w = self.func_words(agg)
            return self.pick([f"What is the {w} {p} over the {target} that {self.pinned()} {verb}?",
                              f"Across all {target} that {self.pinned()} {verb}, what is the {w} {p}?",
                              f"Compute the {w} {p} for {self.pinned()}, over the {target} it {verb}."])
        subj = self.subject(True)
        if agg.func is Func.COUNT_DISTINCT:
            p = self.attr(agg.col).phrase
            return self.pick([f"How many different {p} values do {subj} have?",
                              f"Count the unique {p} values among {subj}.",
                              f"What is the number of different {p} values across {subj}?"])
        p = self.attr(agg.col).phrase
        w = self.func_words(agg)
        return self.pick([f"What is the {w} {p} of {subj}?", f"Find the {w} {p} across {subj}.",
                          f"Give me the {w} {p} among {subj}.", f"Compute the {w} {p} over all {subj}."])

    def agg_phrase(self, agg: Agg, plural_root: str) -> str:
        if agg.func is Func.COUNT and agg.col is None:
            return self.pick([f"the number of {plural_root}", f"how many {plural_root} there are",
                              f"the count of {plural_root}"])
        p = self.attr(agg.col).phrase
        if agg.func is Func.COUNT_DISTINCT and self.attr(agg.col).role is Role.KEY:
            return self.pick([f"the number of different {plural_root}", f"how many different {plural_root} there are"])
        if agg.func is Func.COUNT_DISTINCT:
            return f"the number of different {p} values among {plural_root}"
        return f"the {self.func_words(agg)} {p} of {plural_root}"

    def link(self, plural: bool, obj: str) -> str:
        """The path from the root to the last node, ending at ``obj``: 'work in it' /
        'work on a project that is owned by it'."""
        text = self.verb(0, plural)
        for i in range(1, len(self.q.hops)):
            text += f" {a(self.noun(i))}{self.conds(i, True)} that {self.verb(i, False)}"
        return f"{text} {obj}"

    def grouped_edge(self) -> str:
        """One side of a link with an aggregate over the links' attribute: 'each product and its total
        quantity over the purchases it appears in'."""
        q = self.q
        key, agg = q.group_by[0], q.aggregates[0]
        hop = q.hops[0]
        rel = self.d.relationship(hop.relationship)
        if key.node == 0:
            v, other = self.verb(0, False), self.noun(1, True)
        else:
            v, other = (rel.inverse_verb if hop.forward else rel.verb), self.noun(0, True)
        group, groups = self.noun(key.node), self.noun(key.node, True)
        p = self.attr(agg.col).phrase
        w = self.func_words(agg)
        if q.order_by is not None:
            k = q.limit or 1
            top = "highest" if q.order_by.descending else "lowest"
            if k == 1:
                return self.pick([f"Which {group} has the {top} {w} {p} over the {other} it {v}, and what is it?",
                                  f"Find the {group} with the {top} {w} {p} across the {other} it {v}, "
                                  "with that value.",
                                  f"Name the {group} whose {w} {p} over the {other} it {v} is the {top}, "
                                  "and give the value."])
            return self.pick([f"Which {k} {groups} have the {top} {w} {p} over the {other} they {plural_verb(v)}? "
                              "Include the values.",
                              f"List the {k} {groups} with the {top} {w} {p} across the {other} they "
                              f"{plural_verb(v)}, with the values.",
                              f"Show the top {k} {groups} by {w} {p} over the {other} they {plural_verb(v)} "
                              f"({top} first), with the values."])
        return self.pick([f"For each {group}, what is the {w} {p} over the {other} it {v}?",
                          f"Show the {w} {p} per {group}, across the {other} it {v}.",
                          f"List each {group} together with the {w} {p} over all {other} it {v}.",
                          f"Break down the {w} {p} per {group}, over the {other} each one {v}."])

    def banded(self) -> str:
        """'Sort the employees into "high" (a salary of at least 90000 USD) and "low" (the rest): how many are in
        each group?'"""
        q = self.q
        band = q.group_by[0]
        attr = self.attr(band.col)
        v = _value(band.threshold, attr, self.rng)
        roots = self.noun(0, True) + self.conds(0)
        rule = self.pick([f'"{band.above}" when the {attr.phrase} is at least {v} and "{band.below}" otherwise',
                          f'"{band.above}" ({a(attr.phrase)} of {v} or more) and "{band.below}" (the rest)'])
        measure = join_words([self.agg_phrase(x, "them") if x.col is not None else f"the number of {self.noun(0, True)}"
                              for x in q.aggregates])
        return self.pick([f"Label the {roots} {rule}: for each label, give {measure}.",
                          f"Split the {roots} into {rule}. Show {measure} in each group.",
                          f"Group the {roots} as {rule}; what is {measure} per group?"])

    def grouped(self) -> str:
        q = self.q
        key = q.group_by[0]
        agg = q.aggregates[0]
        if isinstance(key, Case):
            return self.banded()
        if any(a.func is Func.PERCENT for a in q.aggregates):
            return self.grouped_percent()
        if len(q.group_by) > 1:
            return self.grouped_multi()
        if key.part is not None:
            return self.timeline()
        if agg.col is not None and agg.col.edge and len(q.hops) == 1 and q.having is None:
            return self.grouped_edge()
        roots = self.noun(0, True) + self.conds(0)
        if key.node == 0:
            group = self.attr(key).phrase
            per = self.pick([f"for each {group}", f"per {group}", f"by {group}"])
            group_plural = pluralize(group)
            measure = join_words([self.agg_phrase(x, roots) for x in q.aggregates])
        else:
            group = self.noun(key.node)
            per = self.pick([f"for each {group}", f"for every {group}"])
            group_plural = self.noun(key.node, True)
            measure = join_words([self.agg_phrase(x, f"{roots} that {self.link(True, 'it')}")
                                  for x in q.aggregates])
        distinct = agg.func is Func.COUNT_DISTINCT
        counted = (lambda n: ("different " if distinct else "") + (self.noun(0) if n == 1 else self.noun(0, True))
                   + self.conds(0, n == 1))
        if q.having is not None:
            n = q.having.value
            more = "more than" if q.having.op is Op.GT else "at least"
            if key.node == 0:
                scope_q = f"{group_plural} shared by {more} {n} {counted(n)}"
                which = f"Which {group_plural} are shared by {more} {n} {counted(n)}"
            else:
                scope_q = f"{group_plural} that {more} {n} {counted(n)} {self.link(n != 1, '')}".rstrip()
                which = f"Which {group_plural} have {more} {n} {counted(n)} that {self.link(n != 1, 'them')}"
            if q.order_by is not None:
                k = q.limit or 1
                most = "most" if q.order_by.descending else "fewest"
                pick = f"which {k} have the {most}" if k > 1 else f"which one has the {most}"
                return self.pick([f"Among the {scope_q}, {pick}? Include the counts.",
                                  f"Of all {scope_q}, {pick}? Give the numbers as well."])
            return self.pick([f"{which}? Include the counts.",
                              f"List the {scope_q}, with how many.",
                              f"Show every one of the {scope_q}, and the number of them."])
        if q.order_by is not None:
            k = q.limit or 1
            most = "most" if q.order_by.descending else "fewest"
            many = counted(2)
            if key.node == 0:
                if k == 1:
                    return self.pick([f"Which {group} has the {most} {many}, and how many?",
                                      f"What is the {group} with the {most} {many}? Give the count."])
                return self.pick([f"Which {k} {group_plural} have the {most} {many}? Give the counts.",
                                  f"List the {k} {group_plural} with the {most} {many}, with counts."])
            if k == 1:
                return self.pick([f"Which {group} has the {most} {many} that {self.link(True, 'it')}, and how many?",
                                  f"Find the {group} with the {most} {many} that {self.link(True, 'it')}, "
                                  "with the count."])
            return self.pick([f"Which {k} {group_plural} have the {most} {many} that {self.link(True, 'them')}? "
                              "Include the numbers.",
                              f"Name the top {k} {group_plural} by number of {many} that {self.link(True, 'them')}, "
                              "with the counts."])
        return self.pick([f"{per.capitalize()}, what is {measure}?", f"Show {measure} {per}.",
                          f"Break down {measure} {per}.", f"List each {group} with {measure}."])

    def ranked(self) -> str:
        q = self.q
        o = q.order_by
        attr = self.attr(o.item)
        k = q.limit or 1
        date = attr.role is Role.DATE
        if date:
            top = "most recent" if o.descending else "earliest"
        else:
            top = self.pick(["highest", "largest"]) if o.descending else self.pick(["lowest", "smallest"])
        p = attr.phrase
        subj = self.subject(True)
        shown = [c for c in q.select if c != o.item and self.attr(c).role is not Role.NAME]
        extra = f", with {self.cols(shown)}" if shown else ""
        with_value = self.pick([f", showing the {p}", f" and their {p}"]) if o.item in q.select else ""
        if k == 1:
            one = self.subject(False)
            return self.pick([f"Which {one} has the {top} {p}{with_value}{extra}?",
                              f"Find the {one} with the {top} {p}{with_value}{extra}.",
                              f"Who is the {one} with the {top} {p}{with_value}{extra}?"
                              if self.ents[0].name_attribute else f"Show the {one} with the {top} {p}{extra}."])
        return self.pick([f"List the {k} {subj} with the {top} {p}{with_value}{extra}.",
                          f"Which {k} {subj} have the {top} {p}{with_value}{extra}?",
                          f"Show the top {k} {subj} by {p} ({top} first){with_value}{extra}.",
                          f"Give me the {k} {subj} whose {p} is the {top}{with_value}{extra}."])

    def anti(self) -> str:
        q = self.q
        hop = q.without
        rel = self.d.relationship(hop.relationship)
        other = self.d.entity(rel.target if hop.forward else rel.source)
        verb = rel.verb if hop.forward else rel.inverse_verb
        plural = self.noun(0, True) + self.conds(0)
        return self.pick([f"Which {plural} {negate(verb)} any {other.noun}?",
                          f"List the {plural} that {plural_verb(verb)} no {other.noun} at all.",
                          f"Find every {self.noun(0)}{self.conds(0, True)} that {verb} no {other.noun}.",
                          f"Show the {plural} without any {other.noun} they {plural_verb(verb)}."])

    def nested(self) -> str:
        q = self.q
        p = self.attr(q.above_average).phrase
        plural = self.noun(0, True) + self.conds(0)
        all_plural = self.noun(0, True)
        shown = self.pick([f", with their {p}", f" (show the {p} too)"]) if q.above_average in q.select else ""
        return self.pick([f"Which {plural} have {a(p)} above the average {p} of all {all_plural}{shown}?",
                          f"List the {plural} whose {p} is higher than the overall average{shown}.",
                          f"Find {plural} with an above-average {p}{shown}.",
                          f"Show the {plural} earning more {p} than the mean over every {self.noun(0)}{shown}."
                          if self.ents[0].attribute(q.above_average.attribute).unit else
                          f"Show the {plural} whose {p} exceeds the mean {p} of all {all_plural}{shown}."])

    def per_group(self) -> str:
        q = self.q
        pg = q.per_group
        attr = self.ents[0].attribute(pg.attribute)
        date = attr.role is Role.DATE
        top = ("most recent" if pg.descending else "earliest") if date else ("highest" if pg.descending else "lowest")
        group = self.noun(1)
        root, roots = self.noun(0), self.noun(0, True)
        verb = self.verb(0, True)
        p = attr.phrase
        cond = self.conds(0)
        show = self.pick([f"Show the {group}, the {root} and the {p}.", f"Give the {group}, {root} and {p}."])
        if pg.k == 1:
            return self.pick([
                f"For each {group}, which {root}{cond} that {self.verb(0, False)} it has the {top} {p}? {show}",
                f"Find, in every {group}, the {root}{cond} with the {top} {p}. {show}",
                f"Per {group}, which is the {root}{cond} with the {top} {p}? {show}",
            ])
        return self.pick([
            f"For each {group}, list the {pg.k} {roots}{cond} with the {top} {p}. {show}",
            f"Which {pg.k} {roots}{cond} have the {top} {p} within each {group} they {verb}? {show}",
            f"Show the top {pg.k} {roots}{cond} by {p} ({top} first) in every {group}. {show}",
        ])


#: Sentences that state how averages are rounded (every dialect's gold rounds them to two decimals).
ROUNDING_NOTES: tuple[str, ...] = ("Round to two decimal places.", "Give the result to two decimals.",
                                   "Round averages to 2 decimal places.")


def render_question(query: Query, domain: Domain, rng: random.Random) -> str:
    """One English question for ``query``; the wording depends on ``rng``. A question whose gold rounds an
    average says so."""
    text = sentence(_Renderer(query, domain, rng).render())
    if any(isinstance(i, Agg) and i.func is Func.AVG for i in query.select) and "decimal" not in text:
        text += " " + rng.choice(ROUNDING_NOTES)
    return text


def render_questions(query: Query, domain: Domain, rng: random.Random, k: int) -> list[str]:
    """Up to ``k`` distinct paraphrases of ``query`` (fewer when the templates run out)."""
    out: list[str] = []
    for _ in range(k * 12):
        text = render_question(query, domain, rng)
        if text not in out:
            out.append(text)
            if len(out) == k:
                break
    return out

"""Open-source software: repositories, developers' contributions, issues, languages and dependencies."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, DateAfter, Dates, Ints

DOMAIN, SPEC = build("software", "Open-source repositories, contributors, issues, languages and dependencies.", [
    entity("repository", "repository", "repositories", 90,
           name("name", Combo((V.PROGRAMMING_WORDS, V.SOFTWARE_NOUNS), "{}-{}")),
           category("license", ("MIT", "Apache-2.0", "GPL-3.0", "BSD-3-Clause", "MPL-2.0"), "licence"),
           number("stars", Ints(0, 90_000, log=False), "number of stars", unit="stars"),
           date("created_on", Dates("2010-01-01", "2024-10-31"), "creation date"),
           flag("is_archived", 0.1, "archived")),
    entity("developer", "developer", "developers", 120,
           name("login", Combo((tuple(n.lower() for n in V.FIRST_NAMES), tuple(str(n) for n in range(10, 99))),
                               "{}{}"), "username"),
           text("full_name", Combo((V.FIRST_NAMES, V.LAST_NAMES)), "full name", nullable=True, null_rate=0.2),
           category("home_country", V.COUNTRIES[:12], "country"),
           date("joined_on", Dates("2008-01-01", "2024-06-30"), "join date")),
    entity("ticket", "issue", "issues", 200,
           text("title", Combo((("Crash when", "Slow", "Wrong output for", "Support", "Docs unclear about",
                                 "Memory leak in", "Add option for"), tuple(s for s in V.SOFTWARE_NOUNS)),
                               "{} {}"), "title"),
           category("severity", ("Low", "Medium", "High", "Critical"), "severity"),
           date("opened_on", Dates("2020-01-01", "2024-12-31"), "opening date"),
           date("closed_on", DateAfter("opened_on", 0, 400, latest="2024-12-31"), "closing date", nullable=True,
                null_rate=0.3),
           number("comment_count", Ints(0, 120, log=False), "number of comments", unit="comments")),
    entity("prog_language", "programming language", "programming languages", 14,
           name("name", ("Python", "JavaScript", "TypeScript", "Rust", "Go", "Java", "C", "C++", "Ruby", "Kotlin",
                         "Swift", "Haskell", "Scala", "Elixir", "Zig", "OCaml")),
           category("paradigm", ("Multi-paradigm", "Functional", "Object-oriented", "Systems"), "paradigm"),
           number("first_appeared", Ints(1972, 2016), "year it first appeared"),
           flag("is_compiled", 0.55, "compiled")),
], [
    many_to_many("contributes_to", "developer", "repository", "contributes to", "receives contributions from",
                 number("commits", Ints(1, 3000, log=True), "number of commits", unit="commits"),
                 date("first_commit", DateAfter("target.created_on", 0, 600), "first commit date"),
                 per_source=(1, 4), empty_share=0.1, target_share=0.85),
    many_to_one("written_in", "repository", "prog_language", "is written in", "is used by", target_share=0.85),
    many_to_one("reported_in", "ticket", "repository", "was reported in", "tracks", target_share=0.7),
    many_to_one("assigned_to", "ticket", "developer", "is assigned to", "is working on", optional=True,
                coverage=0.6, target_share=0.6),
    many_to_many("depends_on", "repository", "repository", "depends on", "is a dependency of",
                 category("version_spec", ("^1.0", "^2.0", ">=0.5", "~3.1", "*"), "version constraint"),
                 source_column="dependent_id", target_column="dependency_id",
                 per_source=(0, 4), empty_share=0.2, target_share=0.6, acyclic=True),
])

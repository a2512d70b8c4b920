"""Academic publishing: papers, their authors, venues, institutions and citations between papers."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, Dates, Floats, Ints

DOMAIN, SPEC = build("publishing", "Academic papers, authors, venues, institutions and citations.", [
    entity("paper", "paper", "papers", 150,
           name("title", Combo((V.RESEARCH_VERBS, V.SCIENCE_TOPICS), "{} {}"), "title"),
           date("published_on", Dates("2005-01-01", "2024-12-31"), "publication date"),
           number("page_count", Ints(4, 40), "number of pages", unit="pages"),
           text("doi", Code("10.5555/####.#####"), "DOI", unique=True),
           flag("open_access", 0.45, "open access")),
    entity("author", "author", "authors", 160,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("field", ("Computer Science", "Biology", "Physics", "Chemistry", "Economics",
                              "Mathematics"), "research field"),
           number("h_index", Ints(1, 80, log=True), "h-index"),
           text("orcid", Code("0000-000#-####-####"), "ORCID", nullable=True, null_rate=0.3)),
    entity("venue", "venue", "venues", 25,
           name("name", Combo((V.COMPANY_STEMS, ("Conference on Computing", "Journal of Science",
                                                 "Symposium on Systems", "Workshop on Learning")), "{} {}")),
           category("venue_kind", ("Conference", "Journal", "Workshop"), "kind of venue"),
           number("impact_factor", Floats(0.5, 14.0), "impact factor", nullable=True, null_rate=0.3)),
    entity("institution", "institution", "institutions", 30,
           name("name", Combo((V.CITIES,), "University of {}")),
           category("country_name", V.COUNTRIES[:12], "country"),
           number("staff_count", Ints(300, 25_000, log=True), "staff size"),
           flag("is_public", 0.7, "public")),
], [
    many_to_many("wrote", "author", "paper", "wrote", "was written by",
                 number("author_order", Ints(1, 6), "author order"),
                 per_source=(1, 4), empty_share=0.1, target_share=0.95),
    many_to_one("published_in", "paper", "venue", "was published in", "published", target_share=0.85),
    many_to_one("affiliated_with", "author", "institution", "is affiliated with", "employs", optional=True,
                coverage=0.85, target_share=0.8),
    many_to_many("cites", "paper", "paper", "cites", "is cited by",
                 source_column="citing_paper_id", target_column="cited_paper_id",
                 per_source=(0, 5), empty_share=0.15, target_share=0.7, acyclic=True),
])

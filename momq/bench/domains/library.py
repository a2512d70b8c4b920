"""Library: books, their authors, branches, members and loans."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, DateAfter, Dates, Ints, Money

DOMAIN, SPEC = build("library", "A public library's books, authors, branches, members and loans.", [
    entity("book", "book", "books", 160,
           name("title", Combo((V.ADJECTIVES, V.NOUNS), "The {} {}"), "title"),
           category("genre", ("Fiction", "Mystery", "Biography", "History", "Science", "Fantasy", "Poetry",
                              "Children", "Travel")),
           number("page_count", Ints(64, 980), "number of pages", unit="pages"),
           date("published_on", Dates("1900-01-01", "2024-06-30"), "publication date"),
           text("isbn", Code("978-#-####-####-#"), "ISBN", unique=True)),
    entity("author", "author", "authors", 70,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("nationality", V.COUNTRIES[:12]),
           date("birth_date", Dates("1850-01-01", "1995-12-31"), "date of birth"),
           date("death_date", DateAfter("birth_date", 20_000, 35_000, latest="2024-12-31"), "date of death",
                nullable=True, null_rate=0.3)),
    entity("branch", "branch", "branches", 12,
           name("name", ("Central Library", "Riverside Branch", "Hillside Branch", "Old Town Branch",
                         "Harbor Branch", "University Branch", "Northgate Branch", "Southpark Branch",
                         "Eastfield Branch", "Westbrook Branch", "Lakeside Branch", "Greenway Branch")),
           text("street_address", Combo((tuple(str(n) for n in range(1, 200)), V.STREET_NAMES,
                                         V.STREET_SUFFIXES), "{} {} {}"), "address"),
           number("opening_hours", Ints(30, 72), "weekly opening hours", unit="hours"),
           flag("has_cafe", 0.4, "cafe")),
    entity("member", "member", "members", 150,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           date("joined_on", Dates("2005-01-01", "2024-12-31"), "membership date"),
           category("membership", ("Standard", "Student", "Senior", "Family", "Premium"), "membership plan"),
           number("fines_due", Money(0, 40), "unpaid fines", unit="USD"),
           text("card_number", Code("LIB-######"), "library card number", unique=True)),
], [
    many_to_many("written_by", "book", "author", "was written by", "wrote",
                 per_source=(1, 2), empty_share=0.03, target_share=0.9, skew=0.4),
    many_to_one("held_at", "book", "branch", "is held at", "holds", target_share=0.9),
    many_to_one("registered_at", "member", "branch", "is registered at", "registers", target_share=0.8),
    many_to_many("loan", "member", "book", "borrowed", "was borrowed by",
                 date("loan_date", Dates("2022-01-01", "2024-12-31"), "loan date"),
                 date("due_date", DateAfter("loan_date", 14, 28), "due date"),
                 flag("is_returned", 0.8, "returned"),
                 per_source=(1, 5), empty_share=0.2, target_share=0.75),
])

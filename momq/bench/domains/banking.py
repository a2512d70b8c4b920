"""Banking: clients, their accounts at branches, loans and transfers between accounts."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Code, Combo, DateAfter, Dates, Floats, Ints, Money, Phone

DOMAIN, SPEC = build("banking", "A bank's clients, accounts, branches, loans and transfers.", [
    entity("client", "client", "clients", 140,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           date("birth_date", Dates("1940-01-01", "2006-12-31"), "date of birth"),
           category("segment", ("Retail", "Premium", "Private", "Small Business"), "client segment"),
           number("credit_score", Ints(420, 850), "credit score"),
           text("phone", Phone(), "phone number", nullable=True, null_rate=0.15)),
    entity("bank_account", "account", "accounts", 200,
           text("iban", Code("DE## #### #### #### ####"), "IBAN", unique=True),
           category("account_kind", ("Checking", "Savings", "Business", "Joint"), "account kind"),
           number("current_balance", Money(10, 250_000, log=True), "balance", unit="USD"),
           number("interest_rate", Floats(0.0, 4.5), "interest rate", unit="percent"),
           date("opened_on", Dates("2000-01-01", "2024-12-31"), "opening date"),
           date("closed_on", DateAfter("opened_on", 100, 9000, latest="2024-12-31"), "closing date", nullable=True,
                null_rate=0.7)),
    entity("branch", "branch", "branches", 15,
           name("name", Combo((V.CITIES,), "{} Branch")),
           category("region", ("North", "South", "East", "West", "Central")),
           number("staff_count", Ints(4, 60), "number of staff", unit="employees"),
           flag("has_safe_deposit", 0.5, "safe deposit boxes")),
    entity("loan", "loan", "loans", 90,
           category("loan_kind", ("Mortgage", "Car", "Personal", "Student", "Business"), "loan kind"),
           number("principal", Money(2_000, 900_000, log=True, step=100), "principal", unit="USD"),
           number("annual_rate", Floats(1.5, 14.0), "annual interest rate", unit="percent"),
           date("issued_on", Dates("2010-01-01", "2024-12-31"), "issue date"),
           flag("is_defaulted", 0.06, "defaulted")),
], [
    many_to_one("owned_by", "bank_account", "client", "is owned by", "owns", target_share=0.9),
    many_to_one("opened_at", "bank_account", "branch", "was opened at", "holds", target_share=0.9),
    many_to_one("borrowed_by", "loan", "client", "was taken out by", "took out", target_share=0.5),
    many_to_many("transfer", "bank_account", "bank_account", "sent money to", "received money from",
                 number("amount", Money(5, 20_000, log=True), unit="USD"),
                 date("sent_on", Dates("2023-01-01", "2024-12-31"), "transfer date"),
                 source_column="from_account_id", target_column="to_account_id",
                 per_source=(1, 3), empty_share=0.35, target_share=0.8),
])

"""A small hand-written company domain with deterministic data, for the IR, compiler, NL and verify tests.

It exercises every IR construct: N:1 (optional and mandatory), N:M with an attribute, a self-relationship,
NULLs, flags, dates, decimals and names with apostrophes. It is not one of the benchmark's domains.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from momq.bench.er import Attribute, Cardinality, Domain, DomainData, Entity, Relationship, Role
from momq.schema.types import ValueType as T

DEPARTMENT = Entity("department", (
    Attribute("id", T.INTEGER, Role.KEY),
    Attribute("name", T.TEXT, Role.NAME),
    Attribute("city", T.TEXT, Role.CATEGORY),
    Attribute("budget", T.INTEGER, Role.NUMBER, nullable=True, unit="USD"),
), noun="department")

EMPLOYEE = Entity("employee", (
    Attribute("id", T.INTEGER, Role.KEY),
    Attribute("name", T.TEXT, Role.NAME),
    Attribute("title", T.TEXT, Role.CATEGORY, phrase="job title"),
    Attribute("salary", T.DECIMAL, Role.NUMBER, unit="USD"),
    Attribute("age", T.INTEGER, Role.NUMBER, nullable=True),
    Attribute("hire_date", T.DATE, Role.DATE, phrase="hire date"),
    Attribute("email", T.TEXT, Role.TEXT, nullable=True, phrase="email address"),
    Attribute("is_remote", T.BOOLEAN, Role.FLAG, phrase="remote"),
), noun="employee")

PROJECT = Entity("project", (
    Attribute("id", T.INTEGER, Role.KEY),
    Attribute("title", T.TEXT, Role.NAME),
    Attribute("status", T.TEXT, Role.CATEGORY),
    Attribute("start_date", T.DATE, Role.DATE, phrase="start date"),
    Attribute("cost", T.DECIMAL, Role.NUMBER, nullable=True, unit="USD"),
), noun="project")

TOY_DOMAIN = Domain(
    "toy_company", "Employees, their departments and the projects they work on.",
    (DEPARTMENT, EMPLOYEE, PROJECT),
    (
        Relationship("works_in", "employee", "department", Cardinality.MANY_TO_ONE, "works in", "employs",
                     optional=True),
        Relationship("reports_to", "employee", "employee", Cardinality.MANY_TO_ONE, "reports to", "manages",
                     fk_column="manager_id", optional=True),
        Relationship("owned_by", "project", "department", Cardinality.MANY_TO_ONE, "is owned by", "owns"),
        Relationship("works_on", "employee", "project", Cardinality.MANY_TO_MANY, "works on", "is staffed by",
                     attributes=(Attribute("hours", T.INTEGER, Role.NUMBER, phrase="hours per week"),)),
    ),
)

_FIRST = ["Ann", "Bob", "Chloé", "Dan", "Eve", "Finn", "Grace", "Hugo", "Ivy", "Jon", "Kim", "Liam", "Mia",
          "Noah", "Olga", "Paul"]
_LAST = ["O'Brien", "Smith", "Lee", "García", "Nakamura", "Brown", "Dubois", "Khan", "Novak", "Rossi"]
_TITLES = ["Engineer", "Analyst", "Manager", "Designer", "Intern"]
_CITIES = ["Berlin", "Lyon", "Osaka", "Austin"]
_STATUS = ["active", "done", "planned"]


def toy_data(seed: int = 7, employees: int = 48) -> DomainData:
    rng = random.Random(seed)
    departments = [
        {"id": i, "name": n, "city": _CITIES[i % len(_CITIES)],
         "budget": None if i == 5 else 100_000 * (i + 1) + 5_000 * i}
        for i, n in enumerate(["Research", "Sales", "Support", "Legal", "Marketing", "Archive"], start=1)
    ]
    emps = []
    used_names = set()
    for i in range(1, employees + 1):
        while True:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            if name not in used_names:
                used_names.add(name)
                break
        emps.append({
            "id": i, "name": name, "title": _TITLES[i % len(_TITLES)],
            "salary": Decimal(30_000 + 750 * i + rng.randrange(0, 100) * 10) / Decimal(1) + Decimal("0.50"),
            "age": None if i % 11 == 0 else 21 + (i * 7) % 40,
            "hire_date": dt.date(2010, 1, 1) + dt.timedelta(days=37 * i + rng.randrange(30)),
            "email": None if i % 9 == 0 else name.lower().replace(" ", ".").replace("'", "") + "@example.com",
            "is_remote": i % 3 == 0,
        })
    projects = [
        {"id": i, "title": t, "status": _STATUS[i % 3],
         "start_date": dt.date(2019, 1, 1) + dt.timedelta(days=45 * i),
         "cost": None if i == 4 else Decimal(10_000 + 2_500 * i) + Decimal("0.25")}
        for i, t in enumerate(["Atlas", "Beacon", "Comet", "Delta", "Ember", "Falcon", "Geyser", "Harbor"], start=1)
    ]
    works_in = [(e["id"], 1 + (e["id"] * 7) % 5, {}) for e in emps if e["id"] % 13 != 0]  # Archive has nobody
    reports_to = [(e["id"], 1 + (e["id"] - 1) // 8, {}) for e in emps if e["id"] > 6]
    owned_by = [(p["id"], 1 + p["id"] % 4, {}) for p in projects]
    works_on = []
    for e in emps:
        for p in rng.sample(range(1, len(projects) + 1), k=e["id"] % 3):
            works_on.append((e["id"], p, {"hours": 4 * rng.randrange(1, 10)}))
    return DomainData(TOY_DOMAIN, rows={"department": departments, "employee": emps, "project": projects},
                      links={"works_in": works_in, "reports_to": reports_to, "owned_by": owned_by,
                             "works_on": works_on}, seed=seed)

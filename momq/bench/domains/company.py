"""Company: departments, employees with a reporting line, projects and offices."""

from momq.bench import vocab as V
from momq.bench.domains._dsl import build, category, date, entity, flag, many_to_many, many_to_one, name, number, text
from momq.bench.generate import Combo, DateAfter, Dates, Email, Ints, Lookup, Money, Phone

DEPARTMENTS = ("Sales", "Marketing", "Engineering", "Finance", "Human Resources", "Legal", "Customer Support",
               "Operations", "Research", "Procurement", "Facilities", "Security", "Design", "Data Science",
               "Quality Assurance", "Logistics")

DOMAIN, SPEC = build("company", "A company's departments, employees, projects and offices.", [
    entity("department", "department", "departments", 14,
           name("name", DEPARTMENTS),
           number("budget", Money(200_000, 5_000_000, log=True, step=1000), unit="USD"),
           date("founded_on", Dates("1995-01-01", "2020-12-31"), "founding date"),
           flag("is_cost_center", 0.4, "cost center")),
    entity("employee", "employee", "employees", 150,
           name("name", Combo((V.FIRST_NAMES, V.LAST_NAMES))),
           category("job_title", ("Engineer", "Analyst", "Manager", "Sales Representative", "Designer",
                                  "Accountant", "Recruiter", "Director", "Intern"), "job title"),
           number("salary", Money(32_000, 210_000, step=500), unit="USD"),
           date("hire_date", Dates("2008-01-01", "2024-12-31"), "hire date"),
           text("email", Email("name", "company.example")),
           text("phone", Phone(), "phone number", nullable=True, null_rate=0.25),
           flag("is_remote", 0.3, "remote worker")),
    entity("project", "project", "projects", 40,
           name("name", Combo((V.ADJECTIVES, V.NOUNS), "Project {} {}")),
           category("stage", ("Active", "Planning", "Completed", "On Hold", "Cancelled"), "stage"),
           number("budget", Money(20_000, 2_000_000, log=True, step=100), unit="USD"),
           date("start_date", Dates("2018-01-01", "2024-06-30"), "start date"),
           date("end_date", DateAfter("start_date", 60, 900, latest="2024-12-31"), "end date", nullable=True,
                null_rate=0.2)),
    entity("office", "office", "offices", 20,
           name("city", V.CITIES),
           category("country_name", Lookup("city", V.CITY_COUNTRY), "country"),
           number("capacity", Ints(20, 800), "desk capacity", unit="desks"),
           date("opened_on", Dates("1998-01-01", "2023-12-31"), "opening date")),
], [
    many_to_one("works_in", "employee", "department", "works in", "employs", target_share=0.85),
    many_to_one("reports_to", "employee", "employee", "reports to", "manages", fk_column="manager_id",
                optional=True, coverage=0.9, target_share=0.15, acyclic=True),
    many_to_many("assigned_to", "employee", "project", "is assigned to", "is staffed with",
                 number("hours_per_week", Ints(2, 40), "hours per week", unit="hours"),
                 date("assigned_on", DateAfter("target.start_date", 0, 200), "assignment date"),
                 per_source=(1, 3), empty_share=0.2, target_share=0.85),
    many_to_one("located_in", "department", "office", "is located in", "houses", target_share=0.6),
])

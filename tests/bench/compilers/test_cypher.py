"""Cypher compile table: IR cases -> exact Cypher text (labels, relationship types, directions)."""

from __future__ import annotations

from momq.bench.compilers import compile_query
from tests.bench.compilers.cases import string_literal_test, table_tests
from tests.bench.toy_domain import TOY_DOMAIN

EXPECTED = {
    "compare": """\
MATCH (e:Employee)
WHERE e.salary > 50000.5
RETURN e.name AS name, e.salary AS salary""",
    "by_key": """\
MATCH (e:Employee {id: 3})
RETURN e.name AS name, e.hire_date AS hire_date""",
    "neighbours_of_key": """\
MATCH (d:Department {id: 3})<-[:WORKS_IN]-(e:Employee)
RETURN e.name AS name""",
    "apostrophe_and_flag": """\
MATCH (e:Employee)
WHERE e.name = "Ann O'Brien" AND e.is_remote = true
RETURN e.name AS name""",
    "join_in": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WHERE d.city IN ['Lyon', 'Osaka']
RETURN e.name AS employee_name, d.name AS department_name""",
    "join2_prefix": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)-[:OWNED_BY]->(d:Department)
WHERE e.name STARTS WITH 'Ann'
RETURN DISTINCT d.name AS name""",
    "group_having_top": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WITH d.name AS name, count(*) AS num_employees
WHERE num_employees > 5
RETURN name, num_employees
ORDER BY num_employees DESC, name
LIMIT 3""",
    "group_avg": """\
MATCH (e:Employee)
RETURN e.title AS title, round(avg(e.salary) * 100) / 100.0 AS avg_salary""",
    "top_nullable": """\
MATCH (e:Employee)
WHERE e.age IS NOT NULL
RETURN e.name AS name, e.age AS age
ORDER BY age DESC, e.id
LIMIT 3""",
    "count_range": """\
MATCH (e:Employee)
WHERE e.hire_date >= '2011-01-01' AND e.hire_date <= '2012-12-31'
RETURN count(*) AS num_employees""",
    "anti": """\
MATCH (d:Department)
WHERE NOT (d)<-[:WORKS_IN]-(:Employee)
RETURN d.name AS name""",
    "nested": """\
MATCH (e2:Employee)
WITH avg(e2.salary) AS average
MATCH (e:Employee)
WHERE e.salary > average
RETURN e.name AS name, e.salary AS salary""",
    "per_group": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WITH d, e ORDER BY e.salary DESC, e.id
WITH d, collect(e)[..2] AS top
UNWIND top AS e
RETURN d.name AS department_name, e.name AS employee_name, e.salary AS salary""",
    "null_test": """\
MATCH (p:Project)
WHERE p.cost IS NULL
RETURN p.title AS title""",
    "edge_of_key": """\
MATCH (p:Project {id: 3})<-[wo:WORKS_ON]-(e:Employee)
WHERE wo.hours >= 8
RETURN e.name AS name, wo.hours AS hours""",
    "edge_filter": """\
MATCH (e:Employee)-[wo:WORKS_ON]->(p:Project)
WHERE wo.hours >= 20 AND wo.hours <= 28 AND p.status = 'active'
RETURN e.name AS name, p.title AS title, wo.hours AS hours""",
    "edge_sum": """\
MATCH (p:Project)<-[wo:WORKS_ON]-(e:Employee)
RETURN p.title AS title, sum(wo.hours) AS sum_hours
ORDER BY sum_hours, title
LIMIT 3""",
    "year_contains": """\
MATCH (e:Employee)
WHERE e.hire_date STARTS WITH '2011' AND toLower(e.name) CONTAINS 'ann'
RETURN e.name AS name""",
    "neighbours_contains": """\
MATCH (d:Department {id: 3})<-[:WORKS_IN]-(e:Employee)
WHERE toLower(e.name) CONTAINS 'li'
RETURN e.name AS name""",
    "flag_false_date": """\
MATCH (e:Employee)
WHERE e.is_remote = false AND e.hire_date < '2012-01-01'
RETURN e.name AS name""",
    "join_year_count": """\
MATCH (d:Department)<-[:WORKS_IN]-(e:Employee)
WHERE e.hire_date STARTS WITH '2012'
RETURN d.name AS name, count(*) AS num_departments""",
    "percent_flag": """\
MATCH (e:Employee)
RETURN round(1000.0 * count(CASE WHEN e.is_remote = true THEN 1 END) / count(*)) / 10.0 AS percent_is_remote""",
    "percent_grouped": """\
MATCH (e:Employee)
RETURN e.title AS title, count(*) AS num_employees, \
round(1000.0 * count(CASE WHEN e.hire_date STARTS WITH '2011' THEN 1 END) / count(*)) / 10.0 AS percent_hire_date""",
    "by_year": """\
MATCH (e:Employee)
RETURN toInteger(left(e.hire_date, 4)) AS hire_date_year, count(*) AS num_employees, \
round(avg(e.salary) * 100) / 100.0 AS avg_salary
ORDER BY hire_date_year""",
    "by_month": """\
MATCH (p:Project)
WHERE p.status = 'active'
RETURN left(p.start_date, 7) AS start_date_month, count(*) AS num_projects""",
    "reach_down": """\
MATCH p = (e:Employee {id: 1})<-[:REPORTS_TO*1..3]-(e2:Employee)
RETURN DISTINCT e2.name AS name""",
    "reach_up_count": """\
MATCH p = (e:Employee {id: 40})-[:REPORTS_TO*1..2]->(e2:Employee)
RETURN count(DISTINCT e2.id) AS count_distinct_id""",
    "per_department": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WHERE e.is_remote = true
RETURN round(100.0 * count(*) / count(DISTINCT d.id)) / 100.0 AS per_department""",
    "join3": """\
MATCH (d:Department)<-[:WORKS_IN]-(e:Employee)-[:WORKS_ON]->(p:Project)-[:OWNED_BY]->(d2:Department)
WHERE d.name = 'Research'
RETURN DISTINCT d2.name AS name""",
    "optional_names": """\
MATCH (d:Department)
WHERE d.city = 'Lyon'
OPTIONAL MATCH (d)<-[:WORKS_IN]-(e:Employee)
RETURN d.name AS department_name, e.name AS employee_name""",
    "optional_count": """\
MATCH (p:Project)
OPTIONAL MATCH (p)<-[:WORKS_ON]-(e:Employee)
RETURN p.title AS title, count(e.id) AS count_id""",
    "group_two": """\
MATCH (e:Employee)
RETURN e.title AS title, toInteger(left(e.hire_date, 4)) AS hire_date_year, count(*) AS num_employees""",
    "or_filters": """\
MATCH (e:Employee)
WHERE e.is_remote = true AND (e.title = 'Analyst' OR e.salary > 90000)
RETURN e.name AS name""",
    "set_union": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.status = 'active'
RETURN e.name AS name
UNION
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.start_date < '2012-01-01'
RETURN e.name AS name""",
    "set_intersect": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.status = 'active'
MATCH (e)-[:WORKS_ON]->(p2:Project)
WHERE p2.start_date < '2012-01-01'
RETURN DISTINCT e.name AS name""",
    "set_except": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.status = 'active'
OPTIONAL MATCH (e)-[:WORKS_ON]->(p2:Project)
WHERE p2.start_date < '2012-01-01'
WITH e, count(p2) AS matches
WHERE matches = 0
RETURN DISTINCT e.name AS name""",
    "shortest_up": """\
MATCH (e:Employee {id: 40}), (e2:Employee {id: 1})
WITH shortestPath((e)-[:REPORTS_TO*1..4]->(e2)) AS p
RETURN length(p) AS hops""",
    "nulls_first": """\
MATCH (p:Project)
WHERE p.status = 'active'
RETURN p.title AS title, p.cost AS cost
ORDER BY p.cost IS NULL DESC, p.cost DESC, p.id""",
    "concat": """\
MATCH (e:Employee)
WHERE e.is_remote = true
RETURN e.name + ' (' + e.title + ')' AS name_title""",
    "walk_named": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE e.name = "Ann O'Brien" AND p.status = 'active'
RETURN p.title AS title""",
    "walk2_key": """\
MATCH (e:Employee {id: 3})-[:WORKS_ON]->(p:Project)-[:OWNED_BY]->(d:Department)
RETURN DISTINCT d.name AS name""",
    "band": """\
MATCH (e:Employee)
RETURN CASE WHEN e.salary >= 60000.5 THEN 'high' ELSE 'low' END AS salary_band, count(*) AS num_employees, round(avg(e.age) * 100) / 100.0 AS avg_age""",
}


test_every_case_has_an_expectation, test_compile_table = table_tests("cypher", EXPECTED)
test_string_literals = string_literal_test("cypher", [
    ("plain", "'plain'"),
    ("O'Brien", '"O\'Brien"'),
    ("both ' and \"", "'both \\' and \"'"),
    ("back\\slash", "'back\\\\slash'"),
])


def test_graph_literals_for_dates_and_decimals():
    import datetime as dt
    from decimal import Decimal

    from momq.bench.compilers.cypher import CypherCompiler

    c = CypherCompiler(TOY_DOMAIN)
    assert c.literal(dt.date(2020, 2, 29)) == "'2020-02-29'"  # graph dates are ISO strings
    assert c.literal(Decimal("12.50")) == "12.5"  # graph decimals are floats
    assert c.literal(True) == "true"


def test_variables_avoid_keywords_and_averages_round_portably():
    from tests.bench.compilers.quoting import DEVICE_DOMAIN, device_average

    assert compile_query(device_average(), "cypher", DEVICE_DOMAIN) == (
        "MATCH (d:Device)-[:OWNED_BY]->(do2:DeviceOwner)\n"
        "RETURN do2.label AS label, round(avg(do2.score) * 100) / 100.0 AS avg_score")

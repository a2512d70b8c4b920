"""nGQL compile table: IR cases -> exact nGQL text (FETCH / GO / LOOKUP where natural, MATCH otherwise)."""

from __future__ import annotations

from momq.bench.compilers import compile_query
from tests.bench.compilers.cases import string_literal_test, table_tests
from tests.bench.toy_domain import TOY_DOMAIN

EXPECTED = {
    "compare": """\
LOOKUP ON Employee WHERE Employee.salary > 50000.5 YIELD Employee.name AS name, Employee.salary AS salary""",
    "by_key": """\
FETCH PROP ON Employee "employee_3" YIELD Employee.name AS name, Employee.hire_date AS hire_date""",
    "neighbours_of_key": 'GO FROM "department_3" OVER WORKS_IN REVERSELY YIELD $$.Employee.name AS name',
    "apostrophe_and_flag": """\
MATCH (e:Employee)
WHERE e.Employee.name == "Ann O'Brien" AND e.Employee.is_remote == true
RETURN e.Employee.name AS name""",
    "join_in": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WHERE d.Department.city IN ["Lyon", "Osaka"]
RETURN e.Employee.name AS employee_name, d.Department.name AS department_name""",
    "join2_prefix": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)-[:OWNED_BY]->(d:Department)
WHERE e.Employee.name STARTS WITH "Ann"
RETURN DISTINCT d.Department.name AS name""",
    "group_having_top": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WITH d.Department.name AS name, count(*) AS num_employees
WHERE num_employees > 5
RETURN name, num_employees
ORDER BY num_employees DESC, name
LIMIT 3""",
    "group_avg": """\
MATCH (e:Employee)
RETURN e.Employee.title AS title, round(avg(e.Employee.salary) * 100) / 100.0 AS avg_salary""",
    "top_nullable": """\
MATCH (e:Employee)
WHERE e.Employee.age IS NOT NULL
RETURN e.Employee.name AS name, e.Employee.age AS age
ORDER BY age DESC
LIMIT 3""",
    "count_range": """\
LOOKUP ON Employee WHERE Employee.hire_date >= "2011-01-01" AND Employee.hire_date <= "2012-12-31" YIELD id(vertex) AS vid | YIELD count(*) AS num_employees""",
    "anti": """\
MATCH (d:Department)
OPTIONAL MATCH (d)<-[:WORKS_IN]-(o:Employee)
WITH d, count(o) AS links
WHERE links == 0
RETURN d.Department.name AS name""",
    "nested": """\
MATCH (e2:Employee)
WITH avg(e2.Employee.salary) AS average
MATCH (e:Employee)
WHERE e.Employee.salary > average
RETURN e.Employee.name AS name, e.Employee.salary AS salary""",
    "per_group": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
MATCH (peer:Employee)-[:WORKS_IN]->(d)
WHERE peer.Employee.salary >= e.Employee.salary
WITH d, e, count(peer) AS place
WHERE place <= 2
RETURN d.Department.name AS department_name, e.Employee.name AS employee_name, e.Employee.salary AS salary""",
    "null_test": """\
MATCH (p:Project)
WHERE p.Project.cost IS NULL
RETURN p.Project.title AS title""",
    "edge_of_key": """\
GO FROM "project_3" OVER WORKS_ON REVERSELY WHERE WORKS_ON.hours >= 8 YIELD $$.Employee.name AS name, WORKS_ON.hours AS hours""",
    "edge_filter": """\
MATCH (e:Employee)-[wo:WORKS_ON]->(p:Project)
WHERE wo.hours >= 20 AND wo.hours <= 28 AND p.Project.status == "active"
RETURN e.Employee.name AS name, p.Project.title AS title, wo.hours AS hours""",
    "edge_sum": """\
MATCH (p:Project)<-[wo:WORKS_ON]-(e:Employee)
RETURN p.Project.title AS title, sum(wo.hours) AS sum_hours
ORDER BY sum_hours, title
LIMIT 3""",
    "year_contains": """\
MATCH (e:Employee)
WHERE e.Employee.hire_date STARTS WITH "2011" AND lower(e.Employee.name) CONTAINS "ann"
RETURN e.Employee.name AS name""",
    "neighbours_contains": \
        'GO FROM "department_3" OVER WORKS_IN REVERSELY WHERE lower($$.Employee.name) CONTAINS "li" '
        'YIELD $$.Employee.name AS name',
    "flag_false_date": """\
MATCH (e:Employee)
WHERE e.Employee.is_remote == false AND e.Employee.hire_date < "2012-01-01"
RETURN e.Employee.name AS name""",
    "join_year_count": """\
MATCH (d:Department)<-[:WORKS_IN]-(e:Employee)
WHERE e.Employee.hire_date STARTS WITH "2012"
RETURN d.Department.name AS name, count(*) AS num_departments""",
    "percent_flag": """\
MATCH (e:Employee)
RETURN round(1000.0 * count(CASE WHEN e.Employee.is_remote == true THEN 1 END) / count(*)) / 10.0 AS percent_is_remote""",
    "percent_grouped": """\
MATCH (e:Employee)
RETURN e.Employee.title AS title, count(*) AS num_employees, \
round(1000.0 * count(CASE WHEN e.Employee.hire_date STARTS WITH "2011" THEN 1 END) / count(*)) / 10.0 \
AS percent_hire_date""",
    "by_year": """\
MATCH (e:Employee)
RETURN toInteger(left(e.Employee.hire_date, 4)) AS hire_date_year, count(*) AS num_employees, \
round(avg(e.Employee.salary) * 100) / 100.0 AS avg_salary
ORDER BY hire_date_year""",
    "by_month": """\
MATCH (p:Project)
WHERE p.Project.status == "active"
RETURN left(p.Project.start_date, 7) AS start_date_month, count(*) AS num_projects""",
    "reach_down": 'GO 1 TO 3 STEPS FROM "employee_1" OVER REPORTS_TO REVERSELY YIELD DISTINCT $$.Employee.name AS name',
    "reach_up_count": 'GO 1 TO 2 STEPS FROM "employee_40" OVER REPORTS_TO YIELD DISTINCT id($$) AS vid '
                      '| YIELD count(*) AS count_distinct_id',
    "per_department": """\
MATCH (e:Employee)-[:WORKS_IN]->(d:Department)
WHERE e.Employee.is_remote == true
RETURN round(100.0 * count(*) / count(DISTINCT d.Department.id)) / 100.0 AS per_department""",
    "join3": """\
MATCH (d:Department)<-[:WORKS_IN]-(e:Employee)-[:WORKS_ON]->(p:Project)-[:OWNED_BY]->(d2:Department)
WHERE d.Department.name == "Research"
RETURN DISTINCT d2.Department.name AS name""",
    "optional_names": """\
MATCH (d:Department)
WHERE d.Department.city == "Lyon"
OPTIONAL MATCH (d)<-[:WORKS_IN]-(e:Employee)
RETURN d.Department.name AS department_name, e.Employee.name AS employee_name""",
    "optional_count": """\
MATCH (p:Project)
OPTIONAL MATCH (p)<-[:WORKS_ON]-(e:Employee)
RETURN p.Project.title AS title, count(e.Employee.id) AS count_id""",
    "group_two": """\
MATCH (e:Employee)
RETURN e.Employee.title AS title, toInteger(left(e.Employee.hire_date, 4)) AS hire_date_year, \
count(*) AS num_employees""",
    "or_filters": """\
MATCH (e:Employee)
WHERE e.Employee.is_remote == true AND (e.Employee.title == "Analyst" OR e.Employee.salary > 90000)
RETURN e.Employee.name AS name""",
    "set_union": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.Project.status == "active"
RETURN e.Employee.name AS name
UNION
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.Project.start_date < "2012-01-01"
RETURN e.Employee.name AS name""",
    "set_intersect": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.Project.status == "active"
RETURN DISTINCT e.Employee.name AS name
INTERSECT
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.Project.start_date < "2012-01-01"
RETURN DISTINCT e.Employee.name AS name""",
    "set_except": """\
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.Project.status == "active"
RETURN DISTINCT e.Employee.name AS name
MINUS
MATCH (e:Employee)-[:WORKS_ON]->(p:Project)
WHERE p.Project.start_date < "2012-01-01"
RETURN DISTINCT e.Employee.name AS name""",
    "shortest_up": """\
MATCH p = (e:Employee)-[:REPORTS_TO*1..4]->(e2:Employee)
WHERE id(e) == "employee_40" AND id(e2) == "employee_1"
RETURN min(length(p)) AS hops""",
    "nulls_first": """\
MATCH (p:Project)
WHERE p.Project.status == "active"
WITH p.Project.title AS title, p.Project.cost AS cost, p.Project.id AS p_id, p.Project.cost IS NULL AS unknown
ORDER BY unknown DESC, cost DESC, p_id
RETURN title, cost""",
    "concat": """\
MATCH (e:Employee)
WHERE e.Employee.is_remote == true
RETURN concat(e.Employee.name, " (", e.Employee.title, ")") AS name_title""",
    "walk_named": """\
LOOKUP ON Employee WHERE Employee.name == "Ann O'Brien" YIELD id(vertex) AS vid | GO FROM $-.vid OVER WORKS_ON WHERE $$.Project.status == "active" YIELD $$.Project.title AS title""",
    "walk2_key": """\
GO FROM "employee_3" OVER WORKS_ON YIELD id($$) AS vid | GO FROM $-.vid OVER OWNED_BY YIELD DISTINCT $$.Department.name AS name""",
    "band": """\
MATCH (e:Employee)
RETURN CASE WHEN e.Employee.salary >= 60000.5 THEN "high" ELSE "low" END AS salary_band, count(*) AS num_employees, round(avg(e.Employee.age) * 100) / 100.0 AS avg_age""",
}


test_every_case_has_an_expectation, test_compile_table = table_tests("ngql", EXPECTED)
test_string_literals = string_literal_test("ngql", [
    ("O'Brien", '"O\'Brien"'),
    ('say "hi"', '"say \\"hi\\""'),
    ("back\\slash", '"back\\\\slash"'),
])


def test_sampled_queries_parse_with_the_ngql_grammar():
    from momq.bench.sample import sample_queries
    from momq.ngql.parser import parse
    from tests.bench.toy_domain import toy_data

    statements = {"MATCH": 0, "LOOKUP": 0, "FETCH": 0, "GO": 0}
    for q in sample_queries(toy_data(), 150, 5):
        text = compile_query(q, "ngql", TOY_DOMAIN)
        parse(text)  # raises NGQLSyntaxError on anything outside the grammar
        statements[text.split()[0]] += 1
    assert all(n > 0 for n in statements.values()), statements  # every statement kind is used

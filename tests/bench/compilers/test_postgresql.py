"""PostgreSQL compile table: IR cases -> exact PostgreSQL text; double quotes only around reserved words."""

from __future__ import annotations

from momq.bench.compilers import compile_query
from tests.bench.compilers.cases import table_tests

EXPECTED = {
    "compare": """\
SELECT name, salary
FROM employee
WHERE salary > 50000.5""",
    "by_key": """\
SELECT name, hire_date
FROM employee
WHERE id = 3""",
    "neighbours_of_key": """\
SELECT e.name
FROM department AS d
JOIN employee AS e ON e.department_id = d.id
WHERE d.id = 3""",
    "apostrophe_and_flag": """\
SELECT name
FROM employee
WHERE name = 'Ann O''Brien' AND is_remote = TRUE""",
    "join_in": """\
SELECT e.name, d.name
FROM employee AS e
JOIN department AS d ON d.id = e.department_id
WHERE d.city IN ('Lyon', 'Osaka')""",
    "join2_prefix": """\
SELECT DISTINCT d.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
JOIN department AS d ON d.id = p.department_id
WHERE e.name LIKE 'Ann%'""",
    "group_having_top": """\
SELECT d.name, COUNT(*)
FROM employee AS e
JOIN department AS d ON d.id = e.department_id
GROUP BY d.name
HAVING COUNT(*) > 5
ORDER BY COUNT(*) DESC, d.name
LIMIT 3""",
    "group_avg": """\
SELECT title, ROUND(AVG(salary), 2)
FROM employee
GROUP BY title""",
    "top_nullable": """\
SELECT name, age
FROM employee
WHERE age IS NOT NULL
ORDER BY age DESC, id
LIMIT 3""",
    "count_range": """\
SELECT COUNT(*)
FROM employee
WHERE hire_date BETWEEN '2011-01-01' AND '2012-12-31'""",
    "anti": """\
SELECT d.name
FROM department AS d
WHERE NOT EXISTS (SELECT 1 FROM employee AS e WHERE e.department_id = d.id)""",
    "nested": """\
SELECT name, salary
FROM employee
WHERE salary > (SELECT AVG(salary) FROM employee)""",
    "per_group": """\
SELECT d.name, e.name, e.salary
FROM (SELECT name, salary, department_id, ROW_NUMBER() OVER (PARTITION BY department_id ORDER BY salary DESC, id) AS rn FROM employee) AS e
JOIN department AS d ON d.id = e.department_id
WHERE e.rn <= 2""",
    "null_test": """\
SELECT title
FROM project
WHERE cost IS NULL""",
}


test_every_case_has_an_expectation, test_compile_table = table_tests("postgresql", EXPECTED)


def test_reserved_identifiers_get_double_quotes_and_backslashes_stay_literal():
    from tests.bench.compilers.quoting import QUOTING_DOMAIN, quoting_query

    # rank is not reserved in PostgreSQL; order is
    assert compile_query(quoting_query(), "postgresql", QUOTING_DOMAIN) == (
        "SELECT rank\nFROM \"order\"\nWHERE label = 'back\\slash ''quoted'''")


def test_average_of_a_double_is_cast_before_rounding_and_aliases_avoid_keywords():
    from tests.bench.compilers.quoting import DEVICE_DOMAIN, device_average

    assert compile_query(device_average(), "postgresql", DEVICE_DOMAIN) == (
        "SELECT do2.label, ROUND(AVG(do2.score)::numeric, 2)\n"
        "FROM device AS d\n"
        "JOIN device_owner AS do2 ON do2.id = d.device_owner_id\n"
        "GROUP BY do2.label")

"""The expected text of the toy compile cases in both SQL dialects.

``SQL_EXPECTED`` holds the text the two dialects share; ``MYSQL_ONLY`` and ``POSTGRES_ONLY`` the cases whose
idioms differ (date parts, case-insensitive matching, date literals, boolean tests). Quoting and casts before
ROUND are tested in each dialect's file.
"""

SQL_EXPECTED = {
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
    "edge_of_key": """\
SELECT e.name, wo.hours
FROM project AS p
JOIN works_on AS wo ON wo.project_id = p.id
JOIN employee AS e ON e.id = wo.employee_id
WHERE p.id = 3 AND wo.hours >= 8""",
    "edge_filter": """\
SELECT e.name, p.title, wo.hours
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE wo.hours BETWEEN 20 AND 28 AND p.status = 'active'""",
    "edge_sum": """\
SELECT p.title, SUM(wo.hours)
FROM project AS p
JOIN works_on AS wo ON wo.project_id = p.id
JOIN employee AS e ON e.id = wo.employee_id
GROUP BY p.title
ORDER BY SUM(wo.hours), p.title
LIMIT 3""",
    "reach_down": """\
WITH RECURSIVE reach (id, depth) AS (
  SELECT id, 1 FROM employee WHERE manager_id = 1
  UNION ALL
  SELECT x.id, r.depth + 1 FROM reach AS r JOIN employee AS x ON x.manager_id = r.id WHERE r.depth < 3
)
SELECT DISTINCT e.name
FROM reach AS r JOIN employee AS e ON e.id = r.id""",
    "reach_up_count": """\
WITH RECURSIVE reach (id, depth) AS (
  SELECT manager_id, 1 FROM employee WHERE id = 40 AND manager_id IS NOT NULL
  UNION ALL
  SELECT x.manager_id, r.depth + 1 FROM reach AS r JOIN employee AS x ON x.id = r.id WHERE r.depth < 2 AND x.manager_id IS NOT NULL
)
SELECT COUNT(DISTINCT id)
FROM reach""",
    "join3": """\
SELECT DISTINCT d2.name
FROM department AS d
JOIN employee AS e ON e.department_id = d.id
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
JOIN department AS d2 ON d2.id = p.department_id
WHERE d.name = 'Research'""",
    "optional_names": """\
SELECT d.name, e.name
FROM department AS d
LEFT JOIN employee AS e ON e.department_id = d.id
WHERE d.city = 'Lyon'""",
    "optional_count": """\
SELECT p.title, COUNT(e.id)
FROM project AS p
LEFT JOIN works_on AS wo ON wo.project_id = p.id
LEFT JOIN employee AS e ON e.id = wo.employee_id
GROUP BY p.title""",
    "walk_named": """\
SELECT p.title
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE e.name = 'Ann O''Brien' AND p.status = 'active'""",
    "walk2_key": """\
SELECT DISTINCT d.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
JOIN department AS d ON d.id = p.department_id
WHERE e.id = 3""",
    "band": """\
SELECT CASE WHEN salary >= 60000.5 THEN 'high' ELSE 'low' END, COUNT(*), ROUND(AVG(age), 2)
FROM employee
GROUP BY CASE WHEN salary >= 60000.5 THEN 'high' ELSE 'low' END""",
}

MYSQL_ONLY = {
    "year_contains": """\
SELECT name
FROM employee
WHERE YEAR(hire_date) = 2011 AND name LIKE '%ann%'""",
    "neighbours_contains": """\
SELECT e.name
FROM department AS d
JOIN employee AS e ON e.department_id = d.id
WHERE d.id = 3 AND e.name LIKE '%li%'""",
    "flag_false_date": """\
SELECT name
FROM employee
WHERE is_remote = FALSE AND hire_date < '2012-01-01'""",
    "join_year_count": """\
SELECT d.name, COUNT(*)
FROM department AS d
JOIN employee AS e ON e.department_id = d.id
WHERE YEAR(e.hire_date) = 2012
GROUP BY d.name""",
    "percent_flag": """\
SELECT ROUND(100 * SUM(is_remote = TRUE) / COUNT(*), 1)
FROM employee""",
    "percent_grouped": """\
SELECT title, COUNT(*), ROUND(100 * SUM(YEAR(hire_date) = 2011) / COUNT(*), 1)
FROM employee
GROUP BY title""",
    "by_year": """\
SELECT YEAR(hire_date), COUNT(*), ROUND(AVG(salary), 2)
FROM employee
GROUP BY YEAR(hire_date)
ORDER BY YEAR(hire_date)""",
    "by_month": """\
SELECT DATE_FORMAT(start_date, '%Y-%m'), COUNT(*)
FROM project
WHERE status = 'active'
GROUP BY DATE_FORMAT(start_date, '%Y-%m')""",
    "per_department": """\
SELECT ROUND(COUNT(*) / COUNT(DISTINCT d.id), 2)
FROM employee AS e
JOIN department AS d ON d.id = e.department_id
WHERE e.is_remote = TRUE""",
    "group_two": """\
SELECT title, YEAR(hire_date), COUNT(*)
FROM employee
GROUP BY title, YEAR(hire_date)""",
    "or_filters": """\
SELECT name
FROM employee
WHERE is_remote = TRUE AND (title = 'Analyst' OR salary > 90000)""",
    "set_union": """\
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.status = 'active'
UNION
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.start_date < '2012-01-01'""",
    "set_intersect": """\
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.status = 'active'
INTERSECT
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.start_date < '2012-01-01'""",
    "set_except": """\
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.status = 'active'
EXCEPT
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.start_date < '2012-01-01'""",
    "shortest_up": """\
WITH RECURSIVE reach (id, depth) AS (
  SELECT manager_id, 1 FROM employee WHERE id = 40 AND manager_id IS NOT NULL
  UNION ALL
  SELECT x.manager_id, r.depth + 1 FROM reach AS r JOIN employee AS x ON x.id = r.id WHERE r.depth < 4 AND x.manager_id IS NOT NULL
)
SELECT MIN(depth) AS hops
FROM reach WHERE id = 1""",
    "nulls_first": """\
SELECT title, cost
FROM project
WHERE status = 'active'
ORDER BY ISNULL(cost) DESC, cost DESC, id""",
    "concat": """\
SELECT CONCAT(name, ' (', title, ')')
FROM employee
WHERE is_remote = TRUE""",
}

POSTGRES_ONLY = {
    "apostrophe_and_flag": """\
SELECT name
FROM employee
WHERE name = 'Ann O''Brien' AND is_remote""",
    "count_range": """\
SELECT COUNT(*)
FROM employee
WHERE hire_date BETWEEN DATE '2011-01-01' AND DATE '2012-12-31'""",
    "year_contains": """\
SELECT name
FROM employee
WHERE EXTRACT(YEAR FROM hire_date) = 2011 AND name ILIKE '%ann%'""",
    "neighbours_contains": """\
SELECT e.name
FROM department AS d
JOIN employee AS e ON e.department_id = d.id
WHERE d.id = 3 AND e.name ILIKE '%li%'""",
    "flag_false_date": """\
SELECT name
FROM employee
WHERE NOT is_remote AND hire_date < DATE '2012-01-01'""",
    "join_year_count": """\
SELECT d.name, COUNT(*)
FROM department AS d
JOIN employee AS e ON e.department_id = d.id
WHERE EXTRACT(YEAR FROM e.hire_date) = 2012
GROUP BY d.name""",
    "percent_flag": """\
SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE is_remote) / COUNT(*), 1)
FROM employee""",
    "percent_grouped": """\
SELECT title, COUNT(*), ROUND(100.0 * COUNT(*) FILTER (WHERE EXTRACT(YEAR FROM hire_date) = 2011) / COUNT(*), 1)
FROM employee
GROUP BY title""",
    "by_year": """\
SELECT EXTRACT(YEAR FROM hire_date), COUNT(*), ROUND(AVG(salary), 2)
FROM employee
GROUP BY EXTRACT(YEAR FROM hire_date)
ORDER BY EXTRACT(YEAR FROM hire_date)""",
    "by_month": """\
SELECT to_char(start_date, 'YYYY-MM'), COUNT(*)
FROM project
WHERE status = 'active'
GROUP BY to_char(start_date, 'YYYY-MM')""",
    "per_department": """\
SELECT ROUND(COUNT(*)::numeric / COUNT(DISTINCT d.id), 2)
FROM employee AS e
JOIN department AS d ON d.id = e.department_id
WHERE e.is_remote""",
    "group_two": """\
SELECT title, EXTRACT(YEAR FROM hire_date), COUNT(*)
FROM employee
GROUP BY title, EXTRACT(YEAR FROM hire_date)""",
    "or_filters": """\
SELECT name
FROM employee
WHERE is_remote AND (title = 'Analyst' OR salary > 90000)""",
    "set_union": """\
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.status = 'active'
UNION
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.start_date < DATE '2012-01-01'""",
    "set_intersect": """\
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.status = 'active'
INTERSECT
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.start_date < DATE '2012-01-01'""",
    "set_except": """\
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.status = 'active'
EXCEPT
SELECT e.name
FROM employee AS e
JOIN works_on AS wo ON wo.employee_id = e.id
JOIN project AS p ON p.id = wo.project_id
WHERE p.start_date < DATE '2012-01-01'""",
    "shortest_up": """\
WITH RECURSIVE reach (id, depth) AS (
  SELECT manager_id, 1 FROM employee WHERE id = 40 AND manager_id IS NOT NULL
  UNION ALL
  SELECT x.manager_id, r.depth + 1 FROM reach AS r JOIN employee AS x ON x.id = r.id WHERE r.depth < 4 AND x.manager_id IS NOT NULL
)
SELECT MIN(depth) AS hops
FROM reach WHERE id = 1""",
    "nulls_first": """\
SELECT title, cost
FROM project
WHERE status = 'active'
ORDER BY cost DESC NULLS FIRST, id""",
    "concat": """\
SELECT name || ' (' || title || ')'
FROM employee
WHERE is_remote""",
}

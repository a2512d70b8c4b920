// A small movie graph written the way Neo4j's example scripts are: several labels per node, list
// properties (genres, roles), MERGE, UNWIND, SET, LOAD CSV from a file beside the script, and Neo4j 5's
// index and constraint forms.
CREATE CONSTRAINT movie_title IF NOT EXISTS FOR (m:Movie) REQUIRE m.title IS UNIQUE;
CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name);

CREATE (matrix:Movie {title: 'The Matrix', released: 1999, genres: ['Action', 'Sci-Fi'], ratings: [8.7, 9.0]}),
       (unforgiven:Movie {title: 'Unforgiven', released: 1992, genres: ['Western'], ratings: [8.2]}),
       (keanu:Person:Actor {name: 'Keanu Reeves', born: 1964}),
       (clint:Person:Actor:Director {name: 'Clint Eastwood', born: 1930, awards: ['Oscar', 'Oscar']}),
       (keanu)-[:ACTED_IN {roles: ['Neo']}]->(matrix),
       (clint)-[:ACTED_IN {roles: ['Bill Munny']}]->(unforgiven),
       (clint)-[:DIRECTED]->(unforgiven);

// the Wachowskis direct; a statement may span lines; a ';' inside a string does not end it
UNWIND ['Lana Wachowski', 'Lilly Wachowski'] AS name
MERGE (d:Person {name: name})
SET d:Director, d.note = 'co-director; writer'
WITH d
MATCH (m:Movie {title: 'The Matrix'})
MERGE (d)-[:DIRECTED]->(m);

:begin
LOAD CSV WITH HEADERS FROM 'file:///cast.csv' AS row FIELDTERMINATOR ';'
MERGE (p:Person {name: row.name})
SET p:Actor, p.born = toInteger(row.born)
WITH p, row
MATCH (m:Movie {title: row.movie})
MERGE (p)-[r:ACTED_IN]->(m)
SET r.roles = split(row.roles, '|');
:commit

MATCH (m:Movie) SET m.tags = [g IN m.genres | toLower(g)];

INSERT INTO people (name) VALUES ('Alice');
INSERT INTO people (name) VALUES ('Bob');
INSERT INTO people (name) VALUES ('Carol');

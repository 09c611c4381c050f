INSERT INTO pets (name, kind, owner) VALUES ('Rex', 'dog', 'Alice');
INSERT INTO pets (name, kind, owner) VALUES ('Nemo', 'fish', 'Alice');
INSERT INTO pets (name, kind, owner) VALUES ('Tom', 'cat', 'Bob');

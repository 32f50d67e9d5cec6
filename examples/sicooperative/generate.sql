-- SiCooperative's source tables (DOMAIN.md; seed 003's schema), filled with deterministic
-- synthetic data: the same parameters always give the same bytes, on any machine.
--
--   sqlite3 FILE.db -cmd ".parameter set @movimentos 15000" < generate.sql
--
-- Sizes follow the movimento count: associados = m/10, contas = 12m/100, cartoes = 15m/100
-- (1M movimentos: 100k associados, 120k contas, 150k cartoes, as in bench/etl).
--
-- The data is realistic where it matters to an export: accents and other UTF-8, quotes,
-- delimiters and line breaks inside text, empty strings and NULLs, negative amounts
-- (estornos), and keys that match nothing: movimentos of unknown cartoes, cartoes of unknown
-- contas, contas of unknown associados, and cartoes whose associado differs from their
-- conta's (the flat export's double condition drops those).
--
-- Random numbers: two linear congruential steps over (id, salt), then a multiplication by the
-- value's own high bits so that neighbouring ids do not get evenly spaced values; everything
-- modulo 2^31 so that every product fits in 64 bits, keeping the well-mixed high bits (>> 8).

PRAGMA synchronous = OFF;
BEGIN;

CREATE TABLE associado (
  id        INTEGER PRIMARY KEY,
  nome      VARCHAR(20),
  sobrenome VARCHAR(50),
  idade     INT,
  email     VARCHAR(50)
);
CREATE TABLE conta (
  id           INTEGER PRIMARY KEY,
  tipo         CHAR(2),
  data_criacao DATETIME,
  id_associado INT
);
CREATE TABLE cartao (
  id           INTEGER PRIMARY KEY,
  num_cartao   INT,
  nom_impresso VARCHAR(100),
  id_conta     INT,
  id_associado INT,
  data_criacao DATETIME
);
CREATE TABLE movimento (
  id             INTEGER PRIMARY KEY,
  vlr_transacao  DECIMAL(10,2),
  des_transacao  VARCHAR(255),
  data_movimento DATETIME,
  id_cartao      INT
);

CREATE TEMP TABLE sizes AS SELECT
  @movimentos AS m, @movimentos / 10 AS a, @movimentos * 12 / 100 AS c, @movimentos * 15 / 100 AS k;

CREATE TEMP TABLE nomes (i INTEGER PRIMARY KEY, v TEXT);
INSERT INTO nomes (i, v) VALUES (0, 'João'), (1, 'Maria'), (2, 'José'), (3, 'Ana'),
  (4, 'Antônio'), (5, 'Francisca'), (6, 'Carlos'), (7, 'Paula'), (8, 'Luís'), (9, 'Márcia'),
  (10, 'Pedro'), (11, 'Conceição'), (12, 'Raimundo'), (13, 'Letícia'), (14, 'Sérgio'),
  (15, 'Ângela'), (16, 'Tomé'), (17, 'Inês'), (18, 'Zé'), (19, 'Çarol');
CREATE TEMP TABLE sobrenomes (i INTEGER PRIMARY KEY, v TEXT);
INSERT INTO sobrenomes (i, v) VALUES (0, 'Silva'), (1, 'Santos'), (2, 'Oliveira'),
  (3, 'Souza'), (4, 'Pereira'), (5, 'Lima'), (6, 'Conceição'), (7, 'Araújo'),
  (8, 'Gonçalves'), (9, 'Gomes'), (10, 'Magalhães'), (11, 'Brandão'), (12, 'D''Ávila'),
  (13, 'Assunção'), (14, 'Müller'), (15, 'Nóbrega'), (16, 'Ribeiro'), (17, 'Castro'),
  (18, 'Lins, Jr.'), (19, 'Sá');
CREATE TEMP TABLE descricoes (i INTEGER PRIMARY KEY, v TEXT);
INSERT INTO descricoes (i, v) VALUES (0, 'Supermercado Pão de Açúcar'),
  (1, 'Farmácia São João'), (2, 'Posto Ipiranga'), (3, 'iFood'), (4, 'Uber *Trip'),
  (5, 'Padaria "Pão Quente"'), (6, 'Loja A, B & C'), (7, 'Restaurante D''Ajuda'),
  (8, 'Estorno'), (9, 'Transferência' || char(10) || 'agendada'), (10, 'Açougue Boi Bão'),
  (11, 'Netflix.com'), (12, 'Café ☕ da Esquina'), (13, ''), (14, NULL),
  (15, 'Livraria Cultura; Centro');

-- r(id, salt): a pseudo-random number in [0, 2^23).
CREATE TEMP VIEW seq AS
  WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n
                           WHERE id < (SELECT max(m, a, c, k) FROM sizes))
  SELECT id FROM n;

INSERT INTO associado (id, nome, sobrenome, idade, email)
SELECT id,
       (SELECT v FROM nomes WHERE i = r1 % 20),
       (SELECT v FROM sobrenomes WHERE i = r2 % 20),
       CASE WHEN r3 % 97 = 0 THEN NULL ELSE 18 + r3 % 70 END,
       CASE WHEN r3 % 89 = 0 THEN NULL
            ELSE lower((SELECT v FROM nomes WHERE i = r1 % 20)) || '.' || id || '@exemplo.com.br' END
FROM (SELECT id,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 101) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r1,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 202) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r2,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 303) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r3
      FROM seq WHERE id <= (SELECT a FROM sizes));

-- Every associado has a conta (the first a ids); the rest belong to random associados, and a
-- few to associados that do not exist.
INSERT INTO conta (id, tipo, data_criacao, id_associado)
SELECT id,
       CASE r1 % 2 WHEN 0 THEN 'CC' ELSE 'CP' END,
       datetime('2015-01-01', '+' || (r2 * 37 % (9 * 365 * 86400)) || ' seconds'),
       CASE WHEN r3 % 500 = 0 THEN (SELECT a FROM sizes) + id
            WHEN id <= (SELECT a FROM sizes) THEN id
            ELSE 1 + r3 % (SELECT a FROM sizes) END
FROM (SELECT id,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 404) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r1,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 505) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r2,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 606) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r3
      FROM seq WHERE id <= (SELECT c FROM sizes));

-- Every conta has a cartao (the first c ids); a few point at contas that do not exist, and a
-- few name another associado than their conta's.
INSERT INTO cartao (id, num_cartao, nom_impresso, id_conta, id_associado, data_criacao)
SELECT x.id,
       100000000 + (x.r1 * 251) % 2000000000,
       CASE WHEN x.r2 % 300 = 0 THEN NULL
            ELSE coalesce(a.nome, 'Cliente') || ' ' || coalesce(a.sobrenome, '') END,
       x.id_conta,
       CASE WHEN x.r2 % 250 = 1 THEN 1 + x.r3 % (SELECT a FROM sizes)
            ELSE coalesce(co.id_associado, 1 + x.r3 % (SELECT a FROM sizes)) END,
       datetime(coalesce(co.data_criacao, '2015-01-01 00:00:00'), '+' || (x.r3 % (400 * 86400)) || ' seconds')
FROM (SELECT id,
             CASE WHEN r3 % 400 = 0 THEN (SELECT c FROM sizes) + id
                  WHEN id <= (SELECT c FROM sizes) THEN id
                  ELSE 1 + r1 % (SELECT c FROM sizes) END AS id_conta,
             r1, r2, r3
      FROM (SELECT id,
                   (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 707) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r1,
                   (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 808) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r2,
                   (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 909) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r3
            FROM seq WHERE id <= (SELECT k FROM sizes))) AS x
LEFT JOIN conta co ON co.id = x.id_conta
LEFT JOIN associado a ON a.id = co.id_associado
ORDER BY x.id;

-- Amounts from 0.01 to 5000.00; one in 50 is an estorno (negative); a few movimentos name a
-- cartao that does not exist.
INSERT INTO movimento (id, vlr_transacao, des_transacao, data_movimento, id_cartao)
SELECT id,
       (CASE WHEN r2 % 50 = 0 THEN -1 ELSE 1 END) * (r1 * 131 % 500000 + 1) / 100.0,
       (SELECT v FROM descricoes WHERE i = r2 % 16),
       datetime('2024-01-01', '+' || (r3 * 29 % (366 * 86400)) || ' seconds'),
       CASE WHEN r3 % 1000 = 7 THEN (SELECT k FROM sizes) + id
            ELSE 1 + (r1 * 17 + r3) % (SELECT k FROM sizes) END
FROM (SELECT id,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 1111) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r1,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 2222) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r2,
             (SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8 FROM (SELECT ((id * 1103515245 + 3333) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y)) AS r3
      FROM seq WHERE id <= (SELECT m FROM sizes));

COMMIT;

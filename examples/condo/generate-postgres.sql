-- CondoManage's tables in PostgreSQL (seed 004), filled with deterministic synthetic data:
--
--   psql -v condominios=20 -f generate-postgres.sql DATABASE
--
-- :condominios sets the size (10 imoveis per condominio on average, about 2 moradores per
-- imovel, 30 transacoes per imovel over 2024). Re-running drops and recreates the tables.
-- Realistic where it matters: accents, quotes and commas in names, imoveis with no
-- transacoes or moradores, negative transacoes (estornos), NULL descriptions.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
BEGIN;
DROP TABLE IF EXISTS transacoes, moradores, imoveis, condominios;

CREATE TABLE condominios (
  id     integer PRIMARY KEY,
  nome   varchar(80) NOT NULL,
  cidade varchar(60) NOT NULL
);
CREATE TABLE imoveis (
  id             integer PRIMARY KEY,
  condominio_id  integer NOT NULL REFERENCES condominios (id),
  numero         varchar(10) NOT NULL,
  tipo           varchar(20) NOT NULL,
  area_m2        numeric(8,2) NOT NULL
);
CREATE TABLE moradores (
  id             integer PRIMARY KEY,
  imovel_id      integer NOT NULL REFERENCES imoveis (id),
  nome           varchar(80) NOT NULL,
  data_registro  date NOT NULL
);
CREATE TABLE transacoes (
  id              integer PRIMARY KEY,
  imovel_id       integer NOT NULL REFERENCES imoveis (id),
  data_transacao  timestamp NOT NULL,
  valor           numeric(12,2) NOT NULL,
  descricao       varchar(120)
);

-- r(i, salt) in [0, 2^23): the same mixing as the SiCooperative generator, so that the data
-- does not depend on PostgreSQL's random().
CREATE FUNCTION pg_temp.r(i bigint, salt bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT (y * ((y >> 11) | 1)) % 2147483648 >> 8
  FROM (SELECT ((i * 1103515245 + salt) % 2147483648 * 1664525 + 1013904223) % 2147483648 AS y) s
$$;

INSERT INTO condominios (id, nome, cidade)
SELECT i,
       (ARRAY['Residencial Jardim das Flores', 'Condomínio Solar D''Itália', 'Edifício São João',
              'Parque das Águas', 'Vila Conceição, Bloco B', 'Residencial "Bela Vista"'])
         [1 + pg_temp.r(i, 1) % 6] || ' ' || i,
       (ARRAY['São Paulo', 'Curitiba', 'Belém', 'Goiânia', 'Florianópolis'])[1 + pg_temp.r(i, 2) % 5]
FROM generate_series(1, :condominios) AS i;

INSERT INTO imoveis (id, condominio_id, numero, tipo, area_m2)
SELECT i,
       1 + pg_temp.r(i, 3) % :condominios,
       (1 + pg_temp.r(i, 4) % 20) || lpad((1 + pg_temp.r(i, 5) % 8)::text, 2, '0'),
       (ARRAY['apartamento', 'cobertura', 'sala comercial', 'garagem'])[1 + pg_temp.r(i, 6) % 4],
       round((30 + pg_temp.r(i, 7) % 17000 / 100.0)::numeric, 2)
FROM generate_series(1, :condominios * 10) AS i;

-- Imóveis whose id ends in 7 have no moradores.
INSERT INTO moradores (id, imovel_id, nome, data_registro)
SELECT i,
       m.imovel_id,
       (ARRAY['Ana Luíza', 'João Pedro', 'Maria José', 'Tomás', 'Inês', 'Zé Carlos'])[1 + pg_temp.r(i, 9) % 6],
       date '2018-01-01' + (pg_temp.r(i, 10) % 2500)::int
FROM (SELECT i, 1 + pg_temp.r(i, 8) % (:condominios * 10) AS imovel_id
      FROM generate_series(1, :condominios * 20) AS i) AS m
WHERE m.imovel_id % 10 <> 7;

-- Imóveis whose id ends in 3 have no transacoes; one in 40 is an estorno.
INSERT INTO transacoes (id, imovel_id, data_transacao, valor, descricao)
SELECT i,
       t.imovel_id,
       timestamp '2024-01-01' + (pg_temp.r(i, 12) * 3 % (366 * 86400)) * interval '1 second',
       round(((CASE WHEN pg_temp.r(i, 13) % 40 = 0 THEN -1 ELSE 1 END)
              * (50 + pg_temp.r(i, 14) % 300000) / 100.0)::numeric, 2),
       (ARRAY['Taxa condominial', 'Fundo de reserva', 'Multa; atraso', 'Salão de festas',
              'Água "individual"', NULL])[1 + pg_temp.r(i, 15) % 6]
FROM (SELECT i, 1 + pg_temp.r(i, 11) % (:condominios * 10) AS imovel_id
      FROM generate_series(1, :condominios * 300) AS i) AS t
WHERE t.imovel_id % 10 <> 3;
COMMIT;

-- SiCooperative's four tables in MySQL/MariaDB (seed 003's schema).
CREATE TABLE associado (
  id        INT PRIMARY KEY,
  nome      VARCHAR(20),
  sobrenome VARCHAR(50),
  idade     INT,
  email     VARCHAR(50)
) DEFAULT CHARSET = utf8mb4;
CREATE TABLE conta (
  id           INT PRIMARY KEY,
  tipo         CHAR(2),
  data_criacao DATETIME,
  id_associado INT
) DEFAULT CHARSET = utf8mb4;
CREATE TABLE cartao (
  id           INT PRIMARY KEY,
  num_cartao   INT,
  nom_impresso VARCHAR(100),
  id_conta     INT,
  id_associado INT,
  data_criacao DATETIME
) DEFAULT CHARSET = utf8mb4;
CREATE TABLE movimento (
  id             INT PRIMARY KEY,
  vlr_transacao  DECIMAL(10,2),
  des_transacao  VARCHAR(255),
  data_movimento DATETIME,
  id_cartao      INT
) DEFAULT CHARSET = utf8mb4;

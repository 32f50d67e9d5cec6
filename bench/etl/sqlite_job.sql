-- The SiCooperative job in the sqlite3 CLI: import the four CSV tables into an in-memory
-- database, then write the flat CSV and the aggregates. Run with the source folder as the
-- current directory and OUT set by run.sh (sed replaces @OUT@).
.mode csv
.import associado.csv associado
.import conta.csv conta
.import cartao.csv cartao
.import movimento.csv movimento
.headers on
.output @OUT@/movimento_flat.csv
SELECT a.nome AS nome_associado, a.sobrenome AS sobrenome_associado, a.idade AS idade_associado,
       printf('%.2f', m.vlr_transacao) AS vlr_transacao_movimento,
       m.des_transacao AS des_transacao_movimento, m.data_movimento,
       c.num_cartao AS numero_cartao, c.nom_impresso AS nome_impresso_cartao,
       c.data_criacao AS data_criacao_cartao, co.tipo AS tipo_conta,
       co.data_criacao AS data_criacao_conta
FROM movimento m
JOIN cartao c ON m.id_cartao = c.id
JOIN conta co ON c.id_conta = co.id
JOIN associado a ON co.id_associado = a.id AND c.id_associado = a.id;
.output @OUT@/movimento_mensal.csv
SELECT a.id AS id_associado, substr(m.data_movimento, 1, 7) AS mes, count(*) AS qtd_transacoes,
       printf('%.2f', sum(m.vlr_transacao)) AS vlr_total,
       printf('%.4f', avg(m.vlr_transacao)) AS vlr_medio,
       printf('%.2f', min(CAST(m.vlr_transacao AS REAL))) AS vlr_min,
       printf('%.2f', max(CAST(m.vlr_transacao AS REAL))) AS vlr_max
FROM movimento m
JOIN cartao c ON m.id_cartao = c.id
JOIN conta co ON c.id_conta = co.id
JOIN associado a ON co.id_associado = a.id AND c.id_associado = a.id
GROUP BY a.id, substr(m.data_movimento, 1, 7);

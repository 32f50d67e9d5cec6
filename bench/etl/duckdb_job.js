// The SiCooperative job in DuckDB (npm @duckdb/node-api, installed under tests/npm):
// read the four CSV tables, write the flat CSV and the aggregates with COPY.
//
//   node duckdb_job.js SOURCE_DIR OUTPUT_DIR
const path = require("path");
const { DuckDBInstance } = require(path.join(__dirname, "../../tests/npm/node_modules/@duckdb/node-api"));

async function main(source, out) {
  const db = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await db.connect();
  const table = (name) => `read_csv('${source}/${name}.csv', header = true)`;
  await con.run(`CREATE VIEW flat AS
    SELECT a.id AS id_associado, a.nome AS nome_associado, a.sobrenome AS sobrenome_associado,
           a.idade AS idade_associado, CAST(m.vlr_transacao AS DECIMAL(10,2)) AS vlr_transacao_movimento,
           m.des_transacao AS des_transacao_movimento, m.data_movimento,
           c.num_cartao AS numero_cartao, c.nom_impresso AS nome_impresso_cartao,
           c.data_criacao AS data_criacao_cartao, co.tipo AS tipo_conta,
           co.data_criacao AS data_criacao_conta
    FROM ${table("movimento")} m
    JOIN ${table("cartao")} c ON m.id_cartao = c.id
    JOIN ${table("conta")} co ON c.id_conta = co.id
    JOIN ${table("associado")} a ON co.id_associado = a.id AND c.id_associado = a.id`);
  await con.run(`COPY (SELECT * EXCLUDE (id_associado) FROM flat)
                 TO '${out}/movimento_flat.csv' (HEADER, DELIMITER ',')`);
  await con.run(`COPY (SELECT id_associado, strftime(data_movimento, '%Y-%m') AS mes,
                        count(*) AS qtd_transacoes, sum(vlr_transacao_movimento) AS vlr_total,
                        round(avg(vlr_transacao_movimento), 4) AS vlr_medio,
                        min(vlr_transacao_movimento) AS vlr_min,
                        max(vlr_transacao_movimento) AS vlr_max
                 FROM flat GROUP BY ALL)
                 TO '${out}/movimento_mensal.csv' (HEADER, DELIMITER ',')`);
}

main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(e.message);
  process.exit(1);
});

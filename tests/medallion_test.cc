// examples/medallion.yaml end to end: bronze, silver and gold as CSV checked against the raw
// source recomputed in Python (tests/oracles/medallion_check.py), and the Parquet layers read
// back by DuckDB (tests/npm) and compared with the CSV layers.
#include <map>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

class MedallionTest : public SluiceCliTest {
 protected:
  const std::string source_ = std::string(SLUICE_SOURCE_DIR) + "/examples/medallion/data/vendas.csv";

  // DuckDB's answer to each statement, via tests/npm/duckdb_query.js.
  json DuckDb(const std::vector<std::string>& statements) {
    std::string command = "node " + std::string(SLUICE_SOURCE_DIR) + "/tests/npm/duckdb_query.js";
    for (const std::string& sql : statements) command += " " + ShellQuote(sql);
    const std::string out = CaptureCommand(command);
    json parsed = json::parse(out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << out << "\n(run `npm ci --prefix tests/npm` if DuckDB is missing)";
    return parsed;
  }
};

TEST_F(MedallionTest, LayersMatchTheSourceRecomputedIndependently) {
  CommandResult r = Sluice(std::string("run ") + SLUICE_SOURCE_DIR +
                           "/examples/medallion.yaml -q --param source=" + source_ +
                           " --param lake_dir=lake");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The bronze file is named after the run's ds; silver's data_processamento must be that day.
  std::string bronze_ds;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "lake/bronze")) {
    bronze_ds = e.path().stem().string().substr(std::string("vendas_").size());
  }
  ASSERT_EQ(bronze_ds.size(), 10u) << bronze_ds;

  const std::string verdict =
      CaptureCommand("/usr/bin/python3 " + std::string(SLUICE_SOURCE_DIR) +
                     "/tests/oracles/medallion_check.py " + ShellQuote(source_) + " " +
                     ShellQuote((dir_ / "lake").string()) + " " + bronze_ds);
  ASSERT_EQ(verdict.substr(0, 3), "ok ") << verdict;
}

TEST_F(MedallionTest, ParquetLayersHoldTheSameRowsAsTheCsvLayersWithTypedColumns) {
  ASSERT_EQ(Sluice(std::string("run ") + SLUICE_SOURCE_DIR + "/examples/medallion.yaml -q" +
                   " --param source=" + source_ + " --param lake_dir=lake")
                .exit_code,
            0);
  const std::string lake = (dir_ / "lake").string();
  // EXCEPT ALL both ways: empty when the two files hold the same multiset of rows.
  auto same_rows = [&](const std::string& parquet, const std::string& csv, const std::string& cols) {
    return "SELECT (SELECT count(*) FROM (SELECT " + cols + " FROM read_parquet('" + parquet +
           "') EXCEPT ALL SELECT " + cols + " FROM read_csv('" + csv + "', header = true, all_varchar = true))) + "
           "(SELECT count(*) FROM (SELECT " + cols + " FROM read_csv('" + csv +
           "', header = true, all_varchar = true) EXCEPT ALL SELECT " + cols + " FROM read_parquet('" + parquet +
           "'))) AS differences, (SELECT count(*) FROM read_parquet('" + parquet + "')) AS rows";
  };
  const std::string silver_cols =
      "CAST(id AS VARCHAR) id, CAST(valor AS VARCHAR) valor, categoria, regiao, produto, status, "
      "CAST(data_venda AS VARCHAR) data_venda, CAST(data_processamento AS VARCHAR) data_processamento";
  const std::string gold_cols =
      "categoria, regiao, CAST(qtd_vendas AS VARCHAR) qtd_vendas, CAST(valor_total AS VARCHAR) valor_total, "
      "CAST(valor_medio AS VARCHAR) valor_medio, CAST(maior_venda AS VARCHAR) maior_venda";
  json out = DuckDb({same_rows(lake + "/silver/vendas.parquet", lake + "/silver/vendas.csv", silver_cols),
                     same_rows(lake + "/gold/vendas_por_categoria_regiao.parquet",
                               lake + "/gold/vendas_por_categoria_regiao.csv", gold_cols),
                     "DESCRIBE SELECT * FROM read_parquet('" + lake + "/silver/vendas.parquet')"});
  ASSERT_EQ(out.size(), 3u) << out.dump();
  EXPECT_EQ(out[0]["rows"][0][0], "0") << "silver Parquet and CSV differ";
  EXPECT_NE(out[0]["rows"][0][1], "0");
  EXPECT_EQ(out[1]["rows"][0][0], "0") << "gold Parquet and CSV differ";
  std::map<std::string, std::string> types;
  for (const json& row : out[2]["rows"]) types[row[0].get<std::string>()] = row[1].get<std::string>();
  EXPECT_EQ(types["id"], "BIGINT");
  EXPECT_EQ(types["valor"], "DECIMAL(12,2)");
  EXPECT_EQ(types["data_venda"], "DATE");
  EXPECT_EQ(types["data_processamento"], "DATE");
  EXPECT_EQ(types["categoria"], "VARCHAR");
}

}  // namespace
}  // namespace sluice::testing

// Incremental extraction end to end, with real plugins and no server: extract.sqlite reads
// only rows past the watermark, export.sql upserts them into a lake table. A run that fails
// after the load leaves the watermark, so the next run reads the same rows again — and the
// upsert keeps the lake free of duplicates.
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

class IncrementalTest : public SluiceCliTest {
 protected:
  void SetUp() override {
    SluiceCliTest::SetUp();
    Sql("source.db", "CREATE TABLE eventos (id INTEGER PRIMARY KEY, valor DECIMAL(10,2), "
                     "atualizado_em DATETIME)");
    WriteFile(dir_ / "dags" / "incremental.yaml", R"(dag: eventos_incremental
tasks:
  - id: extract
    plugin: extract.sqlite
    watermark: {column: atualizado_em, initial: "1970-01-01 00:00:00"}
    with:
      database: source.db
      query: "SELECT id, valor, atualizado_em FROM eventos WHERE atualizado_em > ? ORDER BY id"
      params: ["{{ watermark }}"]
  - id: load
    plugin: export.sql
    depends_on: [extract]
    with: {connection: "sqlite:lake.db", table: eventos, mode: upsert, key: [id]}
  - id: publish
    plugin: shell
    depends_on: [load]
    with: {command: "test ! -e fail"}
)");
  }

  // Runs SQL with the sqlite3 shell in the test's folder; returns its output.
  std::string Sql(const std::string& db, const std::string& sql) {
    CommandResult r = Shell("sqlite3 " + db + " " + ShellQuote(sql));
    EXPECT_EQ(r.exit_code, 0) << sql << "\n" << r.err;
    return r.out;
  }
  // id=valor@atualizado_em of every lake row, by id, as the database itself prints them.
  std::string Lake() {
    return Sql("lake.db", "SELECT group_concat(id || '=' || printf('%.2f', valor) || '@' || "
                          "atualizado_em, ' ') FROM (SELECT * FROM eventos ORDER BY id)");
  }
  // Runs the DAG; on an unexpected exit code the failure shows the run's output and every
  // attempt's log (what failed, and why).
  void RunExpecting(int exit_code) {
    const CommandResult r = Sluice("run eventos_incremental");
    std::string logs;
    if (r.exit_code != exit_code && std::filesystem::exists(dir_ / "home" / "logs")) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_ / "home" / "logs")) {
        if (entry.is_regular_file()) logs += entry.path().string() + ":\n" + ReadFile(entry.path()) + "\n";
      }
    }
    ASSERT_EQ(r.exit_code, exit_code) << r.out << r.err << logs;
  }
  nlohmann::json Watermarks() { return Json("dags watermarks eventos_incremental --json"); }
  int64_t RowsExtracted() {
    nlohmann::json runs = Json("runs list --json");
    const nlohmann::json run = Json("runs show " + runs[0]["run_id"].get<std::string>() + " --json");
    return run["tasks"][0]["attempts"].back()["rows_out"].get<int64_t>();
  }
};

TEST_F(IncrementalTest, FailedRunIsReExtractedAndUpsertAddsNoDuplicates) {
  Sql("source.db", "INSERT INTO eventos VALUES (1, 10.50, '2024-03-01 08:00:00'), "
                   "(2, 20.00, '2024-03-01 09:00:00'), (3, 30.25, '2024-03-01 10:00:00')");
  ASSERT_NO_FATAL_FAILURE(RunExpecting(0));
  EXPECT_EQ(RowsExtracted(), 3);
  EXPECT_EQ(Lake(), "1=10.50@2024-03-01 08:00:00 2=20.00@2024-03-01 09:00:00 "
                    "3=30.25@2024-03-01 10:00:00\n");
  EXPECT_EQ(Watermarks()[0]["value"], "2024-03-01 10:00:00");

  // New rows and a changed one arrive; the run loads them but fails afterwards.
  Sql("source.db", "INSERT INTO eventos VALUES (4, 40.00, '2024-03-02 08:00:00'); "
                   "UPDATE eventos SET valor = 22.22, atualizado_em = '2024-03-02 09:00:00' WHERE id = 2");
  WriteFile(dir_ / "fail", "");
  ASSERT_NO_FATAL_FAILURE(RunExpecting(1));
  EXPECT_EQ(RowsExtracted(), 2);
  EXPECT_EQ(Watermarks()[0]["value"], "2024-03-01 10:00:00") << "a failed run leaves it";

  // The next run reads the same interval again: the lake has each row once, as it is now.
  std::filesystem::remove(dir_ / "fail");
  ASSERT_NO_FATAL_FAILURE(RunExpecting(0));
  EXPECT_EQ(RowsExtracted(), 2);
  EXPECT_EQ(Lake(), "1=10.50@2024-03-01 08:00:00 2=22.22@2024-03-02 09:00:00 "
                    "3=30.25@2024-03-01 10:00:00 4=40.00@2024-03-02 08:00:00\n");
  EXPECT_EQ(Sql("lake.db", "SELECT count(*) - count(DISTINCT id) FROM eventos"), "0\n");
  EXPECT_EQ(Watermarks()[0]["value"], "2024-03-02 09:00:00");

  // Nothing new: nothing extracted, nothing changed.
  ASSERT_NO_FATAL_FAILURE(RunExpecting(0));
  EXPECT_EQ(RowsExtracted(), 0);
  EXPECT_EQ(Watermarks()[0]["value"], "2024-03-02 09:00:00");
  EXPECT_EQ(Sql("lake.db", "SELECT count(*) FROM eventos"), "4\n");
}

}  // namespace
}  // namespace sluice::testing

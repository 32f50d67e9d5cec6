// The main job end to end: `sluice run dags/sicooperative.yaml` on its generated SQLite
// source, checked against SQL computed by SQLite itself (tests/oracles/sicooperative_check.py).
#include <algorithm>
#include <map>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

class SicooperativeTest : public SluiceCliTest {
 protected:
  std::string Example() const { return std::string(SLUICE_SOURCE_DIR) + "/examples/sicooperative"; }

  CommandResult RunJob(const std::string& db, const std::string& out) {
    return Sluice(std::string("run ") + SLUICE_SOURCE_DIR + "/dags/sicooperative.yaml -q" +
                  " --param source_db=" + db + " --param example_dir=" + Example() +
                  " --param output_dir=" + out);
  }

  std::string Check(const std::string& db, const std::string& out) {
    return CaptureCommand("/usr/bin/python3 " + std::string(SLUICE_SOURCE_DIR) +
                   "/tests/oracles/sicooperative_check.py sqlite " + ShellQuote((dir_ / db).string()) +
                   " " + ShellQuote((dir_ / out).string()));
  }

  std::map<std::string, json> Tasks(const std::string& run_id) {
    std::map<std::string, json> tasks;
    const json run = Json("runs show " + run_id + " --json");  // must outlive the loop
    for (const json& t : run["tasks"]) {
      tasks[t["task_id"].get<std::string>()] = t;
    }
    return tasks;
  }
};

TEST_F(SicooperativeTest, GeneratesItsSourceAndWritesFlatAndMonthlyFilesExactlyAsSqlComputesThem) {
  CommandResult r = RunJob("src/sicooperative.db", "lake");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_TRUE(std::filesystem::exists(dir_ / "src/sicooperative.db")) << "generated on first use";

  const std::string verdict = Check("src/sicooperative.db", "lake");
  ASSERT_EQ(verdict.substr(0, 3), "ok ") << verdict;
  // The oracle's counts, from SQL in the database, are what the attempts recorded too.
  const long flat_rows = std::stol(verdict.substr(3));
  const long mensal_rows = std::stol(verdict.substr(verdict.rfind(' ') + 1));
  EXPECT_GT(flat_rows, 14000) << "most of the 15,000 movimentos match a cartao, conta and associado";
  EXPECT_LT(flat_rows, 15000) << "the generator plants movimentos that match nothing";
  auto tasks = Tasks(OnlyRunId());
  EXPECT_EQ(tasks["extract_movimento"]["attempts"][0]["rows_out"], 15000);
  EXPECT_EQ(tasks["export_flat"]["attempts"][0]["rows_out"], flat_rows);
  EXPECT_EQ(tasks["export_mensal"]["attempts"][0]["rows_out"], mensal_rows);

  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "lake")) {
    files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"movimento_flat.csv", "movimento_mensal.csv"}))
      << "only the outputs, no temporary files";
}

TEST_F(SicooperativeTest, SecondRunReusesTheSourceAndWritesTheSameBytes) {
  ASSERT_EQ(RunJob("src.db", "first").exit_code, 0);
  const auto generated = std::filesystem::last_write_time(dir_ / "src.db");
  ASSERT_EQ(RunJob("src.db", "second").exit_code, 0);
  EXPECT_EQ(std::filesystem::last_write_time(dir_ / "src.db"), generated) << "not generated again";
  for (const char* file : {"movimento_flat.csv", "movimento_mensal.csv"}) {
    EXPECT_EQ(ReadFile(dir_ / "first" / file), ReadFile(dir_ / "second" / file)) << file;
  }
}

TEST_F(SicooperativeTest, EmptySourceTablesGiveHeaderOnlyFiles) {
  const std::string make = Example() + "/make-source-db.sh " + ShellQuote((dir_ / "empty.db").string()) + " 0";
  ASSERT_NE(CaptureCommand(make).find("generated"), std::string::npos);
  ASSERT_EQ(RunJob("empty.db", "lake").exit_code, 0);
  EXPECT_EQ(Check("empty.db", "lake"), "ok 0 0");
  EXPECT_EQ(ReadFile(dir_ / "lake/movimento_mensal.csv"),
            "id_associado,mes,qtd_transacoes,vlr_total,vlr_medio,vlr_min,vlr_max\n");
}

}  // namespace
}  // namespace sluice::testing

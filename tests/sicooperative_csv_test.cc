// The main job, CSV-only form: `sluice run dags/sicooperative.yaml` end to end, checked cell
// by cell against the source files with Python's csv module as an independent reader.
#include <algorithm>
#include <cstdio>
#include <map>

#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

// Compares two CSV files cell by cell with Python's csv module; prints "same N" (N data rows)
// or the first difference.
std::string CompareWithPython(const std::string& expected, const std::string& actual) {
  const std::string script =
      "import csv,sys\n"
      "a=list(csv.reader(open(sys.argv[1],newline='',encoding='utf-8')))\n"
      "b=list(csv.reader(open(sys.argv[2],newline='',encoding='utf-8')))\n"
      "if a==b: print('same',len(a)-1)\n"
      "else:\n"
      "  d=[i for i in range(max(len(a),len(b))) if i>=len(a) or i>=len(b) or a[i]!=b[i]]\n"
      "  i=d[0]; print('differ at row',i,a[i] if i<len(a) else None,b[i] if i<len(b) else None)\n";
  const std::string cmd = "/usr/bin/python3 -c " + ShellQuote(script) + " " + ShellQuote(expected) +
                          " " + ShellQuote(actual) + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[4096];
  while (p != nullptr && std::fgets(buf, sizeof buf, p) != nullptr) out += buf;
  if (p != nullptr) ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class SicooperativeCsvTest : public SluiceCliTest {};

TEST_F(SicooperativeCsvTest, ExportsEveryTableCellForCellAndRecordsRowCounts) {
  const std::string source = std::string(SLUICE_SOURCE_DIR) + "/examples/sicooperative/data";
  CommandResult r = Sluice(std::string("run ") + SLUICE_SOURCE_DIR +
                           "/dags/sicooperative.yaml --param source_dir=" + source +
                           " --param output_dir=lake");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  const std::map<std::string, int> rows = {
      {"associado", 20}, {"conta", 25}, {"cartao", 30}, {"movimento", 200}};
  json run = Json("runs show " + OnlyRunId() + " --json");
  std::map<std::string, json> tasks;
  for (const json& t : run["tasks"]) tasks[t["task_id"].get<std::string>()] = t;
  EXPECT_EQ(tasks.size(), 10u);
  for (const auto& [table, count] : rows) {
    const std::string verdict =
        CompareWithPython(source + "/" + table + ".csv", (dir_ / "lake" / (table + ".csv")).string());
    EXPECT_EQ(verdict, "same " + std::to_string(count)) << table;
    EXPECT_EQ(tasks["extract_" + table]["state"], "success");
    EXPECT_EQ(tasks["extract_" + table]["attempts"][0]["rows_out"], count) << table;
    EXPECT_EQ(tasks["export_" + table]["attempts"][0]["rows_in"], count) << table;
    EXPECT_GT(tasks["export_" + table]["attempts"][0]["bytes_out"], 0) << table;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "lake")) {
    files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"associado.csv", "cartao.csv", "conta.csv",
                                             "movimento.csv"}))
      << "only the outputs, no temporary files";
}

TEST_F(SicooperativeCsvTest, DataCommandsShowTheTypedIntermediateDataset) {
  const std::string source = std::string(SLUICE_SOURCE_DIR) + "/examples/sicooperative/data";
  ASSERT_EQ(Sluice(std::string("run ") + SLUICE_SOURCE_DIR + "/dags/sicooperative.yaml" +
                   " --param source_dir=" + source + " --param output_dir=lake")
                .exit_code,
            0);
  const std::string dataset = "home/workspaces/" + OnlyRunId() + "/extract_movimento.sds";
  CommandResult schema = Sluice("data schema " + dataset);
  ASSERT_EQ(schema.exit_code, 0) << schema.err;
  EXPECT_NE(schema.out.find("decimal(10,2)"), std::string::npos) << schema.out;
  EXPECT_NE(schema.out.find("timestamp"), std::string::npos) << schema.out;
  CommandResult head = Sluice("data head " + dataset + " -n 2 --json");
  ASSERT_EQ(head.exit_code, 0) << head.err;
  // First data row of movimento.csv: 1,1813.53,iFood,2024-01-27 23:51:57,2
  EXPECT_NE(head.out.find("1813.53"), std::string::npos) << head.out;
  EXPECT_NE(head.out.find("2024-01-27 23:51:57"), std::string::npos) << head.out;
  EXPECT_EQ(std::count(head.out.begin(), head.out.end(), '\n'), 2) << head.out;
  EXPECT_EQ(Sluice("data head no-such-file.sds").exit_code, 2);
}

}  // namespace
}  // namespace sluice::testing

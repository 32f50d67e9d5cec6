// The main job's CSV form: `sluice run examples/sicooperative-csv.yaml` on the example CSV
// exports, checked against SQL over the same files (tests/oracles/sicooperative_check.py).
#include <algorithm>
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

class SicooperativeCsvTest : public SluiceCliTest {
 protected:
  const std::string source_ = std::string(SLUICE_SOURCE_DIR) + "/examples/sicooperative/data";

  CommandResult RunJob() {
    return Sluice(std::string("run ") + SLUICE_SOURCE_DIR + "/examples/sicooperative-csv.yaml -q" +
                  " --param source_dir=" + source_ + " --param output_dir=lake");
  }
};

TEST_F(SicooperativeCsvTest, FlatAndMonthlyFilesMatchSqlOverTheSameCsvFiles) {
  CommandResult r = RunJob();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string verdict =
      CaptureCommand("/usr/bin/python3 " + std::string(SLUICE_SOURCE_DIR) +
              "/tests/oracles/sicooperative_check.py csv " + ShellQuote(source_) + " " +
              ShellQuote((dir_ / "lake").string()));
  ASSERT_EQ(verdict.substr(0, 3), "ok ") << verdict;
  EXPECT_NE(verdict, "ok 0 0") << "the example data must produce rows";
}

TEST_F(SicooperativeCsvTest, DataCommandsShowTheTypedIntermediateDataset) {
  ASSERT_EQ(RunJob().exit_code, 0);
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

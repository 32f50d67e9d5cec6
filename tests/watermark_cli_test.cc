// Incremental tasks through the real binary: the watermark a successful run leaves, a failed
// run that leaves it alone, and `sluice dags watermarks` showing and resetting it.
#include "tests/sluice_cli.h"

namespace sluice::testing {
namespace {

using nlohmann::json;

class WatermarkCliTest : public SluiceCliTest {
 protected:
  // A DAG whose extract keeps a watermark on `at`, then a `record` task that fails while the
  // file `fail` exists.
  void WriteDag() {
    WriteFile(dir_ / "dags" / "incremental.yaml", R"(dag: incremental
tasks:
  - id: note
    plugin: shell
    with: {command: "true"}
  - id: extract
    plugin: extract.csv
    depends_on: [note]
    watermark: {column: at, initial: "1970-01-01 00:00:00"}
    with:
      path: "events.csv"
      columns: [{name: id, type: int64}, {name: at, type: timestamp}]
  - id: record
    plugin: shell
    depends_on: [extract]
    with: {command: "test ! -e fail"}
)");
  }
  json Watermarks() { return Json("dags watermarks incremental --json"); }
};

TEST_F(WatermarkCliTest, SuccessfulRunKeepsTheLargestValueAndFailedRunLeavesItAlone) {
  WriteDag();
  WriteFile(dir_ / "events.csv",
            "id,at\n1,2024-03-01 10:00:00\n2,2024-03-05 08:30:00.250000\n3,\n4,2024-02-28 23:59:59\n");
  ASSERT_EQ(Sluice("run incremental -q").exit_code, 0);
  json marks = Watermarks();
  ASSERT_EQ(marks.size(), 1u) << marks.dump();
  EXPECT_EQ(marks[0]["task_id"], "extract");
  EXPECT_EQ(marks[0]["value"], "2024-03-05 08:30:00.250000") << "the latest `at`, not the last row";

  // New rows arrive, but the run fails after the extract: the watermark must not move.
  WriteFile(dir_ / "events.csv", "id,at\n5,2024-04-01 00:00:00\n");
  WriteFile(dir_ / "fail", "");
  EXPECT_EQ(Sluice("run incremental -q").exit_code, 1);
  EXPECT_EQ(Watermarks()[0]["value"], "2024-03-05 08:30:00.250000");

  std::filesystem::remove(dir_ / "fail");
  ASSERT_EQ(Sluice("run incremental -q").exit_code, 0);
  EXPECT_EQ(Watermarks()[0]["value"], "2024-04-01 00:00:00");
}

TEST_F(WatermarkCliTest, ResetForgetsTheWatermarkAndUnknownTaskIsAnError) {
  WriteDag();
  WriteFile(dir_ / "events.csv", "id,at\n1,2024-03-01 10:00:00\n");
  ASSERT_EQ(Sluice("run incremental -q").exit_code, 0);
  ASSERT_EQ(Watermarks().size(), 1u);

  CommandResult table = Sluice("dags watermarks incremental");
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("2024-03-01 10:00:00"), std::string::npos) << table.out;

  CommandResult wrong = Sluice("dags watermarks incremental --reset nope");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("no watermark for task 'nope'"), std::string::npos) << wrong.err;

  ASSERT_EQ(Sluice("dags watermarks incremental --reset extract").exit_code, 0);
  EXPECT_TRUE(Watermarks().empty());
}

}  // namespace
}  // namespace sluice::testing

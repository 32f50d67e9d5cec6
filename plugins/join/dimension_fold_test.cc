// When the joins after the first are solved per row of the first joined input, and when not.
// That the folded joins give the right rows is checked against a nested-loop oracle in
// join_test.cc (RandomJoinTest.UniqueDenseKeysMatchTheOracleForEveryJoinType runs every
// inner/left combination of this shape); here: that the fold is taken exactly when it is
// valid, and what it holds.
#include "dimension_fold.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "join_config.h"
#include "join_plan.h"
#include "sluice/dataset.hpp"

namespace sluice::join {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

// m(m_id, card) -> c(card_id, acct) -> co(acct_id, size): c and co keyed by unique ids.
class DimensionFoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-fold-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    WriteInts("m", {"m_id", "card"}, {{1, 10}, {2, 11}, {3, 99}, {4, 12}, {5, 10}});
    WriteInts("c", {"card_id", "acct"}, {{10, 100}, {11, 101}, {12, 555}});
    WriteInts("co", {"acct_id", "size"}, {{100, 7}, {101, 8}});
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteInts(const std::string& name, const std::vector<std::string>& columns,
                 const std::vector<std::vector<int64_t>>& rows) {
    ds::Schema schema;
    for (const std::string& c : columns) schema.push_back({c, ds::Type::kInt64});
    ds::Writer writer((dir_ / (name + ".sds")).string(), schema);
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) writer.AppendInt64(c, row[c]);
      writer.EndRow();
    }
    writer.Finish();
  }

  std::unique_ptr<JoinPlan> Plan(const std::string& type_c, const std::string& type_co, const std::string& co_on) {
    spec_ = ParseJoinConfig(nlohmann::json{
        {"from", {{"input", "m"}, {"as", "m"}}},
        {"join",
         {{{"input", "c"}, {"as", "c"}, {"type", type_c}, {"on", "m.card = c.card_id"}},
          {{"input", "co"}, {"as", "co"}, {"type", type_co}, {"on", co_on}}}}});
    std::vector<std::string> paths;
    for (const InputSpec& input : spec_.inputs) paths.push_back((dir_ / (input.task_id + ".sds")).string());
    return std::make_unique<JoinPlan>(spec_, paths);
  }

  fs::path dir_;
  JoinSpec spec_;
};

TEST_F(DimensionFoldTest, LaterJoinReadingOnlyTheFirstJoinedInputIsFolded) {
  const auto plan = Plan("inner", "inner", "c.acct = co.acct_id");
  const DimensionFold* fold = plan->fold();
  ASSERT_NE(fold, nullptr);
  // c rows in input order: 10 -> co 100 (row 0), 11 -> co 101 (row 1), 12 -> co 555: none.
  ASSERT_NE(fold->Completion(0), nullptr);
  EXPECT_EQ(fold->Completion(0)[0].row, 0u);
  ASSERT_NE(fold->Completion(1), nullptr);
  EXPECT_EQ(fold->Completion(1)[0].row, 1u);
  EXPECT_EQ(fold->Completion(2), nullptr);  // the inner join drops c 12
  EXPECT_EQ(fold->Completion(DimensionFold::kAbsentRow), nullptr);
}

TEST_F(DimensionFoldTest, LeftJoinKeepsUnmatchedRowsWithANullReference) {
  const auto plan = Plan("left", "left", "c.acct = co.acct_id");
  const DimensionFold* fold = plan->fold();
  ASSERT_NE(fold, nullptr);
  ASSERT_NE(fold->Completion(2), nullptr);
  EXPECT_TRUE(fold->Completion(2)[0].is_null());
  // A `from` row with no c row: its null c key cannot match co either.
  ASSERT_NE(fold->Completion(DimensionFold::kAbsentRow), nullptr);
  EXPECT_TRUE(fold->Completion(DimensionFold::kAbsentRow)[0].is_null());
}

TEST_F(DimensionFoldTest, LaterJoinReadingTheFromInputIsNotFolded) {
  EXPECT_EQ(Plan("inner", "inner", "m.m_id = co.acct_id")->fold(), nullptr);
  EXPECT_EQ(Plan("inner", "inner", "c.acct = co.acct_id and m.m_id = co.size")->fold(), nullptr);
}

TEST_F(DimensionFoldTest, RightOrFullJoinOrRepeatedKeysAreNotFolded) {
  EXPECT_EQ(Plan("inner", "right", "c.acct = co.acct_id")->fold(), nullptr);
  EXPECT_EQ(Plan("full", "inner", "c.acct = co.acct_id")->fold(), nullptr);
  WriteInts("co", {"acct_id", "size"}, {{100, 7}, {100, 8}});  // co 100 twice
  EXPECT_EQ(Plan("inner", "inner", "c.acct = co.acct_id")->fold(), nullptr);
}

TEST_F(DimensionFoldTest, TwoInputsHaveNothingToFold) {
  spec_ = ParseJoinConfig(nlohmann::json{{"from", {{"input", "m"}, {"as", "m"}}},
                                         {"join", {{{"input", "c"}, {"as", "c"}, {"on", "m.card = c.card_id"}}}}});
  const JoinPlan plan(spec_, {(dir_ / "m.sds").string(), (dir_ / "c.sds").string()});
  EXPECT_EQ(plan.fold(), nullptr);
}

}  // namespace
}  // namespace sluice::join

// RemoveOldWorkspaces on a real state database and real folders, and the refusal to re-run
// tasks whose inputs went with a removed workspace.
#include "scheduler/workspace_retention.h"

#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "runtime/instance_lock.h"
#include "runtime/time_format.h"
#include "scheduler/dag_edges_test_util.h"
#include "scheduler/run_clear.h"
#include "scheduler/run_driver.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using Clock = std::chrono::system_clock;

class WorkspaceRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = fs::temp_directory_path() /
            ("sluice-retention-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(home_);
    fs::create_directories(home_);
    auto store = OpenSqliteStateStore((home_ / "sluice.db").string());
    ASSERT_TRUE(store.ok()) << store.message();
    store_ = std::move(store).value();
  }
  void TearDown() override { fs::remove_all(home_); }

  // A run in `state` that ended `ended_ago` ago (not ended when queued or running), with a
  // workspace holding one output of `bytes` bytes.
  void AddRun(const std::string& run_id, const std::string& state, Clock::duration ended_ago,
              size_t bytes = 1000) {
    RunRecord run;
    run.run_id = run_id;
    run.dag_id = "d";
    run.state = "queued";
    run.trigger = "manual";
    run.created_at = run.logical_date = FormatUtc(now_ - ended_ago - hours(1));
    ASSERT_TRUE(store_->CreateRun(run, {"a"}).ok());
    if (state != "queued") {
      ASSERT_TRUE(store_->UpdateRunState(run_id, "running", FormatUtc(now_ - ended_ago - hours(1))).ok());
    }
    if (state == "success" || state == "failed") {
      ASSERT_TRUE(store_->UpdateRunState(run_id, state, FormatUtc(now_ - ended_ago)).ok());
    }
    fs::create_directories(WorkspacePath(home_.string(), run_id));
    std::ofstream(fs::path(WorkspacePath(home_.string(), run_id)) / "a.sds")
        << std::string(bytes, 'x');
    // Last written when the run's tasks ended, as a real workspace.
    if (state == "success" || state == "failed") Age(run_id, ended_ago);
  }
  // Sets the workspace folder's modification time to `ago` before now_.
  void Age(const std::string& run_id, Clock::duration ago) {
    const auto when = std::chrono::duration_cast<std::chrono::microseconds>(
        (now_ - ago).time_since_epoch());
    const timeval times[2] = {{static_cast<time_t>(when.count() / 1'000'000), 0},
                              {static_cast<time_t>(when.count() / 1'000'000), 0}};
    ASSERT_EQ(::utimes(WorkspacePath(home_.string(), run_id).c_str(), times), 0);
  }
  bool Kept(const std::string& run_id) const {
    return fs::exists(WorkspacePath(home_.string(), run_id));
  }

  fs::path home_;
  std::unique_ptr<StateStore> store_;
  const Clock::time_point now_ = Clock::now();
};

TEST_F(WorkspaceRetentionTest, RemovesOnlyTheWorkspacesOfRunsThatEndedBeforeTheCutoff) {
  AddRun("old-success", "success", hours(24 * 8), 3000);
  AddRun("old-failed", "failed", hours(24 * 9), 4000);
  AddRun("recent", "success", hours(1));
  AddRun("running", "running", hours(24 * 30));
  AddRun("queued", "queued", hours(24 * 30));  // cleared again: a re-run will read it
  fs::create_directories(WorkspacePath(home_.string(), "not-in-the-database"));

  Result<WorkspaceCleanup> cleanup = RemoveOldWorkspaces(*store_, home_.string(), now_ - hours(24 * 7));
  ASSERT_TRUE(cleanup.ok()) << cleanup.message();
  std::vector<std::string> removed = cleanup->removed;
  std::sort(removed.begin(), removed.end());
  EXPECT_EQ(removed, (std::vector<std::string>{"old-failed", "old-success"}));
  EXPECT_EQ(cleanup->bytes_freed, 7000u);
  EXPECT_TRUE(cleanup->problems.empty());
  EXPECT_FALSE(Kept("old-success"));
  EXPECT_FALSE(Kept("old-failed"));
  EXPECT_TRUE(Kept("recent"));
  EXPECT_TRUE(Kept("running"));
  EXPECT_TRUE(Kept("queued"));
  EXPECT_TRUE(Kept("not-in-the-database"));
  // The records stay: only the outputs go.
  Result<std::optional<RunRecord>> run = store_->GetRun("old-success");
  ASSERT_TRUE(run.ok() && *run);
  EXPECT_EQ((*run)->state, "success");
}

TEST_F(WorkspaceRetentionTest, AWorkspaceWhoseRunIsBeingDrivenStays) {
  AddRun("old", "success", hours(24 * 30));
  // `sluice tasks run` holds the run's lock while it drives the run.
  Result<InstanceLock> driving = InstanceLock::Acquire(RunLockPath(home_.string(), "old"), "test");
  ASSERT_TRUE(driving.ok()) << driving.message();
  Age("old", hours(24 * 30));  // a lock file left by an earlier driver: the folder looks old
  Result<WorkspaceCleanup> cleanup = RemoveOldWorkspaces(*store_, home_.string(), now_);
  ASSERT_TRUE(cleanup.ok()) << cleanup.message();
  EXPECT_TRUE(cleanup->removed.empty());
  EXPECT_TRUE(Kept("old"));
}

TEST_F(WorkspaceRetentionTest, AFolderWrittenAfterTheCutoffIsKeptWhateverItsRecordSays) {
  AddRun("rewritten", "success", hours(24 * 30));
  Age("rewritten", hours(1));  // its tasks wrote into it an hour ago
  Result<WorkspaceCleanup> cleanup = RemoveOldWorkspaces(*store_, home_.string(), now_ - hours(24 * 7));
  ASSERT_TRUE(cleanup.ok()) << cleanup.message();
  EXPECT_TRUE(cleanup->removed.empty());
  EXPECT_TRUE(Kept("rewritten"));
  // Once the folder is as old as its record, it goes.
  Age("rewritten", hours(24 * 30));
  cleanup = RemoveOldWorkspaces(*store_, home_.string(), now_ - hours(24 * 7));
  ASSERT_TRUE(cleanup.ok()) << cleanup.message();
  EXPECT_EQ(cleanup->removed, std::vector<std::string>{"rewritten"});
}

TEST_F(WorkspaceRetentionTest, NoWorkspacesFolderIsNothingToDo) {
  Result<WorkspaceCleanup> cleanup = RemoveOldWorkspaces(*store_, home_.string(), now_);
  ASSERT_TRUE(cleanup.ok()) << cleanup.message();
  EXPECT_TRUE(cleanup->removed.empty());
}

TEST_F(WorkspaceRetentionTest, ClearingTasksWhoseInputsWentWithTheWorkspaceIsRefusedByName) {
  const DagSpec dag = DagFromEdges({"a", "b:a", "c:b", "d:a"});
  AddRun("r", "failed", hours(24 * 30));
  Result<std::optional<RunRecord>> found = store_->GetRun("r");
  ASSERT_TRUE(found.ok() && *found);
  const RunRecord run = **found;
  EXPECT_TRUE(CheckUpstreamOutputsKept(home_.string(), dag, run, {"b", "c"}).ok())
      << "the workspace is still there";

  fs::remove_all(WorkspacePath(home_.string(), "r"));
  Status refused = CheckUpstreamOutputsKept(home_.string(), dag, run, {"b", "c"});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("outputs of a are gone"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("--upstream"), std::string::npos) << refused.message();
  EXPECT_TRUE(CheckUpstreamOutputsKept(home_.string(), dag, run, {"a", "b", "c"}).ok())
      << "every input is produced again";
  EXPECT_TRUE(CheckUpstreamOutputsKept(home_.string(), dag, run, {"a"}).ok()) << "a root needs none";
  RunRecord queued = run;
  queued.state = "queued";  // never started: nothing was removed (ClearRunTasks refuses it)
  EXPECT_TRUE(CheckUpstreamOutputsKept(home_.string(), dag, queued, {"b"}).ok());
}

}  // namespace
}  // namespace sluice

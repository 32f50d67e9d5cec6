#include "scheduler/scheduler_metrics.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/metrics_test_util.h"
#include "runtime/state_store.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class SchedulerMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sluice-metrics-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    Result<std::unique_ptr<StateStore>> store = OpenSqliteStateStore((dir_ / "state.db").string());
    ASSERT_TRUE(store.ok()) << store.message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string Render(const SchedulerMetrics& metrics) {
    Result<std::string> text = metrics.Render(*store_);
    EXPECT_TRUE(text.ok()) << text.message();
    return text.ok() ? *text : "";
  }

  void AddRun(const std::string& run_id, const std::string& state,
              const std::vector<std::string>& tasks) {
    RunRecord run;
    run.run_id = run_id;
    run.dag_id = "daily";
    run.state = "queued";
    run.created_at = "2026-01-01T00:00:00.000000Z";
    ASSERT_TRUE(store_->CreateRun(run, tasks).ok());
    ASSERT_TRUE(store_->UpdateRunState(run_id, state, "2026-01-01T00:00:01.000000Z").ok());
  }

  int64_t AddAlert() {
    AlertRecord alert;
    alert.created_at = "2026-01-01T00:00:00.000000Z";
    alert.kind = "failure";
    alert.dag_id = "daily";
    alert.webhook = "${SLACK_WEBHOOK_URL}";
    Result<int64_t> id = store_->InsertAlert(alert);
    EXPECT_TRUE(id.ok()) << id.message();
    return id.ok() ? *id : 0;
  }

  fs::path dir_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(SchedulerMetricsTest, AFreshSchedulerShowsEveryFamilyAtZero) {
  const double before =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  SchedulerMetrics metrics;
  const double after =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string text = Render(metrics);
  ExpectLines(text, {
                        "sluice_attempts_started_total 0",
                        "sluice_attempts_finished_total{state=\"success\"} 0",
                        "sluice_attempts_finished_total{state=\"failed\"} 0",
                        "sluice_attempts_finished_total{state=\"timed_out\"} 0",
                        "sluice_running_attempts 0",
                        "sluice_queued_tasks 0",
                        "sluice_queued_runs 0",
                        "sluice_runs{state=\"queued\"} 0",
                        "sluice_runs{state=\"running\"} 0",
                        "sluice_runs{state=\"success\"} 0",
                        "sluice_runs{state=\"failed\"} 0",
                        "sluice_task_instances{state=\"pending\"} 0",
                        "sluice_task_instances{state=\"upstream_failed\"} 0",
                        "sluice_alert_deliveries_total{outcome=\"delivered\"} 0",
                        "sluice_alert_deliveries_total{outcome=\"failed\"} 0",
                        "sluice_alerts_pending 0",
                        "sluice_dag_files 0",
                        "sluice_dag_parse_errors 0",
                        "sluice_dags_paused 0",
                        "sluice_scheduler_loop_lag_seconds_count 0",
                        "sluice_scheduler_loop_lag_seconds_bucket{le=\"+Inf\"} 0",
                    });
  EXPECT_TRUE(
      std::regex_search(text, std::regex(R"(\nsluice_build_info\{version="\d+\.\d+\.\d+"\} 1\n)")))
      << text;
  std::smatch start;
  ASSERT_TRUE(std::regex_search(text, start,
                                std::regex(R"(\nsluice_scheduler_start_time_seconds (\S+)\n)")))
      << text;
  const double started = std::stod(start[1].str());
  EXPECT_GE(started, before - 0.001);
  EXPECT_LE(started, after + 0.001);
}

TEST_F(SchedulerMetricsTest, EventsMoveTheirCountersGaugesAndHistograms) {
  SchedulerMetrics metrics;
  for (int i = 0; i < 3; ++i) metrics.AttemptStarted();
  metrics.AttemptFinished("daily", "load", "success", 0.02);
  metrics.AttemptFinished("daily", "load", "failed", 5);
  metrics.AttemptFinished("daily", "extract", "timed_out", 7200);
  metrics.SetRunningAttempts(4);
  metrics.SetQueuedTasks(9);
  metrics.SetQueuedRuns(2);
  metrics.SetQueuedRuns(1);  // a gauge keeps the latest
  metrics.ObserveLoopLag(0.0005);
  metrics.ObserveLoopLag(0.2);
  metrics.RunFinished("daily", "success");
  metrics.RunFinished("daily", "success");
  metrics.RunFinished("hourly", "failed");
  ExpectLines(
      Render(metrics),
      {
          "sluice_attempts_started_total 3",
          "sluice_attempts_finished_total{state=\"success\"} 1",
          "sluice_attempts_finished_total{state=\"failed\"} 1",
          "sluice_attempts_finished_total{state=\"timed_out\"} 1",
          "sluice_running_attempts 4",
          "sluice_queued_tasks 9",
          "sluice_queued_runs 1",
          "sluice_runs_finished_total{dag=\"daily\",state=\"success\"} 2",
          "sluice_runs_finished_total{dag=\"hourly\",state=\"failed\"} 1",
          // 0.02 and 5 seconds: cumulative over the documented buckets.
          "sluice_task_duration_seconds_count{dag=\"daily\",task=\"load\"} 2",
          "sluice_task_duration_seconds_sum{dag=\"daily\",task=\"load\"} 5.02",
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"load\",le=\"0.01\"} 0",
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"load\",le=\"0.03\"} 1",
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"load\",le=\"3\"} 1",
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"load\",le=\"10\"} 2",
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"load\",le=\"+Inf\"} 2",
          // Two hours falls in the 3 h bucket, not only in +Inf.
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"extract\",le=\"3600\"} 0",
          "sluice_task_duration_seconds_bucket{dag=\"daily\",task=\"extract\",le=\"10800\"} 1",
          "sluice_scheduler_loop_lag_seconds_count 2",
          "sluice_scheduler_loop_lag_seconds_bucket{le=\"0.001\"} 1",
          "sluice_scheduler_loop_lag_seconds_bucket{le=\"0.1\"} 1",
          "sluice_scheduler_loop_lag_seconds_bucket{le=\"0.25\"} 2",
          "sluice_scheduler_loop_lag_seconds_bucket{le=\"10\"} 2",
      });
}

TEST_F(SchedulerMetricsTest, CountedFamiliesAreWhatTheDatabaseHolds) {
  AddRun("r1", "success", {"a", "b"});
  AddRun("r2", "success", {"a"});
  AddRun("r3", "failed", {"a", "b", "c"});
  AddRun("r4", "running", {});
  ASSERT_TRUE(store_->SetTaskState("r1", "a", "success", "t").ok());
  ASSERT_TRUE(store_->SetTaskState("r1", "b", "success", "t").ok());
  ASSERT_TRUE(store_->SetTaskState("r3", "a", "failed", "t").ok());
  ASSERT_TRUE(store_->SetTaskState("r3", "b", "upstream_failed", "t").ok());
  // A state the scheduler does not know yet still gets its series.
  ASSERT_TRUE(store_->SetTaskState("r3", "c", "deferred", "t").ok());

  const int64_t delivered1 = AddAlert();
  const int64_t delivered2 = AddAlert();
  const int64_t failed = AddAlert();
  const int64_t collapsed = AddAlert();
  AddAlert();  // pending
  AddAlert();  // pending
  ASSERT_TRUE(store_->RecordAlertOutcome({delivered1, "delivered", 1, "", "t", 200, ""}).ok());
  ASSERT_TRUE(store_->RecordAlertOutcome({delivered2, "delivered", 2, "", "t", 200, ""}).ok());
  ASSERT_TRUE(store_->RecordAlertOutcome({failed, "failed", 5, "", "t", 404, "HTTP 404"}).ok());
  ASSERT_TRUE(*store_->CollapseAlert(collapsed, delivered1));

  DagFileRecord file;
  file.dag_id = "daily";
  file.file = "daily.yaml";
  ASSERT_TRUE(store_->UpsertDagFile(file).ok());
  file.dag_id = "broken";
  file.file = "broken.yaml";
  file.error = "broken.yaml:3:1: unknown key 'shedule'";
  ASSERT_TRUE(store_->UpsertDagFile(file).ok());
  ASSERT_TRUE(store_->SetDagPaused("daily", true, "t").ok());

  SchedulerMetrics metrics;
  ExpectLines(Render(metrics), {
                                   "sluice_runs{state=\"queued\"} 0",
                                   "sluice_runs{state=\"running\"} 1",
                                   "sluice_runs{state=\"success\"} 2",
                                   "sluice_runs{state=\"failed\"} 1",
                                   "sluice_task_instances{state=\"pending\"} 1",
                                   "sluice_task_instances{state=\"success\"} 2",
                                   "sluice_task_instances{state=\"failed\"} 1",
                                   "sluice_task_instances{state=\"upstream_failed\"} 1",
                                   "sluice_task_instances{state=\"running\"} 0",
                                   "sluice_task_instances{state=\"deferred\"} 1",
                                   "sluice_alert_deliveries_total{outcome=\"delivered\"} 2",
                                   "sluice_alert_deliveries_total{outcome=\"failed\"} 1",
                                   "sluice_alerts_pending 2",
                                   "sluice_dag_files 2",
                                   "sluice_dag_parse_errors 1",
                                   "sluice_dags_paused 1",
                               });
}

// The exposition's shape: every sample belongs to a family announced by # HELP and # TYPE
// just before it, every name is sluice_*, and no family is announced twice.
TEST_F(SchedulerMetricsTest, EveryFamilyIsAnnouncedOnceAndNamedSluice) {
  SchedulerMetrics metrics;
  metrics.AttemptFinished("daily", "load", "success", 1);
  metrics.ObserveLoopLag(0.01);
  metrics.RunFinished("daily", "success");
  std::set<std::string> announced;
  std::string family, type;
  for (const std::string& line : Lines(Render(metrics))) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(# HELP (\S+) .+)"))) {
      family = m[1];
      EXPECT_TRUE(announced.insert(family).second) << family << " announced twice";
      EXPECT_EQ(family.rfind("sluice_", 0), 0u) << family;
      type.clear();
    } else if (std::regex_match(line, m, std::regex(R"(# TYPE (\S+) (\S+))"))) {
      EXPECT_EQ(m[1], family);
      type = m[2];
    } else {
      ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(([a-z_]+)(\{.*\})? \S+)"))) << line;
      const std::string name = m[1];
      if (type == "histogram") {
        EXPECT_TRUE(name == family + "_bucket" || name == family + "_sum" ||
                    name == family + "_count")
            << name;
      } else {
        EXPECT_EQ(name, family);
        EXPECT_TRUE(type == "counter" || type == "gauge") << type;
      }
      if (type == "counter") {
        EXPECT_EQ(name.substr(name.size() - 6), "_total") << name;
      }
    }
  }
  EXPECT_EQ(announced.size(), 17u);
}

TEST_F(SchedulerMetricsTest, BucketsCoverTheDocumentedRanges) {
  for (const HistogramBuckets* buckets :
       {&SchedulerMetrics::TaskDurationBuckets(), &SchedulerMetrics::LoopLagBuckets()}) {
    EXPECT_TRUE(std::is_sorted(buckets->begin(), buckets->end()));
    EXPECT_EQ(std::adjacent_find(buckets->begin(), buckets->end()), buckets->end());
  }
  EXPECT_EQ(SchedulerMetrics::TaskDurationBuckets().front(), 0.01);
  EXPECT_GE(SchedulerMetrics::TaskDurationBuckets().back(), 3 * 3600);
  EXPECT_EQ(SchedulerMetrics::LoopLagBuckets().front(), 0.001);
  EXPECT_EQ(SchedulerMetrics::LoopLagBuckets().back(), 10);
}

TEST_F(SchedulerMetricsTest, AnUnreadableDatabaseIsAnErrorNotHalfAPage) {
  SchedulerMetrics metrics;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "state.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE alerts", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Result<std::string> text = metrics.Render(*store_);
  EXPECT_FALSE(text.ok());
  EXPECT_NE(text.message().find("alerts"), std::string::npos) << text.message();
}

TEST_F(SchedulerMetricsTest, TheLoopThreadUpdatesWhileAnotherRenders) {
  SchedulerMetrics metrics;
  std::thread loop([&] {
    for (int i = 0; i < 2000; ++i) {
      metrics.AttemptStarted();
      metrics.AttemptFinished("d", "t" + std::to_string(i % 10), "success", 0.5);
      metrics.SetRunningAttempts(i);
    }
  });
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(metrics.Render(*store_).ok());
  loop.join();
  ExpectLines(Render(metrics), {"sluice_attempts_started_total 2000",
                                "sluice_attempts_finished_total{state=\"success\"} 2000",
                                "sluice_running_attempts 1999",
                                "sluice_task_duration_seconds_count{dag=\"d\",task=\"t7\"} 200"});
}

}  // namespace
}  // namespace sluice

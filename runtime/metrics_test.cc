#include "runtime/metrics.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/metrics_test_util.h"

namespace sluice {
namespace {

// The expected texts below are written from the format's specification
// (https://prometheus.io/docs/instrumenting/exposition_formats/), not copied from a run.

TEST(MetricsTest, CounterWithEscapedLabelValue) {
  MetricsRegistry registry;
  CounterFamily files = registry.AddCounter("test_files_total", "Files read.");
  files.Increment({{"path", "C:\\dir \"a\"\nb"}});
  files.Increment({{"path", "C:\\dir \"a\"\nb"}}, 2);
  EXPECT_EQ(registry.Render(),
            "# HELP test_files_total Files read.\n"
            "# TYPE test_files_total counter\n"
            "test_files_total{path=\"C:\\\\dir \\\"a\\\"\\nb\"} 3\n");
}

TEST(MetricsTest, HelpTextEscapesBackslashAndNewline) {
  MetricsRegistry registry;
  registry.AddGauge("test_gauge", "one \\ two\nthree").Set({}, 1);
  EXPECT_EQ(Lines(registry.Render())[0], "# HELP test_gauge one \\\\ two\\nthree");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndEndWithInf) {
  MetricsRegistry registry;
  HistogramFamily seconds = registry.AddHistogram("test_seconds", "How long.", {0.5, 1, 4});
  // Exactly representable values, so the sum prints exactly; 0.5 falls in le="0.5" (<=).
  for (double v : {0.25, 0.5, 2.0, 8.0}) seconds.Observe({{"task", "load"}}, v);
  const std::vector<std::string> lines = Lines(registry.Render());
  EXPECT_EQ(lines[0], "# HELP test_seconds How long.");
  EXPECT_EQ(lines[1], "# TYPE test_seconds histogram");
  const std::vector<std::string> expected = {
      "test_seconds_count{task=\"load\"} 4",
      "test_seconds_sum{task=\"load\"} 10.75",
      "test_seconds_bucket{task=\"load\",le=\"0.5\"} 2",
      "test_seconds_bucket{task=\"load\",le=\"1\"} 2",
      "test_seconds_bucket{task=\"load\",le=\"4\"} 3",
      "test_seconds_bucket{task=\"load\",le=\"+Inf\"} 4",
  };
  EXPECT_EQ(std::vector<std::string>(lines.begin() + 2, lines.end()), expected);
}

TEST(MetricsTest, ADeclaredHistogramIsExportedEmptyAndKeepsItsObservations) {
  MetricsRegistry registry;
  HistogramFamily lag = registry.AddHistogram("test_lag_seconds", "Lag.", {0.1});
  EXPECT_EQ(registry.Render(), "") << "a family without series exports nothing";
  lag.Declare({});
  EXPECT_EQ(registry.Render(),
            "# HELP test_lag_seconds Lag.\n"
            "# TYPE test_lag_seconds histogram\n"
            "test_lag_seconds_count 0\n"
            "test_lag_seconds_sum 0\n"
            "test_lag_seconds_bucket{le=\"0.1\"} 0\n"
            "test_lag_seconds_bucket{le=\"+Inf\"} 0\n");
  lag.Observe({}, 0.05);
  lag.Declare({});
  ExpectLines(registry.Render(),
              {"test_lag_seconds_count 1", "test_lag_seconds_bucket{le=\"0.1\"} 1"});
}

TEST(MetricsTest, SeriesOfOneFamilyAreKeptApartByLabels) {
  MetricsRegistry registry;
  CounterFamily runs = registry.AddCounter("test_runs_total", "Runs.");
  runs.Increment({{"dag", "a"}, {"state", "success"}});
  runs.Increment({{"dag", "a"}, {"state", "failed"}});
  runs.Increment({{"state", "success"}, {"dag", "a"}});      // label order does not matter
  runs.Increment({{"dag", "b"}, {"state", "success"}}, -5);  // ignored: counters only grow
  GaugeFamily running = registry.AddGauge("test_running", "Running now.");
  running.Set({}, 7);
  running.Set({}, 3);
  ExpectLines(registry.Render(), {
                                     "test_runs_total{dag=\"a\",state=\"success\"} 2",
                                     "test_runs_total{dag=\"a\",state=\"failed\"} 1",
                                     "test_running 3",
                                 });
  EXPECT_EQ(registry.Render().find("dag=\"b\""), std::string::npos);
}

TEST(MetricsTest, ComputedFamiliesFollowTheRegisteredOnes) {
  MetricsRegistry registry;
  registry.AddGauge("test_kept", "Kept.").Set({}, 1);
  ComputedFamily runs{"test_runs",
                      "Runs by state.",
                      ComputedFamily::Type::kGauge,
                      {{{{"state", "success"}}, 12}, {{{"state", "fail\"ed"}}, 0}}};
  ComputedFamily delivered{
      "test_deliveries_total", "Deliveries.", ComputedFamily::Type::kCounter, {{{}, 5}}};
  EXPECT_EQ(registry.Render({runs, delivered}),
            "# HELP test_kept Kept.\n"
            "# TYPE test_kept gauge\n"
            "test_kept 1\n"
            "# HELP test_runs Runs by state.\n"
            "# TYPE test_runs gauge\n"
            "test_runs{state=\"success\"} 12\n"
            "test_runs{state=\"fail\\\"ed\"} 0\n"
            "# HELP test_deliveries_total Deliveries.\n"
            "# TYPE test_deliveries_total counter\n"
            "test_deliveries_total 5\n");
}

TEST(MetricsTest, ConcurrentUpdatesAndRendersLoseNothing) {
  MetricsRegistry registry;
  CounterFamily events = registry.AddCounter("test_events_total", "Events.");
  HistogramFamily sizes = registry.AddHistogram("test_size", "Sizes.", {1, 10});
  // Declared before the writers start, so every render has the family, whatever the timing
  // (a family without series exports nothing).
  sizes.Declare({});
  constexpr int kThreads = 4;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        events.Increment({{"thread", std::to_string(t % 2)}});
        sizes.Observe({}, 5);
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 200; ++i) {
      EXPECT_NE(registry.Render().find("# TYPE test_size histogram"), std::string::npos);
    }
  });
  for (std::thread& thread : threads) thread.join();
  ExpectLines(registry.Render(), {
                                     "test_events_total{thread=\"0\"} 10000",
                                     "test_events_total{thread=\"1\"} 10000",
                                     "test_size_count 20000",
                                     "test_size_bucket{le=\"1\"} 0",
                                     "test_size_bucket{le=\"10\"} 20000",
                                 });
}

}  // namespace
}  // namespace sluice

// The registry at the size issue 4 names: 1,000 DAG files of 20 tasks each, loaded in
// reasonable time and held in reasonable memory (the daemon must stay under 100 MB RSS).
#include <malloc.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "scheduler/dag_registry.h"
#include "scheduler/fake_plugin_catalog_test_util.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
// Sanitizers and -O0 change time and memory beyond use, and take 20 s for 1,000 files:
// such builds check the same behaviour on fewer.
constexpr bool kMeasured = false;
constexpr int kFiles = 100;
#else
constexpr bool kMeasured = true;
constexpr int kFiles = 1000;
#endif

// A DAG of 20 tasks in the shape of the seeds' pipelines: CSV extracts with typed columns,
// exports that depend on them, shell steps with an environment; about 5 KB of YAML.
std::string TwentyTaskDag(int n) {
  const std::string id = "pipeline_" + std::to_string(n);
  std::string text = "dag: " + id + "\ndescription: |\n  Generated pipeline " +
                     std::to_string(n) +
                     ": extracts the day's files, exports them to the silver layer and "
                     "reports.\nschedule: \"" + std::to_string(n % 60) +
                     " 6 * * *\"\ntimezone: Europe/Paris\nparams:\n  region: eu\n"
                     "defaults:\n  retries: 2\n  retry_delay: 1m\n  timeout: 1h\ntasks:\n";
  for (int t = 0; t < 7; ++t) {
    const std::string table = "table_" + std::to_string(t);
    text += "  - id: extract_" + table + "\n    plugin: extract.csv\n    with:\n"
            "      path: \"/data/raw/{{ params.region }}/" + table + "-{{ ds }}.csv\"\n"
            "      header: true\n      columns:\n"
            "        - {name: id, type: int64}\n        - {name: amount, type: \"decimal(12,2)\"}\n"
            "        - {name: created_at, type: timestamp}\n";
    text += "  - id: export_" + table + "\n    plugin: export.csv\n    depends_on: extract_" +
            table + "\n    with:\n      path: \"/data/silver/" + table + "/{{ ds }}.csv\"\n"
            "      input: extract_" + table + "\n";
  }
  std::string exports;
  for (int t = 0; t < 7; ++t) {
    exports += std::string(t ? ", " : "") + "export_table_" + std::to_string(t);
  }
  for (int s = 0; s < 6; ++s) {
    text += "  - id: report_" + std::to_string(s) + "\n    plugin: shell\n    depends_on: [" +
            exports + "]\n    with:\n      command: \"report --run {{ run_id }} --part " +
            std::to_string(s) + "\"\n      env: {WINDOW: \"{{ ds }}\"}\n";
  }
  return text;
}

// Bytes the allocator hands out now; process RSS keeps what it freed.
size_t HeapInUse() { return mallinfo2().uordblks; }

size_t ResidentBytes() {
  long pages = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> pages >> resident;
  return static_cast<size_t>(resident) * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

TEST(DagRegistryScaleTest, TwentyTaskFilesByTheThousandLoadQuicklyAndCompactly) {
  const fs::path dir =
      fs::temp_directory_path() / ("sluice-registry-scale-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  size_t yaml_bytes = 0;
  for (int n = 0; n < kFiles; ++n) {
    const std::string text = TwentyTaskDag(n);
    yaml_bytes += text.size();
    const fs::path team = dir / ("team_" + std::to_string(n % 10));
    fs::create_directories(team);
    std::ofstream(team / ("pipeline_" + std::to_string(n) + ".yaml")) << text;
  }
  const FakePluginCatalog catalog = CorpusPluginCatalog();
  malloc_trim(0);
  const size_t heap_before = HeapInUse();
  const size_t rss_before = ResidentBytes();

  DagRegistry registry(dir.string(), catalog);
  const auto start = std::chrono::steady_clock::now();
  auto loaded = registry.Rescan();
  const auto load_time = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  const size_t heap_held = HeapInUse() - heap_before;
  const size_t rss_grown = ResidentBytes() - rss_before;

  const auto rescan_start = std::chrono::steady_clock::now();
  auto rescanned = registry.Rescan();
  const auto rescan_time = std::chrono::steady_clock::now() - rescan_start;
  fs::remove_all(dir);

  EXPECT_EQ(loaded->added.size(), size_t{kFiles});
  EXPECT_EQ(registry.DagIds().size(), size_t{kFiles});
  for (const DagFileState& file : registry.Files()) {
    ASSERT_NE(file.dag, nullptr) << file.path << ": " << file.errors.front().ToString();
    ASSERT_EQ(file.dag->spec.tasks.size(), 20u);
    ASSERT_TRUE(file.dag->schedule.has_value());
  }
  ASSERT_TRUE(rescanned.ok());
  EXPECT_TRUE(rescanned->empty());

  using std::chrono::milliseconds;
  const auto ms = [](auto d) { return std::chrono::duration_cast<milliseconds>(d).count(); };
  std::cout << kFiles << " DAG files, " << yaml_bytes / 1024 << " KiB of YAML: loaded in "
            << ms(load_time) << " ms, unchanged rescan in " << ms(rescan_time)
            << " ms; registry heap " << heap_held / 1024 << " KiB, RSS grew "
            << rss_grown / 1024 << " KiB\n";
  if (kMeasured) {
    EXPECT_LT(load_time, std::chrono::seconds(10));
    EXPECT_LT(rescan_time, milliseconds(200));
    EXPECT_LT(heap_held, size_t{40} << 20);
  }
}

}  // namespace
}  // namespace sluice

// The in-memory model of a validated DAG file. Plain data: no YAML or JSON types leak here,
// so every layer above can include it cheaply.
#ifndef SLUICE_SCHEDULER_DAG_H_
#define SLUICE_SCHEDULER_DAG_H_

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sluice {

using Duration = std::chrono::milliseconds;

/// An incremental task's high-water mark: after each successful run sluice keeps the largest
/// value of `column` in the task's output, and `{{ watermark }}` renders it in the next run.
struct WatermarkSpec {
  std::string column;
  std::string initial;  // what `{{ watermark }}` renders before the first successful run
};

/// `trigger: {files: PATTERN}`: a run starts for each new file whose path matches `pattern`.
/// Only the last component of the pattern may hold wildcards (`*`, `?`, `[...]`), so the
/// folder to watch is fixed: `directory`.
struct FileTriggerSpec {
  std::string pattern;     // as_written resolved against the DAG file's folder, lexically
                           // normalised; absolute when the DAG file's path is
  std::string as_written;  // the pattern as the DAG file spells it, for messages
  std::string directory;   // pattern's folder ("." when the pattern names none)
  std::string name_glob;   // pattern's last component, matched with MatchesFileGlob (file_glob.h)
  int line = 0;            // where `files:` is in the DAG file
};

struct TaskSpec {
  std::string id;
  std::string plugin;
  std::vector<std::string> depends_on;  // in file order, no duplicates
  std::string with_json;                // `with:` as a JSON object, templates not rendered
  int retries = 0;                      // task value, else defaults.retries, else 0
  Duration retry_delay{std::chrono::seconds(30)};  // task, else defaults, else 30s
  std::optional<Duration> timeout;      // task, else defaults, else none
  std::optional<WatermarkSpec> watermark;
  std::string pool;                     // task, else defaults.pool; empty: no pool
  int line = 0;                         // where the task starts in the file
};

struct DagSpec {
  std::string id;           // `dag:`, else the file's stem
  std::string file;         // path it was loaded from
  std::string content_hash; // hex digest of the file's bytes
  std::string description;
  std::string schedule;     // as written and checked (schedule.h); empty: runs on demand
  std::string timezone = "UTC";
  // No fire time before start_date nor after end_date (both included). A date written
  // without a time is the start of that day for start_date and its end for end_date.
  std::optional<std::chrono::system_clock::time_point> start_date;
  std::optional<std::chrono::system_clock::time_point> end_date;
  // What the scheduler daemon does after downtime: run every missed interval in order
  // (true), or only the latest (false).
  bool catchup = false;
  int max_active_runs = 1;    // runs of this DAG at once, >= 1
  int max_active_tasks = 16;  // task attempts of this DAG at once, over all its runs, >= 1
  std::optional<FileTriggerSpec> file_trigger;  // may coexist with `schedule`
  std::vector<std::pair<std::string, std::string>> params;  // name -> default, file order
  std::vector<TaskSpec> tasks;  // file order

  /// The task ids in file order: a new run's task instances.
  std::vector<std::string> TaskIds() const {
    std::vector<std::string> ids;
    ids.reserve(tasks.size());
    for (const TaskSpec& t : tasks) ids.push_back(t.id);
    return ids;
  }

  const TaskSpec* FindTask(const std::string& task_id) const {
    for (const TaskSpec& t : tasks) {
      if (t.id == task_id) return &t;
    }
    return nullptr;
  }
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_DAG_H_

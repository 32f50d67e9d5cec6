// The in-memory model of a validated DAG file. Plain data: no YAML or JSON types leak here,
// so every layer above can include it cheaply.
#ifndef SLUICE_SCHEDULER_DAG_H_
#define SLUICE_SCHEDULER_DAG_H_

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/alert.h"

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

/// When a task with upstream tasks may run, given how they ended (`trigger_rule:`). A task
/// without upstream tasks is ready at once whatever its rule.
enum class TriggerRule {
  kAllSuccess,  // every upstream succeeded (the default)
  kAllDone,     // every upstream ended, however
  kAllFailed,   // every upstream failed (or never ran because its own upstream failed)
  kOneFailed,   // as soon as one upstream failed
  kOneSuccess,  // as soon as one upstream succeeded
  kNoneFailed,  // every upstream ended and none failed: succeeded or skipped
};

/// How the wait between attempts grows (`retry_backoff:`).
enum class RetryBackoff {
  kFixed,        // every retry waits retry_delay
  kExponential,  // retry n waits retry_delay * 2^(n-1)
};

/// What a task inherits from the DAG's `defaults:` unless it sets its own: how failures are
/// retried, how long an attempt may run, which pool it takes a slot from, when it may run.
struct TaskPolicy {
  int retries = 0;                                 // attempts after the first; else 0
  Duration retry_delay{std::chrono::seconds(30)};  // the wait before the first retry
  RetryBackoff retry_backoff = RetryBackoff::kFixed;
  std::optional<Duration> max_retry_delay;  // no wait is longer; none: no cap
  double retry_jitter = 0.1;  // each wait grows by up to this fraction, at random
  std::vector<int> retry_exit_codes;  // retry only exits with these codes; empty: any failure
  std::optional<Duration> timeout;    // none: an attempt may run for ever
  std::string pool;                   // empty: no pool
  TriggerRule trigger_rule = TriggerRule::kAllSuccess;
};

struct TaskSpec : TaskPolicy {
  std::string id;
  std::string plugin;
  std::vector<std::string> depends_on;  // in file order, no duplicates
  std::string with_json;                // `with:` as a JSON object, templates not rendered
  std::optional<WatermarkSpec> watermark;
  // The task should have succeeded this long after its run started; if not, one `sla_miss`
  // alert. None: no SLA.
  std::optional<Duration> sla;
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
  // A run still going this long after it started is failed: its attempts are stopped as
  // timed out and its tasks not started are cancelled. None: no limit.
  std::optional<Duration> run_timeout;
  // A run should have ended this long after its logical date (its fire time; its creation
  // for a manual run); if not, one `sla_miss` alert. None: no SLA.
  std::optional<Duration> sla;
  std::optional<FileTriggerSpec> file_trigger;  // may coexist with `schedule`
  std::vector<AlertRoute> alerts;  // where this DAG's run events go, besides the global routes
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

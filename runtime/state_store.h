// The state database: DAG files, runs, task instances and attempts.
//
// The interface is narrow on purpose so that a MySQL/MariaDB backend can sit beside the
// SQLite one when several machines share a scheduler's state. Every method that changes
// state is one transaction; times are UTC strings as produced by FormatUtc (time_format.h).
// Implementations are safe to use from one thread at a time per instance; several processes
// may open the same database (SQLite WAL + busy_timeout).
#ifndef SLUICE_RUNTIME_STATE_STORE_H_
#define SLUICE_RUNTIME_STATE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/status.h"

namespace sluice {

// States are stored as these lower-case words (see docs/architecture.md).
// run:           "queued" -> "running" -> "success" | "failed"
// task instance: "pending" -> "running" -> "success" | "failed" | "up_for_retry" |
//                "upstream_failed" | "skipped" | "cancelled"
// attempt:       "running" -> "success" | "failed" | "timed_out"

struct DagFileRecord {
  std::string file;          // path as found under the DAG folder; the key
  std::string dag_id;        // empty when the file is too broken to tell
  std::string content_hash;  // hex digest of the file's bytes
  std::string error;         // every validation error, one per line; empty when valid
  int task_count = 0;
  std::string schedule;
  std::string updated_at;
};

struct RunRecord {
  std::string run_id;
  std::string dag_id;
  std::string state;
  std::string trigger;  // "manual", "schedule", "backfill", "file"; "foreground": `sluice run`
  std::string logical_date;
  std::string data_interval_start;
  std::string data_interval_end;
  std::string params_json;  // effective params, a JSON object
  std::string trigger_file; // the file that started it, for a run of a file trigger
  std::string dag_file;
  std::string dag_hash;
  std::string created_at;
  std::string started_at;
  std::string ended_at;
};

struct TaskInstanceRecord {
  std::string run_id;
  std::string task_id;
  std::string state;
  int attempts = 0;  // attempts made so far
  std::string started_at;
  std::string ended_at;
};

struct AttemptRecord {
  std::string run_id;
  std::string task_id;
  int attempt = 0;  // 1-based
  std::string state;
  int64_t pid = 0;
  std::string started_at;
  std::string ended_at;
  std::optional<int> exit_code;    // set when the process exited
  std::optional<int> term_signal;  // set when a signal ended it
  std::string error;
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  int64_t bytes_out = 0;
  int64_t peak_rss_kb = 0;
  std::string log_path;
};

/// The high-water mark of an incremental task: the largest value of its watermark column
/// that a successful run has extracted (see docs/dag-reference.md, `watermark`).
struct WatermarkRecord {
  std::string dag_id;
  std::string task_id;
  std::string value;       // the column's value as text, as `sluice data head` shows it
  std::string run_id;      // the run that advanced it
  std::string updated_at;
};

/// What the scheduler keeps per DAG id, across restarts and renames of its file.
struct DagControlRecord {
  std::string dag_id;
  bool paused = false;
  std::string last_fire;  // the latest schedule fire a run was created for; '' when none
  std::string updated_at;
};

/// A file that started a run of a file-triggered DAG; the same path with the same size and
/// modification time never starts another.
struct TriggerFileRecord {
  std::string dag_id;
  std::string path;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  std::string run_id;
  std::string seen_at;
};

/// One alert to deliver to one route: a row of the alert outbox (DESIGN.md decision 6). The
/// event's fields are copied in, so delivery needs nothing else from the database.
struct AlertRecord {
  int64_t id = 0;  // assigned by InsertAlert; sent as X-Sluice-Alert-Id
  std::string created_at;
  std::string kind;  // failure, retry, success, recovery, sla_miss, dag_broken
  std::string dag_id;
  std::string run_id;   // empty for dag_broken
  std::string task_id;  // empty for run-level events
  int attempt = 0;      // 0 for run-level events
  int max_attempts = 0;
  std::string error;    // an excerpt of the failure's error, already redacted
  std::string log_path;
  std::string logical_date;
  std::string retry_at;  // for `retry`: when the next attempt starts
  std::string event_at;  // when the event happened
  std::string file;      // for `dag_broken`: the DAG file
  std::string webhook;   // as written (e.g. "${SLACK_WEBHOOK_URL}"); never the resolved URL
  std::string template_json;  // the route's custom body; empty: Slack's payload
  std::string state = "pending";  // pending -> delivered | failed; or collapsed
  int attempts = 0;               // deliveries tried so far
  std::string next_attempt_at;    // when a pending alert is due
  std::string last_attempt_at;
  int last_status = 0;     // HTTP status of the last try; 0 when there was no answer
  std::string last_error;  // why the last try did not deliver; redacted
  std::string delivered_at;
  int64_t collapsed_into = 0;  // for `collapsed`: the alert whose message carried this one
};

/// What one delivery try of an alert came to.
struct AlertOutcome {
  int64_t id = 0;
  std::string state;            // pending (to be tried again), delivered or failed
  int attempts = 0;             // tries made, this one included
  std::string next_attempt_at;  // for pending
  std::string attempted_at;
  int http_status = 0;
  std::string error;
};

/// A pending alert some process has claimed for a delivery try (StateStore::ClaimAlert).
struct AlertClaim {
  int64_t id = 0;
  int64_t pid = 0;  // the claiming process
};

/// Which alerts ListAlerts returns; empty fields match everything.
struct AlertFilter {
  std::string dag_id;
  std::string run_id;
  int64_t collapsed_into = 0;  // > 0: only the alerts collapsed into this one
  int limit = 0;               // <= 0: no limit
};

/// Row counts for /metrics and the UI's header, read in one statement (so one snapshot).
struct StateCounts {
  std::map<std::string, int64_t> runs_by_state;    // "queued", "running", "success", "failed"
  std::map<std::string, int64_t> tasks_by_state;   // task instances by state
  std::map<std::string, int64_t> alerts_by_state;  // pending, delivered, failed, collapsed
  int64_t dag_files = 0;
  int64_t dag_files_with_errors = 0;
  int64_t paused_dags = 0;  // paused DAG ids that have a DAG file
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // DAG files.
  virtual Status UpsertDagFile(const DagFileRecord& record) = 0;
  virtual Status RemoveDagFile(const std::string& file) = 0;
  virtual Result<std::vector<DagFileRecord>> ListDagFiles() = 0;

  // Runs. CreateRun inserts the run and one "pending" task instance per task id.
  virtual Status CreateRun(const RunRecord& run, const std::vector<std::string>& task_ids) = 0;
  virtual Status UpdateRunState(const std::string& run_id, const std::string& state,
                                const std::string& at) = 0;
  virtual Result<std::optional<RunRecord>> GetRun(const std::string& run_id) = 0;
  /// Newest first; `dag_id` empty means every DAG; `limit` <= 0 means no limit.
  virtual Result<std::vector<RunRecord>> ListRuns(const std::string& dag_id, int limit) = 0;
  /// Runs "queued" or "running", oldest first: the scheduler's work.
  virtual Result<std::vector<RunRecord>> ListActiveRuns() = 0;
  /// The newest `per_dag` runs of every DAG, grouped by DAG id (ascending) and newest first
  /// within a DAG — the DAG list's "last runs" in one query. Newest is by created_at, ties
  /// broken as ListRuns breaks them (the later insert first), so both lists agree.
  virtual Result<std::vector<RunRecord>> ListRecentRunsPerDag(int per_dag) = 0;
  /// The task instances of several runs at once (the UI's grid of runs x tasks): by run id,
  /// then in DAG order as ListTaskInstances. Unknown run ids are skipped; repeats count once.
  virtual Result<std::vector<TaskInstanceRecord>> ListTaskInstancesOfRuns(
      const std::vector<std::string>& run_ids) = 0;
  /// Runs by state, task instances by state, alerts by state, DAG files (with errors) and
  /// paused DAGs, all from one snapshot of the database.
  virtual Result<StateCounts> CountStates() = 0;
  /// The run of `dag_id` for schedule fire `logical_date` (trigger "schedule"), if any.
  virtual Result<std::optional<RunRecord>> FindScheduledRun(const std::string& dag_id,
                                                            const std::string& logical_date) = 0;

  // Per-DAG scheduling state. A DAG never seen has no row: not paused, no fire yet.
  virtual Result<std::vector<DagControlRecord>> ListDagControls() = 0;
  virtual Status SetDagPaused(const std::string& dag_id, bool paused, const std::string& at) = 0;
  /// Records `fire` as the latest schedule fire of `dag_id` that has its run; call it in the
  /// transaction that creates that run, so a fire never gets two runs nor none.
  virtual Status SetLastFire(const std::string& dag_id, const std::string& fire,
                             const std::string& at) = 0;

  // Files that started runs of file-triggered DAGs.
  virtual Result<bool> TriggerFileSeen(const std::string& dag_id, const std::string& path,
                                       int64_t size, int64_t mtime_ns) = 0;
  /// Call it in the transaction that creates the file's run.
  virtual Status RecordTriggerFile(const TriggerFileRecord& record) = 0;

  /// True when another connection (another process) committed a change since the last call
  /// — a cheap check (PRAGMA data_version) for the scheduler to notice CLI verbs.
  virtual Result<bool> ChangedElsewhere() = 0;

  // Task instances and attempts.
  virtual Status SetTaskState(const std::string& run_id, const std::string& task_id,
                              const std::string& state, const std::string& at) = 0;
  /// Records the attempt "running" and its task instance "running", attempts = attempt.attempt.
  virtual Status StartAttempt(const AttemptRecord& attempt) = 0;
  /// Records the pid of an attempt's process once it is started, so that a restarted
  /// scheduler can make sure that process is gone.
  virtual Status SetAttemptPid(const std::string& run_id, const std::string& task_id,
                               int attempt, int64_t pid) = 0;
  /// Records the attempt's outcome and sets its task instance to `task_state`.
  virtual Status FinishAttempt(const AttemptRecord& attempt, const std::string& task_state) = 0;
  virtual Result<std::vector<TaskInstanceRecord>> ListTaskInstances(const std::string& run_id) = 0;
  /// Attempts of one run, by task then attempt number; `task_id` empty means all tasks.
  virtual Result<std::vector<AttemptRecord>> ListAttempts(const std::string& run_id,
                                                          const std::string& task_id) = 0;
  /// Mean seconds of each task's successful attempts over the DAG's last `runs` runs, by task
  /// id (tasks without one are absent): how long the engine expects each task to take.
  virtual Result<std::map<std::string, double>> RecentTaskSeconds(const std::string& dag_id, int runs) = 0;

  // Watermarks of incremental tasks. A task's new watermark is held on its task instance
  // until the whole run succeeds; CommitWatermarks then advances the DAG's watermarks, so a
  // failed run leaves them where they were and its rows are extracted again.
  virtual Status SetPendingWatermark(const std::string& run_id, const std::string& task_id,
                                     const std::string& value) = 0;
  virtual Status CommitWatermarks(const std::string& run_id, const std::string& at) = 0;
  virtual Result<std::optional<WatermarkRecord>> GetWatermark(const std::string& dag_id,
                                                              const std::string& task_id) = 0;
  /// Every watermark of `dag_id` (every DAG when empty), by DAG then task.
  virtual Result<std::vector<WatermarkRecord>> ListWatermarks(const std::string& dag_id) = 0;
  /// Forgets a watermark, so the task's next run starts again from its `initial` value.
  /// Returns false when there was none.
  virtual Result<bool> DeleteWatermark(const std::string& dag_id, const std::string& task_id) = 0;

  // The alert outbox. InsertAlert joins an enclosing InTransaction, so that an event's state
  // transition and its alerts commit together.
  virtual Result<int64_t> InsertAlert(const AlertRecord& alert) = 0;
  /// Pending alerts due at `due_by` or before (every pending one when `due_by` is empty),
  /// earliest due first; `limit` <= 0 means no limit.
  virtual Result<std::vector<AlertRecord>> ListPendingAlerts(const std::string& due_by,
                                                             int limit) = 0;
  /// Takes pending alert `id` for one delivery try: true when it was due at `now` and is now
  /// held by this process until `lease_until` (so that no other process sends it meanwhile);
  /// false when it is no longer pending or not due.
  virtual Result<bool> ClaimAlert(int64_t id, const std::string& now,
                                  const std::string& lease_until) = 0;
  /// Pending alerts held by a claim (the claim ends with RecordAlertOutcome).
  virtual Result<std::vector<AlertClaim>> ListAlertClaims() = 0;
  /// Ends `claim` of a process that died mid-delivery: the alert is due at `now` again.
  /// False when that process no longer holds it.
  virtual Result<bool> ReleaseAlertClaim(const AlertClaim& claim, const std::string& now) = 0;
  /// Marks pending alert `id`, never tried, as carried by alert `into`'s message; false when
  /// it was no longer pending or already tried.
  virtual Result<bool> CollapseAlert(int64_t id, int64_t into) = 0;
  virtual Status RecordAlertOutcome(const AlertOutcome& outcome) = 0;
  /// Newest first.
  virtual Result<std::vector<AlertRecord>> ListAlerts(const AlertFilter& filter) = 0;

  /// Runs `body` in one transaction: committed if it returns ok, rolled back otherwise.
  /// Calls to this store from inside `body` join the transaction.
  virtual Status InTransaction(const std::function<Status()>& body) = 0;
};

/// Opens (creating if needed) the SQLite database at `path` and migrates it to the current
/// schema version (PRAGMA user_version). Refuses a database newer than this build knows.
Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_STATE_STORE_H_

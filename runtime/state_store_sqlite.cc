// The SQLite implementation of StateStore (state_store.h), on the sqlite3 C API.
//
// Connection settings, and why:
//  - journal_mode=WAL: readers (the CLI, the web UI, other processes) never block the
//    scheduler's writes and vice versa.
//  - busy_timeout=5000: a writer waits up to 5 s for another process's write lock instead of
//    failing at once.
//  - synchronous=NORMAL: in WAL mode a power loss may drop the last commits but never corrupts
//    the database; fsync on every commit would dominate the dispatch path.
//  - foreign_keys=ON: attempts cannot outlive their task instance, nor task instances their run.
//
// Schema (documented for users in docs/state-schema.md; keep both in step):
//
//   dag_files       one row per DAG file found under the DAG folder
//     file TEXT PK, dag_id, content_hash, error, task_count INTEGER, schedule,
//     paused INTEGER (0/1; reserved for `sluice dags pause`, never touched by UpsertDagFile),
//     updated_at
//   runs            one row per DAG run
//     run_id TEXT PK, dag_id, state, "trigger", logical_date, data_interval_start,
//     data_interval_end, params_json, dag_file, dag_hash, created_at, started_at, ended_at
//     index runs_by_dag_created (dag_id, created_at); index runs_by_created (created_at)
//   task_instances  one row per task of a run (WITHOUT ROWID, like attempts: the row lives in
//                   its primary key's b-tree, so a write touches one b-tree instead of two)
//     (run_id -> runs, task_id) PK, position INTEGER (the task's index in the DAG, for
//     display order), state, attempts INTEGER, started_at, ended_at
//   attempts        one row per attempt of a task instance; never updated after it finished
//     (run_id, task_id -> task_instances, attempt INTEGER) PK, state, pid, started_at,
//     ended_at, exit_code INTEGER NULL, term_signal INTEGER NULL, error, rows_in, rows_out,
//     bytes_out, peak_rss_kb, log_path
//   watermarks      the committed high-water mark of each incremental task (schema v2)
//     (dag_id, task_id) PK, value, run_id, updated_at
//   task_instances.watermark (v2): the watermark a successful task found, NULL until then;
//     copied into watermarks when its run succeeds
//   (v3: dag_controls, trigger_files, runs.trigger_file; see docs/state-schema.md)
//   alerts          the alert outbox (v4): one row per (event, route), written in the
//                   transaction of the event's state transition, then delivered
//     id INTEGER PK AUTOINCREMENT (never reused: receivers drop duplicates by it), created_at,
//     kind, dag_id, run_id, task_id, attempt, max_attempts, error, log_path, logical_date,
//     retry_at, event_at, file, webhook (as written, never resolved), template_json, state
//     (pending -> delivered | failed; collapsed), attempts, next_attempt_at, last_attempt_at,
//     last_status, last_error, delivered_at, collapsed_into
//     partial index alerts_pending (next_attempt_at) WHERE state = 'pending';
//     index alerts_by_run (run_id); index alerts_by_dag (dag_id, id)
//
// Every time is TEXT in FormatUtc's format (UTC, sortable as text); "" means "not yet".
// States are the lower-case words listed in state_store.h. They carry no CHECK constraint on
// purpose: adding a state later would otherwise need a table rebuild in SQLite.
//
// Versioning: PRAGMA user_version is the number of migration steps applied; kMigrations[i]
// brings the schema from version i to i+1 in its own transaction. Steps are only ever
// appended, never edited once released. A database newer than kMigrations is refused.
// PRAGMA application_id marks the file as sluice's so another program's database is refused.
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "runtime/state_store.h"

#include <unistd.h>

namespace sluice {
namespace {

// "SLCE": PRAGMA application_id of every sluice state database.
constexpr int kApplicationId = 0x534C4345;
constexpr int kBusyTimeoutMs = 5000;

struct Migration {
  const char* summary;
  const char* sql;
};

// Append only. Each entry runs inside one transaction together with the user_version bump.
constexpr Migration kMigrations[] = {
    {"initial schema: dag files, runs, task instances, attempts", R"sql(
CREATE TABLE dag_files (
  file         TEXT PRIMARY KEY,
  dag_id       TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  error        TEXT NOT NULL DEFAULT '',
  task_count   INTEGER NOT NULL DEFAULT 0,
  schedule     TEXT NOT NULL DEFAULT '',
  paused       INTEGER NOT NULL DEFAULT 0,
  updated_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dag_files_by_dag_id ON dag_files (dag_id);

CREATE TABLE runs (
  run_id              TEXT PRIMARY KEY,
  dag_id              TEXT NOT NULL,
  state               TEXT NOT NULL,
  "trigger"           TEXT NOT NULL DEFAULT '',
  logical_date        TEXT NOT NULL DEFAULT '',
  data_interval_start TEXT NOT NULL DEFAULT '',
  data_interval_end   TEXT NOT NULL DEFAULT '',
  params_json         TEXT NOT NULL DEFAULT '{}',
  dag_file            TEXT NOT NULL DEFAULT '',
  dag_hash            TEXT NOT NULL DEFAULT '',
  created_at          TEXT NOT NULL,
  started_at          TEXT NOT NULL DEFAULT '',
  ended_at            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_by_dag_created ON runs (dag_id, created_at);
CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE task_instances (
  run_id     TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  task_id    TEXT NOT NULL,
  position   INTEGER NOT NULL,
  state      TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL DEFAULT '',
  ended_at   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, task_id)
) WITHOUT ROWID;

CREATE TABLE attempts (
  run_id      TEXT NOT NULL,
  task_id     TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  state       TEXT NOT NULL,
  pid         INTEGER NOT NULL DEFAULT 0,
  started_at  TEXT NOT NULL DEFAULT '',
  ended_at    TEXT NOT NULL DEFAULT '',
  exit_code   INTEGER,
  term_signal INTEGER,
  error       TEXT NOT NULL DEFAULT '',
  rows_in     INTEGER NOT NULL DEFAULT 0,
  rows_out    INTEGER NOT NULL DEFAULT 0,
  bytes_out   INTEGER NOT NULL DEFAULT 0,
  peak_rss_kb INTEGER NOT NULL DEFAULT 0,
  log_path    TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, task_id, attempt),
  FOREIGN KEY (run_id, task_id) REFERENCES task_instances (run_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;

PRAGMA application_id = 1397506885;
)sql"},
    {"watermarks of incremental tasks", R"sql(
ALTER TABLE task_instances ADD COLUMN watermark TEXT;

CREATE TABLE watermarks (
  dag_id     TEXT NOT NULL,
  task_id    TEXT NOT NULL,
  value      TEXT NOT NULL,
  run_id     TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (dag_id, task_id)
) WITHOUT ROWID;
)sql"},
    {"the scheduler: per-DAG pause and last fire, file triggers, one run per schedule fire",
     R"sql(
ALTER TABLE runs ADD COLUMN trigger_file TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX runs_one_per_fire ON runs (dag_id, logical_date) WHERE "trigger" = 'schedule';
CREATE INDEX runs_active ON runs (created_at) WHERE state IN ('queued', 'running');

CREATE TABLE dag_controls (
  dag_id     TEXT PRIMARY KEY,
  paused     INTEGER NOT NULL DEFAULT 0,
  last_fire  TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE trigger_files (
  dag_id   TEXT NOT NULL,
  path     TEXT NOT NULL,
  size     INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  run_id   TEXT NOT NULL,
  seen_at  TEXT NOT NULL,
  PRIMARY KEY (dag_id, path, size, mtime_ns)
) WITHOUT ROWID;
)sql"},
    {"the alert outbox", R"sql(
CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at      TEXT NOT NULL,
  kind            TEXT NOT NULL,
  dag_id          TEXT NOT NULL DEFAULT '',
  run_id          TEXT NOT NULL DEFAULT '',
  task_id         TEXT NOT NULL DEFAULT '',
  attempt         INTEGER NOT NULL DEFAULT 0,
  max_attempts    INTEGER NOT NULL DEFAULT 0,
  error           TEXT NOT NULL DEFAULT '',
  log_path        TEXT NOT NULL DEFAULT '',
  logical_date    TEXT NOT NULL DEFAULT '',
  retry_at        TEXT NOT NULL DEFAULT '',
  event_at        TEXT NOT NULL DEFAULT '',
  file            TEXT NOT NULL DEFAULT '',
  webhook         TEXT NOT NULL,
  template_json   TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL DEFAULT '',
  last_attempt_at TEXT NOT NULL DEFAULT '',
  last_status     INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  delivered_at    TEXT NOT NULL DEFAULT '',
  collapsed_into  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_pending ON alerts (next_attempt_at) WHERE state = 'pending';
CREATE INDEX alerts_by_run ON alerts (run_id);
CREATE INDEX alerts_by_dag ON alerts (dag_id, id);
)sql"},
    // The pid that claimed a pending alert for a delivery try (0: none), so that a process
    // killed mid-delivery does not hold its alert until the lease runs out.
    {"who claimed an alert", R"sql(
ALTER TABLE alerts ADD COLUMN claimed_by INTEGER NOT NULL DEFAULT 0;
)sql"},
};
constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));
static_assert(kApplicationId == 1397506885, "keep the first migration's application_id in step");

// What the user can do about an SQLite error, by its primary result code.
std::string_view Advice(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "; another process kept the database locked for more than 5 s — retry, and look "
             "for a stuck sluice process";
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return "; check that this user may read and write the file and its folder";
    case SQLITE_FULL:
      return "; the disk is full — free some space";
    case SQLITE_IOERR:
      return "; the disk reported an I/O error — check the file system";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "; the file is damaged or not a database — restore it from a backup or move it "
             "aside to start afresh";
    default:
      return "";
  }
}

std::string ColumnText(sqlite3_stmt* stmt, int column) {
  const unsigned char* text = sqlite3_column_text(stmt, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
}

std::optional<int> ColumnOptionalInt(sqlite3_stmt* stmt, int column) {
  if (sqlite3_column_type(stmt, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int(stmt, column);
}

class SqliteStateStore;

// One use of a cached prepared statement: binds, steps, and resets it when destroyed so that
// a finished SELECT never keeps a read transaction (and an old WAL snapshot) open.
class Query {
 public:
  Query(const SqliteStateStore* store, sqlite3_stmt* stmt) : store_(store), stmt_(stmt) {}
  Query(Query&& other) noexcept
      : store_(other.store_), stmt_(std::exchange(other.stmt_, nullptr)),
        bind_error_(other.bind_error_) {}
  Query& operator=(Query&&) = delete;
  ~Query() {
    if (stmt_ == nullptr) return;
    // Both only repeat errors that Step() has already returned.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Strings are bound without copying; they must outlive the last Step().
  Query& Bind(int index, std::string_view text) {
    return Check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                   SQLITE_STATIC));
  }
  Query& Bind(int index, int64_t value) { return Check(sqlite3_bind_int64(stmt_, index, value)); }
  Query& Bind(int index, std::optional<int> value) {
    return Check(value ? sqlite3_bind_int(stmt_, index, *value) : sqlite3_bind_null(stmt_, index));
  }

  /// true when a row is ready, false when the statement is done.
  Result<bool> Step(std::string_view doing);
  /// Runs a statement that returns no rows.
  Status Run(std::string_view doing) {
    Result<bool> row = Step(doing);
    return row.ok() ? Status::Ok() : row.status();
  }
  /// Makes the statement ready to run again with new bindings.
  void Rewind() {
    sqlite3_reset(stmt_);  // repeats the last Step()'s error, already returned
  }

  sqlite3_stmt* stmt() const { return stmt_; }

 private:
  Query& Check(int rc) {
    if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
    return *this;
  }

  const SqliteStateStore* store_;
  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;
};

class SqliteStateStore final : public StateStore {
 public:
  SqliteStateStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStateStore() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    // close_v2 cannot fail once every statement is finalized; a destructor could not report it.
    sqlite3_close_v2(db_);
  }
  SqliteStateStore(const SqliteStateStore&) = delete;
  SqliteStateStore& operator=(const SqliteStateStore&) = delete;

  Status Configure();
  Status Migrate();

  Status UpsertDagFile(const DagFileRecord& record) override;
  Status RemoveDagFile(const std::string& file) override;
  Result<std::vector<DagFileRecord>> ListDagFiles() override;

  Status CreateRun(const RunRecord& run, const std::vector<std::string>& task_ids) override;
  Status UpdateRunState(const std::string& run_id, const std::string& state,
                        const std::string& at) override;
  Result<std::optional<RunRecord>> GetRun(const std::string& run_id) override;
  Result<std::vector<RunRecord>> ListRuns(const std::string& dag_id, int limit) override;
  Result<std::vector<RunRecord>> ListActiveRuns() override;
  Result<std::vector<RunRecord>> ListRecentRunsPerDag(int per_dag) override;
  Result<std::vector<TaskInstanceRecord>> ListTaskInstancesOfRuns(
      const std::vector<std::string>& run_ids) override;
  Result<StateCounts> CountStates() override;
  Result<std::optional<RunRecord>> FindScheduledRun(const std::string& dag_id,
                                                    const std::string& logical_date) override;
  Result<std::vector<DagControlRecord>> ListDagControls() override;
  Status SetDagPaused(const std::string& dag_id, bool paused, const std::string& at) override;
  Status SetLastFire(const std::string& dag_id, const std::string& fire,
                     const std::string& at) override;
  Result<bool> TriggerFileSeen(const std::string& dag_id, const std::string& path, int64_t size,
                               int64_t mtime_ns) override;
  Status RecordTriggerFile(const TriggerFileRecord& record) override;
  Result<bool> ChangedElsewhere() override;

  Status SetTaskState(const std::string& run_id, const std::string& task_id,
                      const std::string& state, const std::string& at) override;
  Status StartAttempt(const AttemptRecord& attempt) override;
  Status SetAttemptPid(const std::string& run_id, const std::string& task_id, int attempt,
                       int64_t pid) override;
  Status FinishAttempt(const AttemptRecord& attempt, const std::string& task_state) override;
  Result<std::vector<TaskInstanceRecord>> ListTaskInstances(const std::string& run_id) override;
  Result<std::vector<AttemptRecord>> ListAttempts(const std::string& run_id,
                                                  const std::string& task_id) override;
  Result<std::map<std::string, double>> RecentTaskSeconds(const std::string& dag_id, int runs) override;

  Status SetPendingWatermark(const std::string& run_id, const std::string& task_id,
                             const std::string& value) override;
  Status CommitWatermarks(const std::string& run_id, const std::string& at) override;
  Result<std::optional<WatermarkRecord>> GetWatermark(const std::string& dag_id,
                                                      const std::string& task_id) override;
  Result<std::vector<WatermarkRecord>> ListWatermarks(const std::string& dag_id) override;
  Result<bool> DeleteWatermark(const std::string& dag_id, const std::string& task_id) override;

  Result<int64_t> InsertAlert(const AlertRecord& alert) override;
  Result<std::vector<AlertRecord>> ListPendingAlerts(const std::string& due_by, int limit) override;
  Result<bool> ClaimAlert(int64_t id, const std::string& now,
                          const std::string& lease_until) override;
  Result<std::vector<AlertClaim>> ListAlertClaims() override;
  Result<bool> ReleaseAlertClaim(const AlertClaim& claim, const std::string& now) override;
  Result<bool> CollapseAlert(int64_t id, int64_t into) override;
  Status RecordAlertOutcome(const AlertOutcome& outcome) override;
  Result<std::vector<AlertRecord>> ListAlerts(const AlertFilter& filter) override;

  Status InTransaction(const std::function<Status()>& body) override;

  /// "state database PATH: DOING: SQLITE MESSAGE; ADVICE", for the error `code` just returned.
  Status SqliteError(std::string_view doing, int code) const {
    std::string message = "state database " + path_ + ": " + std::string(doing) + ": " +
                          sqlite3_errmsg(db_);
    message += Advice(code);
    return Status::Error(std::move(message));
  }
  Status Error(std::string_view message) const {
    return Status::Error("state database " + path_ + ": " + std::string(message));
  }

 private:
  /// A statement prepared once per connection. REQUIRES: `sql` is a string literal (its
  /// address is the cache key).
  Result<Query> Prepare(const char* sql);
  Status Exec(const char* sql, std::string_view doing);
  /// Like Exec for one statement, prepared once: BEGIN and COMMIT are on the hot path.
  Status RunCached(const char* sql, std::string_view doing);
  Result<int> PragmaInt(const char* sql);
  Status MigrateOneStep();
  int ChangedRows() const { return sqlite3_changes(db_); }

  sqlite3* db_;
  std::string path_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
  int transaction_depth_ = 0;
  std::optional<int> last_data_version_;  // for ChangedElsewhere
  // The first failure of a nested InTransaction; it dooms the whole outer transaction.
  Status inner_failure_;
};

Result<bool> Query::Step(std::string_view doing) {
  if (bind_error_ != SQLITE_OK) {
    // sqlite3_errmsg() describes only the last failed call, not necessarily the bind.
    return store_->Error(std::string(doing) + ": " + sqlite3_errstr(bind_error_));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return store_->SqliteError(doing, rc);
}

Result<Query> SqliteStateStore::Prepare(const char* sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Query(this, found->second);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError("cannot prepare a statement (is the schema as this build expects?)", rc);
  }
  statements_.emplace(sql, stmt);
  return Query(this, stmt);
}

Status SqliteStateStore::RunCached(const char* sql, std::string_view doing) {
  Result<Query> query = Prepare(sql);
  return query.ok() ? query->Run(doing) : query.status();
}

Status SqliteStateStore::Exec(const char* sql, std::string_view doing) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteError(doing, rc);
}

Result<int> SqliteStateStore::PragmaInt(const char* sql) {
  Result<Query> query = Prepare(sql);
  if (!query) return query.status();
  Result<bool> row = query->Step(std::string("cannot read ") + sql);
  if (!row) return row.status();
  if (!*row) return Error(std::string(sql) + " returned nothing");
  return sqlite3_column_int(query->stmt(), 0);
}

Status SqliteStateStore::Configure() {
  // First, so that every later statement (even switching to WAL) waits for other processes.
  if (int rc = sqlite3_busy_timeout(db_, kBusyTimeoutMs); rc != SQLITE_OK) {
    return SqliteError("cannot set the busy timeout", rc);
  }
  // The busy timeout does not cover every way a journal-mode change meets another process
  // (seen once: a new database opened by `sluice run` while CLI verbs polled it), so a busy
  // switch is tried again until the same timeout has passed.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    Result<Query> query = Prepare("PRAGMA journal_mode = WAL");
    if (!query) return query.status();
    Result<bool> row = query->Step("cannot switch to WAL mode");
    if (!row) {
      const int code = sqlite3_errcode(db_) & 0xff;
      if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
          std::chrono::steady_clock::now() >= give_up) {
        return row.status();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    const std::string mode = *row ? ColumnText(query->stmt(), 0) : "";
    const bool in_memory = path_ == ":memory:" && mode == "memory";
    if (mode != "wal" && !in_memory) {
      return Error("cannot switch to WAL mode (the journal mode stays '" + mode +
                   "'); put the database on a local file system");
    }
    break;
  }
  if (Status s = Exec("PRAGMA synchronous = NORMAL", "cannot set synchronous=NORMAL"); !s) return s;
  return Exec("PRAGMA foreign_keys = ON", "cannot enable foreign keys");
}

Status SqliteStateStore::Migrate() {
  Result<int> version = PragmaInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version != 0) {
    Result<int> application_id = PragmaInt("PRAGMA application_id");
    if (!application_id.ok()) return application_id.status();
    if (*application_id != kApplicationId) {
      return Error("is an SQLite database of another program (application_id " +
                   std::to_string(*application_id) + "); choose another path for sluice's state");
    }
  }
  // Checked outside a transaction first so that opening an up-to-date database takes no
  // write lock; MigrateOneStep checks again under the lock.
  while (*version != kSchemaVersion) {
    if (*version > kSchemaVersion) {
      return Error("was written by a newer sluice (schema " + std::to_string(*version) +
                   "); this build knows up to " + std::to_string(kSchemaVersion) +
                   " — upgrade sluice");
    }
    if (Status s = MigrateOneStep(); !s.ok()) return s;
    version = PragmaInt("PRAGMA user_version");
    if (!version.ok()) return version.status();
  }
  return Status::Ok();
}

// Applies the step after the current user_version, under the write lock, so that two
// processes opening a new database at once never apply the same step twice.
Status SqliteStateStore::MigrateOneStep() {
  if (Status s = Exec("BEGIN IMMEDIATE", "cannot start a migration"); !s) return s;
  auto fail = [&](Status error) {
    // The error being returned matters more than a failed rollback's; SQLite rolls an
    // unfinished transaction back when the connection closes anyway.
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  };
  Result<int> version = PragmaInt("PRAGMA user_version");
  if (!version) return fail(version.status());
  if (*version >= kSchemaVersion) return Exec("COMMIT", "cannot finish a migration");
  if (*version == 0) {
    Result<int> objects = [&]() -> Result<int> {
      Result<Query> query = Prepare("SELECT count(*) FROM sqlite_schema");
      if (!query) return query.status();
      Result<bool> row = query->Step("cannot list the database's tables");
      if (!row) return row.status();
      return sqlite3_column_int(query->stmt(), 0);
    }();
    if (!objects) return fail(objects.status());
    if (*objects > 0) {
      return fail(Error("holds tables but no sluice schema version; choose another path for "
                        "sluice's state"));
    }
  }
  const Migration& step = kMigrations[*version];
  const std::string doing = "migration to schema " + std::to_string(*version + 1) + " (" +
                            step.summary + ") failed";
  if (Status s = Exec(step.sql, doing); !s) return fail(s);
  const std::string bump = "PRAGMA user_version = " + std::to_string(*version + 1);
  if (Status s = Exec(bump.c_str(), doing); !s) return fail(s);
  if (Status s = Exec("COMMIT", doing); !s) return fail(s);
  return Status::Ok();
}

Status SqliteStateStore::InTransaction(const std::function<Status()>& body) {
  // Kept right even when `body` throws: the exception is not ours to swallow, but it must not
  // leave the connection inside a transaction or the depth counter off.
  struct DepthGuard {
    int& depth;
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
  };
  if (transaction_depth_ > 0) {
    DepthGuard nested(transaction_depth_);
    Status s = body();
    if (!s.ok() && inner_failure_.ok()) inner_failure_ = s;
    return s;
  }
  // IMMEDIATE takes the write lock now: a read transaction upgraded to a write later fails
  // with SQLITE_BUSY at once when another process wrote meanwhile, without waiting.
  if (Status s = RunCached("BEGIN IMMEDIATE", "cannot start a transaction"); !s.ok()) return s;
  inner_failure_ = Status::Ok();
  struct RollbackUnlessDismissed {
    sqlite3* db;
    bool armed = true;
    ~RollbackUnlessDismissed() {
      // Only reached while an exception unwinds; there is no one to report a failure to.
      if (armed) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  } rollback{db_};
  Status s;
  {
    DepthGuard outer(transaction_depth_);
    s = body();
  }
  rollback.armed = false;
  // A nested step that failed dooms the whole transaction even when the outer body carried
  // on: the transaction is the unit of a state transition.
  if (s.ok() && !inner_failure_.ok()) s = inner_failure_;
  if (s.ok()) {
    s = RunCached("COMMIT", "cannot commit a transaction");
    if (s.ok()) return s;
  }
  // The original error is what the caller needs; a failed ROLLBACK leaves nothing more to do
  // (SQLite has already rolled back when COMMIT itself failed).
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return s;
}

// ---- DAG files ----

Status SqliteStateStore::UpsertDagFile(const DagFileRecord& r) {
  Result<Query> q = Prepare(
      "INSERT INTO dag_files (file, dag_id, content_hash, error, task_count, schedule, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (file) DO UPDATE SET dag_id = excluded.dag_id, "
      "content_hash = excluded.content_hash, error = excluded.error, "
      "task_count = excluded.task_count, schedule = excluded.schedule, "
      "updated_at = excluded.updated_at");
  if (!q) return q.status();
  q->Bind(1, r.file).Bind(2, r.dag_id).Bind(3, r.content_hash).Bind(4, r.error);
  q->Bind(5, int64_t{r.task_count}).Bind(6, r.schedule).Bind(7, r.updated_at);
  return q->Run("cannot record DAG file " + r.file);
}

Status SqliteStateStore::RemoveDagFile(const std::string& file) {
  Result<Query> q = Prepare("DELETE FROM dag_files WHERE file = ?1");
  if (!q) return q.status();
  q->Bind(1, file);
  return q->Run("cannot forget DAG file " + file);
}

Result<std::vector<DagFileRecord>> SqliteStateStore::ListDagFiles() {
  Result<Query> q = Prepare(
      "SELECT file, dag_id, content_hash, error, task_count, schedule, updated_at "
      "FROM dag_files ORDER BY file");
  if (!q) return q.status();
  std::vector<DagFileRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list DAG files");
    if (!row) return row.status();
    if (!*row) return out;
    sqlite3_stmt* s = q->stmt();
    out.push_back({ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2), ColumnText(s, 3),
                   sqlite3_column_int(s, 4), ColumnText(s, 5), ColumnText(s, 6)});
  }
}

// ---- runs ----

#define SLUICE_RUN_COLUMNS                                                              \
  "run_id, dag_id, state, \"trigger\", logical_date, data_interval_start, "             \
  "data_interval_end, params_json, dag_file, dag_hash, created_at, started_at, ended_at, " \
  "trigger_file"

RunRecord ReadRun(sqlite3_stmt* s) {
  RunRecord r;
  r.run_id = ColumnText(s, 0);
  r.dag_id = ColumnText(s, 1);
  r.state = ColumnText(s, 2);
  r.trigger = ColumnText(s, 3);
  r.logical_date = ColumnText(s, 4);
  r.data_interval_start = ColumnText(s, 5);
  r.data_interval_end = ColumnText(s, 6);
  r.params_json = ColumnText(s, 7);
  r.dag_file = ColumnText(s, 8);
  r.dag_hash = ColumnText(s, 9);
  r.created_at = ColumnText(s, 10);
  r.started_at = ColumnText(s, 11);
  r.ended_at = ColumnText(s, 12);
  r.trigger_file = ColumnText(s, 13);
  return r;
}

Status SqliteStateStore::CreateRun(const RunRecord& run, const std::vector<std::string>& task_ids) {
  return InTransaction([&]() -> Status {
    const std::string doing = "cannot create run " + run.run_id + " of DAG " + run.dag_id;
    {
      Result<Query> q = Prepare("INSERT INTO runs (" SLUICE_RUN_COLUMNS
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
      if (!q) return q.status();
      q->Bind(1, run.run_id).Bind(2, run.dag_id).Bind(3, run.state).Bind(4, run.trigger);
      q->Bind(5, run.logical_date).Bind(6, run.data_interval_start);
      q->Bind(7, run.data_interval_end).Bind(8, run.params_json).Bind(9, run.dag_file);
      q->Bind(10, run.dag_hash).Bind(11, run.created_at).Bind(12, run.started_at);
      q->Bind(13, run.ended_at).Bind(14, run.trigger_file);
      if (Status s = q->Run(doing); !s) return s;
    }
    Result<Query> q = Prepare(
        "INSERT INTO task_instances (run_id, task_id, position, state) "
        "VALUES (?1, ?2, ?3, 'pending')");
    if (!q) return q.status();
    for (size_t i = 0; i < task_ids.size(); ++i) {
      q->Bind(1, run.run_id).Bind(2, task_ids[i]).Bind(3, static_cast<int64_t>(i));
      if (Status s = q->Run(doing + " (task " + task_ids[i] + ")"); !s) return s;
      q->Rewind();
    }
    return Status::Ok();
  });
}

// How `at` is recorded (the same rule for SetTaskState, see docs/state-schema.md): "running"
// sets started_at and clears ended_at; "queued" (a task: "pending") clears both, as a cleared
// run starts afresh; every other state sets ended_at.
Status SqliteStateStore::UpdateRunState(const std::string& run_id, const std::string& state,
                                        const std::string& at) {
  Result<Query> q = Prepare(
      "UPDATE runs SET state = ?2, "
      "started_at = CASE ?2 WHEN 'running' THEN ?3 WHEN 'queued' THEN '' ELSE started_at END, "
      "ended_at = CASE ?2 WHEN 'running' THEN '' WHEN 'queued' THEN '' ELSE ?3 END "
      "WHERE run_id = ?1");
  if (!q) return q.status();
  q->Bind(1, run_id).Bind(2, state).Bind(3, at);
  if (Status s = q->Run("cannot set run " + run_id + " to " + state); !s) return s;
  if (ChangedRows() == 0) return Error("cannot set run " + run_id + " to " + state + ": no such run");
  return Status::Ok();
}

Result<std::optional<RunRecord>> SqliteStateStore::GetRun(const std::string& run_id) {
  Result<Query> q = Prepare("SELECT " SLUICE_RUN_COLUMNS " FROM runs WHERE run_id = ?1");
  if (!q) return q.status();
  q->Bind(1, run_id);
  Result<bool> row = q->Step("cannot read run " + run_id);
  if (!row) return row.status();
  if (!*row) return std::optional<RunRecord>();
  return std::optional<RunRecord>(ReadRun(q->stmt()));
}

Result<std::vector<RunRecord>> SqliteStateStore::ListRuns(const std::string& dag_id, int limit) {
  // Two statements rather than "?1 = '' OR dag_id = ?1", which would defeat the index.
  // rowid breaks ties between runs created in the same microsecond: later insert first.
  // LIMIT -1 is SQLite's "no limit".
  Result<Query> q =
      dag_id.empty()
          ? Prepare("SELECT " SLUICE_RUN_COLUMNS
                    " FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?1")
          : Prepare("SELECT " SLUICE_RUN_COLUMNS
                    " FROM runs WHERE dag_id = ?2 ORDER BY created_at DESC, rowid DESC LIMIT ?1");
  if (!q) return q.status();
  q->Bind(1, int64_t{limit > 0 ? limit : -1});
  if (!dag_id.empty()) q->Bind(2, dag_id);
  std::vector<RunRecord> out;
  for (;;) {
    Result<bool> row = q->Step(dag_id.empty() ? "cannot list runs" : "cannot list runs of " + dag_id);
    if (!row) return row.status();
    if (!*row) return out;
    out.push_back(ReadRun(q->stmt()));
  }
}

Result<std::vector<RunRecord>> SqliteStateStore::ListRecentRunsPerDag(int per_dag) {
  if (per_dag <= 0) return std::vector<RunRecord>();
  // The window runs over the covering index runs_by_dag_created (dag_id, created_at, rowid),
  // so ranking reads no run's row; only the rows kept are then fetched by rowid. Measured on
  // 10,000 runs of 1,000 DAGs: about 30 ms (docs/state-schema.md).
  Result<Query> q = Prepare(
      "SELECT " SLUICE_RUN_COLUMNS " FROM "
      "(SELECT rowid AS rid, row_number() OVER "
      "(PARTITION BY dag_id ORDER BY created_at DESC, rowid DESC) AS newest FROM runs) AS ranked "
      "JOIN runs ON runs.rowid = ranked.rid WHERE ranked.newest <= ?1 "
      "ORDER BY runs.dag_id, ranked.newest");
  if (!q) return q.status();
  q->Bind(1, int64_t{per_dag});
  std::vector<RunRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list the latest runs of each DAG");
    if (!row) return row.status();
    if (!*row) return out;
    out.push_back(ReadRun(q->stmt()));
  }
}

Status SqliteStateStore::SetAttemptPid(const std::string& run_id, const std::string& task_id,
                                       int attempt, int64_t pid) {
  Result<Query> q = Prepare(
      "UPDATE attempts SET pid = ?4 WHERE run_id = ?1 AND task_id = ?2 AND attempt = ?3");
  if (!q) return q.status();
  q->Bind(1, run_id).Bind(2, task_id).Bind(3, int64_t{attempt}).Bind(4, pid);
  return q->Run("cannot record the process of attempt " + std::to_string(attempt) + " of " +
                task_id);
}

Result<std::vector<RunRecord>> SqliteStateStore::ListActiveRuns() {
  Result<Query> q = Prepare("SELECT " SLUICE_RUN_COLUMNS
                            " FROM runs WHERE state IN ('queued', 'running') "
                            "ORDER BY created_at, rowid");
  if (!q) return q.status();
  std::vector<RunRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list the queued and running runs");
    if (!row) return row.status();
    if (!*row) return out;
    out.push_back(ReadRun(q->stmt()));
  }
}

Result<std::optional<RunRecord>> SqliteStateStore::FindScheduledRun(
    const std::string& dag_id, const std::string& logical_date) {
  Result<Query> q = Prepare("SELECT " SLUICE_RUN_COLUMNS
                            " FROM runs WHERE dag_id = ?1 AND logical_date = ?2 "
                            "AND \"trigger\" = 'schedule'");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, logical_date);
  Result<bool> row = q->Step("cannot look up the scheduled run of " + dag_id);
  if (!row) return row.status();
  if (!*row) return std::optional<RunRecord>();
  return std::optional<RunRecord>(ReadRun(q->stmt()));
}

#undef SLUICE_RUN_COLUMNS

// ---- per-DAG scheduling state and file triggers ----

Result<std::vector<DagControlRecord>> SqliteStateStore::ListDagControls() {
  Result<Query> q =
      Prepare("SELECT dag_id, paused, last_fire, updated_at FROM dag_controls ORDER BY dag_id");
  if (!q) return q.status();
  std::vector<DagControlRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot read the paused DAGs and their last fires");
    if (!row) return row.status();
    if (!*row) return out;
    DagControlRecord r;
    r.dag_id = ColumnText(q->stmt(), 0);
    r.paused = sqlite3_column_int(q->stmt(), 1) != 0;
    r.last_fire = ColumnText(q->stmt(), 2);
    r.updated_at = ColumnText(q->stmt(), 3);
    out.push_back(std::move(r));
  }
}

Result<StateCounts> SqliteStateStore::CountStates() {
  // One statement is one read transaction: every count comes from the same snapshot, without
  // BEGIN/COMMIT (which would also clash with an enclosing InTransaction). No index serves
  // the GROUP BYs; the task instance count is a scan (about 60 ms for 200,000 rows), which
  // keeps the dispatch path's writes free of a state index (docs/state-schema.md).
  Result<Query> q = Prepare(
      "SELECT 'run', state, count(*) FROM runs GROUP BY state "
      "UNION ALL SELECT 'task', state, count(*) FROM task_instances GROUP BY state "
      "UNION ALL SELECT 'alert', state, count(*) FROM alerts GROUP BY state "
      "UNION ALL SELECT 'dag_files', '', count(*) FROM dag_files "
      "UNION ALL SELECT 'dag_files_with_errors', '', count(*) FROM dag_files WHERE error <> '' "
      "UNION ALL SELECT 'paused_dags', '', count(*) FROM dag_controls c WHERE c.paused <> 0 "
      "AND EXISTS (SELECT 1 FROM dag_files f WHERE f.dag_id = c.dag_id)");
  if (!q) return q.status();
  StateCounts counts;
  for (;;) {
    Result<bool> row = q->Step("cannot count runs, tasks and alerts by state");
    if (!row) return row.status();
    if (!*row) return counts;
    sqlite3_stmt* s = q->stmt();
    const std::string kind = ColumnText(s, 0);
    const int64_t n = sqlite3_column_int64(s, 2);
    if (kind == "run") {
      counts.runs_by_state[ColumnText(s, 1)] = n;
    } else if (kind == "task") {
      counts.tasks_by_state[ColumnText(s, 1)] = n;
    } else if (kind == "alert") {
      counts.alerts_by_state[ColumnText(s, 1)] = n;
    } else if (kind == "dag_files") {
      counts.dag_files = n;
    } else if (kind == "dag_files_with_errors") {
      counts.dag_files_with_errors = n;
    } else {
      counts.paused_dags = n;
    }
  }
}

Status SqliteStateStore::SetDagPaused(const std::string& dag_id, bool paused,
                                      const std::string& at) {
  Result<Query> q = Prepare(
      "INSERT INTO dag_controls (dag_id, paused, updated_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (dag_id) DO UPDATE SET paused = ?2, updated_at = ?3");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, int64_t{paused ? 1 : 0}).Bind(3, at);
  return q->Run(std::string("cannot ") + (paused ? "pause " : "unpause ") + dag_id);
}

Status SqliteStateStore::SetLastFire(const std::string& dag_id, const std::string& fire,
                                     const std::string& at) {
  Result<Query> q = Prepare(
      "INSERT INTO dag_controls (dag_id, last_fire, updated_at) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (dag_id) DO UPDATE SET last_fire = max(last_fire, ?2), updated_at = ?3");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, fire).Bind(3, at);
  return q->Run("cannot record the last schedule fire of " + dag_id);
}

Result<bool> SqliteStateStore::TriggerFileSeen(const std::string& dag_id, const std::string& path,
                                               int64_t size, int64_t mtime_ns) {
  Result<Query> q = Prepare(
      "SELECT 1 FROM trigger_files WHERE dag_id = ?1 AND path = ?2 AND size = ?3 "
      "AND mtime_ns = ?4");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, path).Bind(3, size).Bind(4, mtime_ns);
  return q->Step("cannot look up trigger file " + path);
}

Status SqliteStateStore::RecordTriggerFile(const TriggerFileRecord& r) {
  Result<Query> q = Prepare(
      "INSERT INTO trigger_files (dag_id, path, size, mtime_ns, run_id, seen_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!q) return q.status();
  q->Bind(1, r.dag_id).Bind(2, r.path).Bind(3, r.size).Bind(4, r.mtime_ns);
  q->Bind(5, r.run_id).Bind(6, r.seen_at);
  return q->Run("cannot record trigger file " + r.path + " of " + r.dag_id);
}

Result<bool> SqliteStateStore::ChangedElsewhere() {
  Result<int> version = PragmaInt("PRAGMA data_version");
  if (!version.ok()) return version.status();
  const bool changed = last_data_version_ && *last_data_version_ != *version;
  last_data_version_ = *version;
  return changed;
}

// ---- task instances and attempts ----

Result<std::map<std::string, double>> SqliteStateStore::RecentTaskSeconds(const std::string& dag_id, int runs) {
  Result<Query> q = Prepare(
      "SELECT task_id, avg((julianday(ended_at) - julianday(started_at)) * 86400.0) FROM attempts "
      "WHERE state = 'success' AND started_at <> '' AND ended_at <> '' AND run_id IN "
      "(SELECT run_id FROM runs WHERE dag_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2) "
      "GROUP BY task_id");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, int64_t{runs});
  std::map<std::string, double> out;
  for (;;) {
    Result<bool> row = q->Step("cannot read the recent task durations of " + dag_id);
    if (!row) return row.status();
    if (!*row) return out;
    out[reinterpret_cast<const char*>(sqlite3_column_text(q->stmt(), 0))] = sqlite3_column_double(q->stmt(), 1);
  }
}

Status SqliteStateStore::SetTaskState(const std::string& run_id, const std::string& task_id,
                                      const std::string& state, const std::string& at) {
  Result<Query> q = Prepare(
      "UPDATE task_instances SET state = ?3, "
      "started_at = CASE ?3 WHEN 'running' THEN ?4 WHEN 'pending' THEN '' ELSE started_at END, "
      "ended_at = CASE ?3 WHEN 'running' THEN '' WHEN 'pending' THEN '' ELSE ?4 END "
      "WHERE run_id = ?1 AND task_id = ?2");
  if (!q) return q.status();
  q->Bind(1, run_id).Bind(2, task_id).Bind(3, state).Bind(4, at);
  const std::string doing = "cannot set task " + task_id + " of run " + run_id + " to " + state;
  if (Status s = q->Run(doing); !s) return s;
  if (ChangedRows() == 0) return Error(doing + ": the run has no such task");
  return Status::Ok();
}

Status SqliteStateStore::StartAttempt(const AttemptRecord& a) {
  const std::string doing = "cannot record attempt " + std::to_string(a.attempt) + " of task " +
                            a.task_id + " in run " + a.run_id;
  return InTransaction([&]() -> Status {
    {
      Result<Query> q = Prepare(
          "UPDATE task_instances SET state = 'running', attempts = ?3, started_at = ?4, "
          "ended_at = '' WHERE run_id = ?1 AND task_id = ?2");
      if (!q) return q.status();
      q->Bind(1, a.run_id).Bind(2, a.task_id).Bind(3, int64_t{a.attempt}).Bind(4, a.started_at);
      if (Status s = q->Run(doing); !s) return s;
      if (ChangedRows() == 0) return Error(doing + ": the run has no such task");
    }
    Result<Query> q = Prepare(
        "INSERT INTO attempts (run_id, task_id, attempt, state, pid, started_at, log_path) "
        "VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6)");
    if (!q) return q.status();
    q->Bind(1, a.run_id).Bind(2, a.task_id).Bind(3, int64_t{a.attempt}).Bind(4, a.pid);
    q->Bind(5, a.started_at).Bind(6, a.log_path);
    return q->Run(doing);
  });
}

Status SqliteStateStore::FinishAttempt(const AttemptRecord& a, const std::string& task_state) {
  const std::string doing = "cannot record the outcome of attempt " + std::to_string(a.attempt) +
                            " of task " + a.task_id + " in run " + a.run_id;
  return InTransaction([&]() -> Status {
    {
      Result<Query> q = Prepare(
          "UPDATE attempts SET state = ?4, pid = ?5, ended_at = ?6, exit_code = ?7, "
          "term_signal = ?8, error = ?9, rows_in = ?10, rows_out = ?11, bytes_out = ?12, "
          "peak_rss_kb = ?13, log_path = ?14 "
          "WHERE run_id = ?1 AND task_id = ?2 AND attempt = ?3");
      if (!q) return q.status();
      q->Bind(1, a.run_id).Bind(2, a.task_id).Bind(3, int64_t{a.attempt}).Bind(4, a.state);
      q->Bind(5, a.pid).Bind(6, a.ended_at).Bind(7, a.exit_code).Bind(8, a.term_signal);
      q->Bind(9, a.error).Bind(10, a.rows_in).Bind(11, a.rows_out).Bind(12, a.bytes_out);
      q->Bind(13, a.peak_rss_kb).Bind(14, a.log_path);
      if (Status s = q->Run(doing); !s) return s;
      if (ChangedRows() == 0) return Error(doing + ": the attempt was never started");
    }
    Result<Query> q = Prepare(
        "UPDATE task_instances SET state = ?3, ended_at = ?4 WHERE run_id = ?1 AND task_id = ?2");
    if (!q) return q.status();
    q->Bind(1, a.run_id).Bind(2, a.task_id).Bind(3, task_state).Bind(4, a.ended_at);
    return q->Run(doing);
  });
}

Result<std::vector<TaskInstanceRecord>> SqliteStateStore::ListTaskInstances(
    const std::string& run_id) {
  Result<Query> q = Prepare(
      "SELECT run_id, task_id, state, attempts, started_at, ended_at FROM task_instances "
      "WHERE run_id = ?1 ORDER BY position");
  if (!q) return q.status();
  q->Bind(1, run_id);
  std::vector<TaskInstanceRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list the tasks of run " + run_id);
    if (!row) return row.status();
    if (!*row) return out;
    sqlite3_stmt* s = q->stmt();
    out.push_back({ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2),
                   sqlite3_column_int(s, 3), ColumnText(s, 4), ColumnText(s, 5)});
  }
}

// `values` as a JSON array of strings, for json_each(): one bound parameter carries a list of
// any length, so the statement is prepared once.
std::string JsonStringArray(const std::vector<std::string>& values) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "[";
  for (const std::string& value : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (byte < 0x20) {
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
      } else {
        out += c;
      }
    }
    out += '"';
  }
  out += ']';
  return out;
}

Result<std::vector<TaskInstanceRecord>> SqliteStateStore::ListTaskInstancesOfRuns(
    const std::vector<std::string>& run_ids) {
  std::vector<TaskInstanceRecord> out;
  if (run_ids.empty()) return out;
  // One primary-key search per listed run (EXPLAIN QUERY PLAN: SEARCH task_instances USING
  // PRIMARY KEY (run_id=?), LIST SUBQUERY over json_each).
  Result<Query> q = Prepare(
      "SELECT run_id, task_id, state, attempts, started_at, ended_at FROM task_instances "
      "WHERE run_id IN (SELECT value FROM json_each(?1)) ORDER BY run_id, position");
  if (!q) return q.status();
  const std::string ids = JsonStringArray(run_ids);
  q->Bind(1, ids);
  for (;;) {
    Result<bool> row = q->Step("cannot list the tasks of " + std::to_string(run_ids.size()) +
                               " runs");
    if (!row) return row.status();
    if (!*row) return out;
    sqlite3_stmt* s = q->stmt();
    out.push_back({ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2),
                   sqlite3_column_int(s, 3), ColumnText(s, 4), ColumnText(s, 5)});
  }
}

Result<std::vector<AttemptRecord>> SqliteStateStore::ListAttempts(const std::string& run_id,
                                                                  const std::string& task_id) {
  // Tasks in DAG order (as ListTaskInstances), then attempt number.
  Result<Query> q = Prepare(
      "SELECT a.run_id, a.task_id, a.attempt, a.state, a.pid, a.started_at, a.ended_at, "
      "a.exit_code, a.term_signal, a.error, a.rows_in, a.rows_out, a.bytes_out, a.peak_rss_kb, "
      "a.log_path FROM attempts a JOIN task_instances t USING (run_id, task_id) "
      "WHERE a.run_id = ?1 AND (?2 = '' OR a.task_id = ?2) ORDER BY t.position, a.attempt");
  if (!q) return q.status();
  q->Bind(1, run_id).Bind(2, task_id);
  std::vector<AttemptRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list the attempts of run " + run_id);
    if (!row) return row.status();
    if (!*row) return out;
    sqlite3_stmt* s = q->stmt();
    AttemptRecord a;
    a.run_id = ColumnText(s, 0);
    a.task_id = ColumnText(s, 1);
    a.attempt = sqlite3_column_int(s, 2);
    a.state = ColumnText(s, 3);
    a.pid = sqlite3_column_int64(s, 4);
    a.started_at = ColumnText(s, 5);
    a.ended_at = ColumnText(s, 6);
    a.exit_code = ColumnOptionalInt(s, 7);
    a.term_signal = ColumnOptionalInt(s, 8);
    a.error = ColumnText(s, 9);
    a.rows_in = sqlite3_column_int64(s, 10);
    a.rows_out = sqlite3_column_int64(s, 11);
    a.bytes_out = sqlite3_column_int64(s, 12);
    a.peak_rss_kb = sqlite3_column_int64(s, 13);
    a.log_path = ColumnText(s, 14);
    out.push_back(std::move(a));
  }
}

// ---- watermarks ----

Status SqliteStateStore::SetPendingWatermark(const std::string& run_id, const std::string& task_id,
                                             const std::string& value) {
  Result<Query> q =
      Prepare("UPDATE task_instances SET watermark = ?3 WHERE run_id = ?1 AND task_id = ?2");
  if (!q) return q.status();
  q->Bind(1, run_id).Bind(2, task_id).Bind(3, value);
  const std::string doing = "cannot record the watermark of task " + task_id + " in run " + run_id;
  if (Status s = q->Run(doing); !s) return s;
  if (ChangedRows() == 0) return Error(doing + ": the run has no such task");
  return Status::Ok();
}

Status SqliteStateStore::CommitWatermarks(const std::string& run_id, const std::string& at) {
  Result<Query> q = Prepare(
      "INSERT INTO watermarks (dag_id, task_id, value, run_id, updated_at) "
      // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
      "SELECT r.dag_id, t.task_id, t.watermark, r.run_id, ?2 "
      "FROM task_instances t JOIN runs r USING (run_id) "
      "WHERE t.run_id = ?1 AND t.watermark IS NOT NULL "
      "ON CONFLICT (dag_id, task_id) DO UPDATE SET value = excluded.value, "
      "run_id = excluded.run_id, updated_at = excluded.updated_at");
  if (!q) return q.status();
  q->Bind(1, run_id).Bind(2, at);
  return q->Run("cannot advance the watermarks of run " + run_id);
}

WatermarkRecord ReadWatermark(sqlite3_stmt* s) {
  return {ColumnText(s, 0), ColumnText(s, 1), ColumnText(s, 2), ColumnText(s, 3), ColumnText(s, 4)};
}

Result<std::optional<WatermarkRecord>> SqliteStateStore::GetWatermark(const std::string& dag_id,
                                                                      const std::string& task_id) {
  Result<Query> q = Prepare(
      "SELECT dag_id, task_id, value, run_id, updated_at FROM watermarks "
      "WHERE dag_id = ?1 AND task_id = ?2");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, task_id);
  Result<bool> row = q->Step("cannot read the watermark of " + dag_id + "." + task_id);
  if (!row) return row.status();
  if (!*row) return std::optional<WatermarkRecord>();
  return std::optional<WatermarkRecord>(ReadWatermark(q->stmt()));
}

Result<std::vector<WatermarkRecord>> SqliteStateStore::ListWatermarks(const std::string& dag_id) {
  Result<Query> q = Prepare(
      "SELECT dag_id, task_id, value, run_id, updated_at FROM watermarks "
      "WHERE ?1 = '' OR dag_id = ?1 ORDER BY dag_id, task_id");
  if (!q) return q.status();
  q->Bind(1, dag_id);
  std::vector<WatermarkRecord> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list watermarks");
    if (!row) return row.status();
    if (!*row) return out;
    out.push_back(ReadWatermark(q->stmt()));
  }
}

Result<bool> SqliteStateStore::DeleteWatermark(const std::string& dag_id,
                                               const std::string& task_id) {
  Result<Query> q = Prepare("DELETE FROM watermarks WHERE dag_id = ?1 AND task_id = ?2");
  if (!q) return q.status();
  q->Bind(1, dag_id).Bind(2, task_id);
  if (Status s = q->Run("cannot reset the watermark of " + dag_id + "." + task_id); !s) return s;
  return ChangedRows() > 0;
}

// ---- the alert outbox ----

#define SLUICE_ALERT_COLUMNS                                                                  \
  "id, created_at, kind, dag_id, run_id, task_id, attempt, max_attempts, error, log_path, "   \
  "logical_date, retry_at, event_at, file, webhook, template_json, state, attempts, "         \
  "next_attempt_at, last_attempt_at, last_status, last_error, delivered_at, collapsed_into"

AlertRecord ReadAlert(sqlite3_stmt* s) {
  AlertRecord a;
  a.id = sqlite3_column_int64(s, 0);
  a.created_at = ColumnText(s, 1);
  a.kind = ColumnText(s, 2);
  a.dag_id = ColumnText(s, 3);
  a.run_id = ColumnText(s, 4);
  a.task_id = ColumnText(s, 5);
  a.attempt = sqlite3_column_int(s, 6);
  a.max_attempts = sqlite3_column_int(s, 7);
  a.error = ColumnText(s, 8);
  a.log_path = ColumnText(s, 9);
  a.logical_date = ColumnText(s, 10);
  a.retry_at = ColumnText(s, 11);
  a.event_at = ColumnText(s, 12);
  a.file = ColumnText(s, 13);
  a.webhook = ColumnText(s, 14);
  a.template_json = ColumnText(s, 15);
  a.state = ColumnText(s, 16);
  a.attempts = sqlite3_column_int(s, 17);
  a.next_attempt_at = ColumnText(s, 18);
  a.last_attempt_at = ColumnText(s, 19);
  a.last_status = sqlite3_column_int(s, 20);
  a.last_error = ColumnText(s, 21);
  a.delivered_at = ColumnText(s, 22);
  a.collapsed_into = sqlite3_column_int64(s, 23);
  return a;
}

Result<std::vector<AlertRecord>> ReadAlerts(Query& q, std::string_view doing) {
  std::vector<AlertRecord> out;
  for (;;) {
    Result<bool> row = q.Step(doing);
    if (!row) return row.status();
    if (!*row) return out;
    out.push_back(ReadAlert(q.stmt()));
  }
}

Result<int64_t> SqliteStateStore::InsertAlert(const AlertRecord& a) {
  Result<Query> q = Prepare(
      "INSERT INTO alerts (created_at, kind, dag_id, run_id, task_id, attempt, max_attempts, "
      "error, log_path, logical_date, retry_at, event_at, file, webhook, template_json, state, "
      "attempts, next_attempt_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  if (!q) return q.status();
  q->Bind(1, a.created_at).Bind(2, a.kind).Bind(3, a.dag_id).Bind(4, a.run_id);
  q->Bind(5, a.task_id).Bind(6, int64_t{a.attempt}).Bind(7, int64_t{a.max_attempts});
  q->Bind(8, a.error).Bind(9, a.log_path).Bind(10, a.logical_date).Bind(11, a.retry_at);
  q->Bind(12, a.event_at).Bind(13, a.file).Bind(14, a.webhook).Bind(15, a.template_json);
  q->Bind(16, a.state).Bind(17, int64_t{a.attempts}).Bind(18, a.next_attempt_at);
  if (Status s = q->Run("cannot record the " + a.kind + " alert of " + a.dag_id); !s) return s;
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<AlertRecord>> SqliteStateStore::ListPendingAlerts(const std::string& due_by,
                                                                     int limit) {
  Result<Query> q = Prepare("SELECT " SLUICE_ALERT_COLUMNS
                            " FROM alerts WHERE state = 'pending' AND (?1 = '' OR "
                            "next_attempt_at <= ?1) ORDER BY next_attempt_at, id LIMIT ?2");
  if (!q) return q.status();
  q->Bind(1, due_by).Bind(2, int64_t{limit > 0 ? limit : -1});
  return ReadAlerts(*q, "cannot list the alerts waiting for delivery");
}

Result<bool> SqliteStateStore::ClaimAlert(int64_t id, const std::string& now,
                                          const std::string& lease_until) {
  Result<Query> q = Prepare(
      "UPDATE alerts SET next_attempt_at = ?3, claimed_by = ?4 "
      "WHERE id = ?1 AND state = 'pending' AND next_attempt_at <= ?2");
  if (!q) return q.status();
  q->Bind(1, id).Bind(2, now).Bind(3, lease_until).Bind(4, int64_t{::getpid()});
  if (Status s = q->Run("cannot take alert " + std::to_string(id) + " for delivery"); !s) return s;
  return ChangedRows() > 0;
}

Result<std::vector<AlertClaim>> SqliteStateStore::ListAlertClaims() {
  Result<Query> q = Prepare(
      "SELECT id, claimed_by FROM alerts WHERE state = 'pending' AND claimed_by != 0 ORDER BY id");
  if (!q) return q.status();
  std::vector<AlertClaim> out;
  for (;;) {
    Result<bool> row = q->Step("cannot list the alerts claimed for delivery");
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({sqlite3_column_int64(q->stmt(), 0), sqlite3_column_int64(q->stmt(), 1)});
  }
  return out;
}

Result<bool> SqliteStateStore::ReleaseAlertClaim(const AlertClaim& claim, const std::string& now) {
  Result<Query> q = Prepare(
      "UPDATE alerts SET next_attempt_at = ?3, claimed_by = 0 "
      "WHERE id = ?1 AND claimed_by = ?2 AND state = 'pending'");
  if (!q) return q.status();
  q->Bind(1, claim.id).Bind(2, claim.pid).Bind(3, now);
  if (Status s = q->Run("cannot release alert " + std::to_string(claim.id)); !s) return s;
  return ChangedRows() > 0;
}

Result<bool> SqliteStateStore::CollapseAlert(int64_t id, int64_t into) {
  Result<Query> q = Prepare(
      "UPDATE alerts SET state = 'collapsed', collapsed_into = ?2 "
      "WHERE id = ?1 AND state = 'pending' AND attempts = 0");
  if (!q) return q.status();
  q->Bind(1, id).Bind(2, into);
  if (Status s = q->Run("cannot collapse alert " + std::to_string(id) + " into " +
                        std::to_string(into));
      !s) {
    return s;
  }
  return ChangedRows() > 0;
}

Status SqliteStateStore::RecordAlertOutcome(const AlertOutcome& o) {
  Result<Query> q = Prepare(
      "UPDATE alerts SET state = ?2, attempts = ?3, next_attempt_at = ?4, last_attempt_at = ?5, "
      "last_status = ?6, last_error = ?7, claimed_by = 0, "
      "delivered_at = CASE ?2 WHEN 'delivered' THEN ?5 ELSE delivered_at END WHERE id = ?1");
  if (!q) return q.status();
  q->Bind(1, o.id).Bind(2, o.state).Bind(3, int64_t{o.attempts}).Bind(4, o.next_attempt_at);
  q->Bind(5, o.attempted_at).Bind(6, int64_t{o.http_status}).Bind(7, o.error);
  const std::string doing = "cannot record the delivery of alert " + std::to_string(o.id);
  if (Status s = q->Run(doing); !s) return s;
  if (ChangedRows() == 0) return Error(doing + ": there is no such alert");
  return Status::Ok();
}

Result<std::vector<AlertRecord>> SqliteStateStore::ListAlerts(const AlertFilter& f) {
  // One statement per leading filter: SQLite uses no index for "(?2 = '' OR run_id = ?2)",
  // and the dispatcher looks up a run's collapsed alerts on every failure it sends.
  const char* sql =
      !f.run_id.empty()
          ? "SELECT " SLUICE_ALERT_COLUMNS
            " FROM alerts WHERE run_id = ?2 AND (?1 = '' OR dag_id = ?1) AND "
            "(?3 = 0 OR collapsed_into = ?3) ORDER BY id DESC LIMIT ?4"
      : !f.dag_id.empty()
          ? "SELECT " SLUICE_ALERT_COLUMNS
            " FROM alerts WHERE dag_id = ?1 AND (?2 = '' OR run_id = ?2) AND "
            "(?3 = 0 OR collapsed_into = ?3) ORDER BY id DESC LIMIT ?4"
          : "SELECT " SLUICE_ALERT_COLUMNS
            " FROM alerts WHERE (?1 = '' OR dag_id = ?1) AND (?2 = '' OR run_id = ?2) AND "
            "(?3 = 0 OR collapsed_into = ?3) ORDER BY id DESC LIMIT ?4";
  Result<Query> q = Prepare(sql);
  if (!q) return q.status();
  q->Bind(1, f.dag_id).Bind(2, f.run_id).Bind(3, f.collapsed_into);
  q->Bind(4, int64_t{f.limit > 0 ? f.limit : -1});
  return ReadAlerts(*q, "cannot list alerts");
}

#undef SLUICE_ALERT_COLUMNS

Status CreateParentFolder(const std::string& path) {
  if (path == ":memory:") return Status::Ok();
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Status::Error("state database " + path + ": cannot create its folder " +
                         parent.string() + ": " + ec.message() +
                         "; create it or choose another path");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path) {
  if (Status s = CreateParentFolder(path); !s) return s;
  sqlite3* db = nullptr;
  // NOMUTEX: one thread at a time per instance is the interface's contract.
  const int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "state database " + path + ": cannot open: " +
                          (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    message += Advice(rc);
    sqlite3_close_v2(db);  // open_v2 hands out a handle even on failure; nothing to report
    return Status::Error(std::move(message));
  }
  auto store = std::make_unique<SqliteStateStore>(db, path);
  if (Status s = store->Configure(); !s) return s;
  if (Status s = store->Migrate(); !s) return s;
  return std::unique_ptr<StateStore>(std::move(store));
}

}  // namespace sluice

#include "sqlite_database.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sluice/plugin.hpp"

namespace sluice::export_sql {
namespace {

// Another process (a reader, a second load) may hold the file's lock for a while.
constexpr int kBusyTimeoutMilliseconds = 30'000;

// "... (SQLite error 19 SQLITE_CONSTRAINT_NOTNULL, sqlite:///data/lake.db)".
std::string SqliteError(sqlite3* db, const ConnectionTarget& target) {
  const int code = sqlite3_extended_errcode(db);
  return std::string(sqlite3_errmsg(db)) + " (SQLite error " + std::to_string(code) + " " +
         sqlite3_errstr(code) + ", " + target.Display() + ")";
}

class Statement {
 public:
  Statement(sqlite3* db, const ConnectionTarget& target, const std::string& sql, bool persistent)
      : db_(db), target_(target) {
    const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), flags, &stmt_,
                           nullptr) != SQLITE_OK) {
      throw sdk::Failure(SqliteError(db, target));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  sqlite3_stmt* get() const { return stmt_; }

  // Steps once; true when a row is ready, false when done. Throws on an error.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string message = SqliteError(db_, target_);
    sqlite3_reset(stmt_);
    throw sdk::Failure(message);
  }

  void Check(int rc) const {
    if (rc != SQLITE_OK) throw sdk::Failure(SqliteError(db_, target_));
  }

 private:
  sqlite3* db_;
  const ConnectionTarget& target_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string ColumnText(sqlite3_stmt* stmt, int column) {
  const unsigned char* text = sqlite3_column_text(stmt, column);
  return text != nullptr ? reinterpret_cast<const char*>(text) : "";
}

class SqliteInsert final : public InsertStatement {
 public:
  SqliteInsert(sqlite3* db, const ConnectionTarget& target, const std::string& sql)
      : statement_(db, target, sql, /*persistent=*/true) {}

  // Indexes are 0-based here and 1-based in SQLite.
  void BindNull(size_t index) override {
    statement_.Check(sqlite3_bind_null(statement_.get(), Slot(index)));
  }
  void BindInt64(size_t index, int64_t value) override {
    statement_.Check(sqlite3_bind_int64(statement_.get(), Slot(index), value));
  }
  void BindFloat64(size_t index, double value) override {
    statement_.Check(sqlite3_bind_double(statement_.get(), Slot(index), value));
  }
  void BindBool(size_t index, bool value) override { BindInt64(index, value ? 1 : 0); }
  void BindText(size_t index, std::string_view text) override {
    // SQLITE_STATIC: the caller keeps `text` alive until Execute returns (database.h), so
    // SQLite need not copy it.
    statement_.Check(sqlite3_bind_text64(statement_.get(), Slot(index), text.data(), text.size(),
                                         SQLITE_STATIC, SQLITE_UTF8));
  }
  void Execute() override {
    statement_.Step();
    sqlite3_reset(statement_.get());
  }

 private:
  static int Slot(size_t index) { return static_cast<int>(index + 1); }
  Statement statement_;
};

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const ConnectionTarget& target) : target_(target) {
    const int rc = sqlite3_open_v2(target.path.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message =
          db_ != nullptr ? SqliteError(db_, target) : std::string(sqlite3_errstr(rc));
      sqlite3_close(db_);
      db_ = nullptr;
      throw sdk::Failure("cannot open " + target.Display() + ": " + message +
                             "; fix: check that the folder exists and sluice's user may write "
                             "to it",
                         "/connection");
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMilliseconds);
  }
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }

  Dialect dialect() const override { return Dialect::kSqlite; }
  bool TransactionalDdl() const override { return true; }
  size_t MaxBatchBytes() const override { return SIZE_MAX; }

  std::optional<TableShape> DescribeTable(const TableName& table) override {
    TableShape shape;
    std::vector<std::pair<int, std::string>> primary_key;  // position in the key, name
    {
      Statement columns(db_, target_, "SELECT name, pk FROM pragma_table_info(?1, ?2)", false);
      BindName(columns, table);
      while (columns.Step()) {
        shape.columns.push_back(ColumnText(columns.get(), 0));
        if (const int pk = sqlite3_column_int(columns.get(), 1); pk > 0) {
          primary_key.emplace_back(pk, shape.columns.back());
        }
      }
    }
    if (shape.columns.empty()) return std::nullopt;
    if (!primary_key.empty()) {
      std::sort(primary_key.begin(), primary_key.end());
      std::vector<std::string> names;
      for (auto& [position, name] : primary_key) names.push_back(std::move(name));
      shape.unique_keys.push_back(std::move(names));
    }
    std::vector<std::string> unique_indexes;
    {
      Statement indexes(db_, target_,
                        "SELECT name FROM pragma_index_list(?1, ?2) "
                        "WHERE \"unique\" = 1 AND partial = 0",
                        false);
      BindName(indexes, table);
      while (indexes.Step()) unique_indexes.push_back(ColumnText(indexes.get(), 0));
    }
    for (const std::string& index : unique_indexes) {
      Statement info(db_, target_, "SELECT name FROM pragma_index_info(?1, ?2)", false);
      info.Check(sqlite3_bind_text(info.get(), 1, index.c_str(), -1, SQLITE_TRANSIENT));
      BindSchema(info, table);
      std::vector<std::string> names;
      bool plain = true;  // an index on an expression has a NULL name: it cannot match a key
      while (info.Step()) {
        if (sqlite3_column_type(info.get(), 0) == SQLITE_NULL) plain = false;
        names.push_back(ColumnText(info.get(), 0));
      }
      if (plain && !names.empty()) shape.unique_keys.push_back(std::move(names));
    }
    return shape;
  }

  // IMMEDIATE takes the write lock now, so a concurrent writer makes us wait (busy timeout)
  // at the start instead of failing half-way through the load.
  void Begin() override { Execute("BEGIN IMMEDIATE"); }
  void Commit() override { Execute("COMMIT"); }
  void Rollback() noexcept override {
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  void Execute(const std::string& sql) override {
    Statement statement(db_, target_, sql, false);
    while (statement.Step()) {
    }
  }

  std::unique_ptr<InsertStatement> Prepare(const std::string& sql, size_t) override {
    return std::make_unique<SqliteInsert>(db_, target_, sql);
  }

 private:
  void BindName(Statement& statement, const TableName& table) {
    statement.Check(
        sqlite3_bind_text(statement.get(), 1, table.table.c_str(), -1, SQLITE_TRANSIENT));
    BindSchema(statement, table);
  }
  // Without a schema, NULL: SQLite then looks in temp, main and attached databases in turn,
  // as it does for an unqualified name in SQL.
  void BindSchema(Statement& statement, const TableName& table) {
    if (table.schema.empty()) {
      statement.Check(sqlite3_bind_null(statement.get(), 2));
    } else {
      statement.Check(
          sqlite3_bind_text(statement.get(), 2, table.schema.c_str(), -1, SQLITE_TRANSIENT));
    }
  }

  ConnectionTarget target_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Database> OpenSqliteDatabase(const ConnectionTarget& target) {
  return std::make_unique<SqliteDatabase>(target);
}

}  // namespace sluice::export_sql

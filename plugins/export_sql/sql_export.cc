#include "sql_export.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "sluice/dataset.hpp"
#include "sluice/plugin.hpp"
#include "table_check.h"
#include "value_binder.h"

namespace sluice::export_sql {
namespace {

namespace ds = sluice::dataset;

// Statements prepared for batches of other sizes than the full one (the last batch, batches
// cut short by MySQL's packet limit) are kept for reuse, but only a few.
constexpr size_t kMaxCachedStatements = 4;

std::vector<std::string> ColumnNames(const ds::Schema& schema) {
  std::vector<std::string> names;
  for (const ds::Column& column : schema) names.push_back(column.name);
  return names;
}

std::string KeyList(const std::vector<std::string>& key) { return "(" + JoinNames(key) + ")"; }

// Walks the dataset's rows across chunks.
class RowCursor {
 public:
  explicit RowCursor(const ds::Reader& reader) : reader_(&reader) { Load(); }

  bool AtEnd() const { return chunk_ >= reader_->chunk_count(); }
  const ds::ChunkView& chunk() const { return *view_; }
  int64_t row() const { return row_; }
  void Next() {
    if (++row_ >= view_->row_count()) {
      ++chunk_;
      row_ = 0;
      Load();
    }
  }

 private:
  void Load() {
    if (!AtEnd()) view_.emplace(reader_->chunk(chunk_));
  }

  const ds::Reader* reader_;
  size_t chunk_ = 0;
  int64_t row_ = 0;
  std::optional<ds::ChunkView> view_;
};

// Sends the rows in multi-row INSERTs of `full_rows` rows each (fewer for the last batch, or
// when a batch's values would overflow the engine's packet).
class BatchLoader {
 public:
  BatchLoader(Database& database, const SqlExportOptions& options,
              std::vector<std::string> columns, size_t full_rows)
      : database_(database),
        options_(options),
        columns_(std::move(columns)),
        full_rows_(full_rows) {}

  int64_t LoadAll(const ds::Reader& reader) {
    RowCursor cursor(reader);
    int64_t sent = 0;
    const int64_t total = reader.row_count();
    while (!cursor.AtEnd()) {
      const size_t rows = BatchSize(cursor, total - sent);
      InsertStatement& statement = StatementFor(rows);
      const int64_t first = sent + 1;
      try {
        size_t index = 0;
        for (size_t r = 0; r < rows; ++r, cursor.Next()) {
          const ds::ChunkView& chunk = cursor.chunk();
          for (size_t c = 0; c < columns_.size(); ++c) {
            binder_.Bind(statement, index++, chunk.column(c), cursor.row());
          }
        }
        statement.Execute();
      } catch (const sdk::Failure& e) {
        throw sdk::Failure("inserting rows " + std::to_string(first) + " to " +
                           std::to_string(first + static_cast<int64_t>(rows) - 1) +
                           " of the dataset into " + options_.table.Display() +
                           " failed: " + e.what() +
                           "; fix: correct those rows upstream, or the table's constraints");
      }
      binder_.Reset();
      sent += static_cast<int64_t>(rows);
    }
    return sent;
  }

  uint64_t bytes_bound() const { return binder_.bytes_bound(); }

 private:
  size_t BatchSize(const RowCursor& cursor, int64_t remaining) const {
    size_t rows = std::min(full_rows_, static_cast<size_t>(remaining));
    const size_t max_bytes = database_.MaxBatchBytes();
    if (max_bytes == SIZE_MAX) return rows;
    RowCursor scan = cursor;
    uint64_t bytes = 0;
    for (size_t r = 0; r < rows; ++r, scan.Next()) {
      bytes += RowBytes(scan.chunk(), scan.row());
      if (bytes > max_bytes) return std::max<size_t>(r, 1);  // one row always goes alone
    }
    return rows;
  }

  InsertStatement& StatementFor(size_t rows) {
    auto found = statements_.find(rows);
    if (found != statements_.end()) return *found->second;
    if (statements_.size() >= kMaxCachedStatements) {
      // Keep the full-size statement, which nearly every batch uses.
      for (auto it = statements_.begin(); it != statements_.end(); ++it) {
        if (it->first != full_rows_) {
          statements_.erase(it);
          break;
        }
      }
    }
    const std::string sql = InsertSql(database_.dialect(), options_.table, columns_, rows,
                                      options_.mode, options_.key);
    try {
      auto [it, inserted] =
          statements_.emplace(rows, database_.Prepare(sql, rows * columns_.size()));
      return *it->second;
    } catch (const sdk::Failure& e) {
      throw sdk::Failure("preparing the INSERT into " + options_.table.Display() +
                         " failed: " + e.what());
    }
  }

  Database& database_;
  const SqlExportOptions& options_;
  std::vector<std::string> columns_;
  size_t full_rows_;
  ValueBinder binder_;
  std::map<size_t, std::unique_ptr<InsertStatement>> statements_;
};

void CheckDatasetColumns(const ds::Schema& schema, const SqlExportOptions& options,
                         bool ignore_case, const std::string& dataset_path) {
  for (const ds::Column& column : schema) {
    if (std::string why = CheckIdentifier(column.name); !why.empty()) {
      throw sdk::Failure("the input dataset " + dataset_path + " has a column no database can "
                         "name: " + why + "; fix: rename it upstream");
    }
  }
  const std::vector<std::string> names = ColumnNames(schema);
  for (size_t i = 0; i < options.key.size(); ++i) {
    if (!MissingColumns(names, {options.key[i]}, ignore_case).empty()) {
      throw sdk::Failure("key column '" + options.key[i] + "' is not a column of the input "
                         "dataset; its columns are: " + JoinNames(names) +
                         "; fix: correct `key`",
                         "/key/" + std::to_string(i));
    }
  }
}

// Fails unless the existing table can take every dataset column (and, for upsert, has a
// unique key on exactly `key`).
void CheckExistingTable(const TableShape& shape, const std::vector<std::string>& names,
                        const SqlExportOptions& options, bool ignore_case) {
  const std::string table = options.table.Display();
  if (auto missing = MissingColumns(shape.columns, names, ignore_case); !missing.empty()) {
    throw sdk::Failure("table " + table + " in " + options.target.Display() +
                           " has no column" + (missing.size() > 1 ? "s " : " ") +
                           JoinNames(missing) + ", which the input dataset has; fix: add " +
                           (missing.size() > 1 ? "them" : "it") +
                           " to the table (ALTER TABLE ... ADD COLUMN), or drop " +
                           (missing.size() > 1 ? "them" : "it") + " upstream",
                       "/table");
  }
  if (options.mode == WriteMode::kUpsert &&
      !HasUniqueKeyOn(shape, options.key, ignore_case)) {
    throw sdk::Failure("table " + table + " has no primary key or unique index on exactly " +
                           KeyList(options.key) +
                           ", which upsert needs to find the rows to update; fix: add one "
                           "(CREATE UNIQUE INDEX ... ON " + table + " " + KeyList(options.key) +
                           "), or set `key` to the columns of an existing one",
                       "/key");
  }
}

// The rows per INSERT: as asked, but within the engine's limit on parameters.
size_t RowsPerStatement(const SqlExportOptions& options, size_t column_count) {
  const size_t by_parameters = MaxParametersPerStatement(options.target.dialect) / column_count;
  return std::max<size_t>(1, std::min(options.batch_rows, by_parameters));
}

}  // namespace

SqlExportStats ExportSql(const std::string& dataset_path, const SqlExportOptions& options,
                         Database& database) {
  const auto started = std::chrono::steady_clock::now();
  const ds::Reader reader(dataset_path);
  const ds::Schema& schema = reader.schema();
  const bool ignore_case = ColumnNamesIgnoreCase(database.dialect());
  CheckDatasetColumns(schema, options, ignore_case, dataset_path);
  const std::vector<std::string> names = ColumnNames(schema);

  std::optional<TableShape> shape;
  try {
    shape = database.DescribeTable(options.table);
  } catch (const sdk::Failure& e) {
    throw sdk::Failure("reading the definition of table " + options.table.Display() +
                       " failed: " + e.what() + "; fix: check that the user may read it");
  }
  if (shape) {
    CheckExistingTable(*shape, names, options, ignore_case);
  } else if (!options.create) {
    throw sdk::Failure("table " + options.table.Display() + " does not exist in " +
                           options.target.Display() +
                           "; fix: create it first, or set `create: true` to have export.sql "
                           "create it from the dataset's columns",
                       "/table");
  }

  SqlExportStats stats;
  stats.rows_in = reader.row_count();
  stats.batch_rows = RowsPerStatement(options, names.size());
  database.Begin();
  try {
    if (!shape) {
      try {
        database.Execute(CreateTableSql(database.dialect(), options.table, schema, options.key));
      } catch (const sdk::Failure& e) {
        throw sdk::Failure("creating table " + options.table.Display() + " failed: " + e.what());
      }
      stats.created = true;
    }
    if (options.mode == WriteMode::kReplace) {
      try {
        database.Execute(DeleteAllSql(database.dialect(), options.table));
      } catch (const sdk::Failure& e) {
        throw sdk::Failure("emptying table " + options.table.Display() + " failed: " + e.what());
      }
    }
    BatchLoader loader(database, options, names, stats.batch_rows);
    stats.rows_out = loader.LoadAll(reader);
    stats.bytes_out = loader.bytes_bound();
    database.Commit();
  } catch (const std::exception& e) {
    database.Rollback();
    if (stats.created && !database.TransactionalDdl()) {
      // MySQL committed the CREATE TABLE on its own; undo it by hand so a failed first load
      // leaves no empty table behind.
      try {
        database.Execute(DropTableSql(database.dialect(), options.table));
      } catch (const sdk::Failure&) {  // the original error matters more
      }
    }
    throw sdk::Failure(std::string(e.what()) + "; the transaction was rolled back, so table " +
                       options.table.Display() + " is as it was before this attempt");
  }
  stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace sluice::export_sql

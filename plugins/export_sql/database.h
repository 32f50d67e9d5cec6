// The seam between export.sql's loading logic and one database engine. Each engine's
// implementation keeps its client library's headers in its own .cc file.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_DATABASE_H_
#define SLUICE_PLUGINS_EXPORT_SQL_DATABASE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connection_url.h"
#include "sql_dialect.h"

namespace sluice::export_sql {

/// What export.sql needs to know about an existing table.
struct TableShape {
  std::vector<std::string> columns;
  /// The column sets of the primary key and of every unique index (without a condition or
  /// expression): the sets an upsert can conflict on.
  std::vector<std::vector<std::string>> unique_keys;
};

/// One prepared multi-row INSERT. Parameters are numbered from 0, row by row; every one is
/// bound before Execute, which runs the statement and leaves it ready for the next batch.
/// Methods throw sdk::Failure with the server's message.
class InsertStatement {
 public:
  virtual ~InsertStatement() = default;
  virtual void BindNull(size_t index) = 0;
  virtual void BindInt64(size_t index, int64_t value) = 0;
  virtual void BindFloat64(size_t index, double value) = 0;
  virtual void BindBool(size_t index, bool value) = 0;
  /// Copies `text` if the engine needs it beyond this call.
  virtual void BindText(size_t index, std::string_view text) = 0;
  virtual void Execute() = 0;
};

/// An open connection. Every method throws sdk::Failure whose message holds the server's
/// text and error code or SQLSTATE and the connection's Display() — never the password.
class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  /// Whether CREATE TABLE is undone by a rollback (not in MySQL, where DDL commits).
  virtual bool TransactionalDdl() const = 0;
  /// The table's columns and unique keys, or nullopt when it does not exist.
  virtual std::optional<TableShape> DescribeTable(const TableName& table) = 0;
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  /// Best effort, for cleaning up after a failure: never throws.
  virtual void Rollback() noexcept = 0;
  /// Runs one statement without parameters (CREATE, DELETE, DROP).
  virtual void Execute(const std::string& sql) = 0;
  virtual std::unique_ptr<InsertStatement> Prepare(const std::string& sql,
                                                   size_t parameter_count) = 0;
  /// The most bytes of bound values one statement should carry (MySQL's
  /// max_allowed_packet limits a whole statement; the others have no such limit).
  virtual size_t MaxBatchBytes() const = 0;
};

/// Opens the database `target` names. `password` is ignored by SQLite.
std::unique_ptr<Database> OpenDatabase(const ConnectionTarget& target,
                                       const std::string& password);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_DATABASE_H_

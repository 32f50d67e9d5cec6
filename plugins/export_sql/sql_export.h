// Loads one dataset into one database table in one transaction.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_SQL_EXPORT_H_
#define SLUICE_PLUGINS_EXPORT_SQL_SQL_EXPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "connection_url.h"
#include "database.h"
#include "sql_dialect.h"
#include "sql_statements.h"

namespace sluice::export_sql {

// Measured on PostgreSQL 15 and MariaDB 10.11: larger statements cost more to parse than
// they save in round trips.
inline constexpr size_t kDefaultBatchRows = 1000;
inline constexpr size_t kMaxBatchRows = 100'000;

struct SqlExportOptions {
  ConnectionTarget target;
  std::string password_env;   ///< name of the variable holding the password, or empty
  std::string password_file;  ///< file holding the password, or empty
  std::string input;          ///< upstream task id; empty: the only one with a dataset
  TableName table;
  WriteMode mode = WriteMode::kAppend;
  /// Upsert's conflict columns; also the primary key of a table that `create` makes.
  std::vector<std::string> key;
  bool create = true;
  /// Rows per INSERT; fewer when the engine's parameter or packet limit requires.
  size_t batch_rows = kDefaultBatchRows;
};

struct SqlExportStats {
  int64_t rows_in = 0;
  int64_t rows_out = 0;     ///< rows sent (inserted, or inserted-or-updated for upsert)
  uint64_t bytes_out = 0;   ///< bytes of bound values sent
  bool created = false;     ///< the table did not exist and was created
  size_t batch_rows = 0;    ///< rows per INSERT actually used
  double seconds = 0;
};

/// Writes the dataset at `dataset_path` into `options.table` through `database`: checks the
/// table (or creates it), then in one transaction empties it for kReplace and inserts every
/// row in multi-row INSERTs with bound values. On any failure the transaction is rolled back
/// (and a table this call created in MySQL, whose DDL cannot be rolled back, is dropped), so
/// the table is left as it was. Throws sdk::Failure saying what failed and what to do;
/// config-related failures carry the setting's JSON pointer.
SqlExportStats ExportSql(const std::string& dataset_path, const SqlExportOptions& options,
                         Database& database);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_SQL_EXPORT_H_

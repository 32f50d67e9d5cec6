// Runs one read-only query against a SQLite database file and streams its rows into a
// dataset.
#ifndef SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_EXTRACT_H_
#define SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_EXTRACT_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sluice/dataset.hpp"

namespace sluice::sqlite {

/// A value bound to one `?` of the query.
using SqlParam = std::variant<std::nullptr_t, int64_t, double, bool, std::string>;

struct SqliteExtractOptions {
  std::string database;  ///< the database file; opened read-only, never created
  std::string query;     ///< one SELECT (or WITH ...) statement
  /// The JSON pointer of the setting the query came from (`/table` or `/query`), for errors.
  std::string query_setting = "/query";
  std::vector<SqlParam> params;  ///< bound to the query's ?s in order
  /// Types chosen by the user for result columns, by name; the rest follow the declared type
  /// or the first non-null value (see sqlite_column_types.h).
  dataset::Schema column_types;
};

struct SqliteExtractStats {
  int64_t rows = 0;
  uint64_t bytes_out = 0;
  /// Whether the statement ran twice: once to find the types of expression columns.
  bool looked_ahead = false;
};

/// How long a query waits for another connection's write lock before failing.
inline constexpr int kBusyTimeoutMs = 5000;

/// Writes the query's result at `output_path`. Throws sdk::Failure naming the database, and
/// for a bad value its row (1-based), column and text; nothing appears at `output_path` then.
SqliteExtractStats ExtractSqlite(const SqliteExtractOptions& options,
                                 const std::string& output_path);

/// `SELECT * FROM "name"`, with the identifier quoted so any name (even one holding quotes)
/// is read as a table name and never as SQL.
std::string SelectAllFrom(const std::string& table);

}  // namespace sluice::sqlite

#endif  // SLUICE_PLUGINS_EXTRACT_SQLITE_SQLITE_EXTRACT_H_

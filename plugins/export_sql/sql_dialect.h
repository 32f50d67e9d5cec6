// What differs between SQLite, MySQL and PostgreSQL in the SQL export.sql writes: quoting
// identifiers, column types, placeholders and the upsert clause.
#ifndef SLUICE_PLUGINS_EXPORT_SQL_SQL_DIALECT_H_
#define SLUICE_PLUGINS_EXPORT_SQL_SQL_DIALECT_H_

#include <optional>
#include <string>
#include <string_view>

#include "connection_url.h"
#include "sluice/dataset.hpp"

namespace sluice::export_sql {

/// A table as the `table:` setting names it: "[schema.]table".
struct TableName {
  std::string schema;  ///< empty: the connection's default (SQLite main, MySQL's database,
                       ///< PostgreSQL's search_path)
  std::string table;

  /// As written, for messages: "sales.movimento".
  std::string Display() const { return schema.empty() ? table : schema + "." + table; }
};

/// Splits "schema.table" or "table" at its one dot. Each part is quoted when used, so any
/// character but NUL is safe; refuses empty parts, more than one dot and parts longer than
/// 63 bytes (PostgreSQL's limit, below MySQL's 64), explaining in *error.
std::optional<TableName> ParseTableName(std::string_view text, std::string* error);

/// Checks one column name the same way (non-empty, no NUL, at most 63 bytes); empty when fine.
std::string CheckIdentifier(std::string_view name);

/// `name` quoted as an identifier: "a""b" (SQLite, PostgreSQL) or `a``b` (MySQL). Quoting,
/// not checking, is what keeps a name from ever being read as SQL.
std::string QuoteIdentifier(Dialect dialect, std::string_view name);

/// The schema-qualified, quoted table name.
std::string QuoteTable(Dialect dialect, const TableName& name);

/// The column type CREATE TABLE declares for a dataset column. `in_key`: the column is part
/// of the primary key (MySQL cannot index TEXT without a length, so key strings become
/// VARCHAR(255)).
std::string ColumnTypeSql(Dialect dialect, const dataset::Column& column, bool in_key);

/// Whether the engine compares unquoted column names case-insensitively even when quoted
/// (SQLite and MySQL do; PostgreSQL's quoted names are exact).
bool ColumnNamesIgnoreCase(Dialect dialect);

/// The most bound parameters one statement may carry.
size_t MaxParametersPerStatement(Dialect dialect);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_SQL_DIALECT_H_

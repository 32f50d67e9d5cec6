// The statements export.sql sends, as text. Values never appear in them: each value is a
// placeholder bound separately (? for SQLite and MySQL, $n for PostgreSQL).
#ifndef SLUICE_PLUGINS_EXPORT_SQL_SQL_STATEMENTS_H_
#define SLUICE_PLUGINS_EXPORT_SQL_SQL_STATEMENTS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "sql_dialect.h"

namespace sluice::export_sql {

enum class WriteMode { kAppend, kReplace, kUpsert };

/// CREATE TABLE with one column per dataset column (types from ColumnTypeSql) and, when `key`
/// is not empty, PRIMARY KEY (key). MySQL tables are InnoDB in utf8mb4, so the load can be
/// rolled back and holds any text.
std::string CreateTableSql(Dialect dialect, const TableName& table, const dataset::Schema& schema,
                           const std::vector<std::string>& key);

/// Empties the table. DELETE rather than TRUNCATE: TRUNCATE commits implicitly in MySQL,
/// which would break the one-transaction promise.
std::string DeleteAllSql(Dialect dialect, const TableName& table);

std::string DropTableSql(Dialect dialect, const TableName& table);

/// INSERT INTO table (columns) VALUES (...), ... with `rows` row groups of placeholders, plus
/// for kUpsert the conflict clause on `key`: ON CONFLICT (key) DO UPDATE SET c = excluded.c
/// (SQLite, PostgreSQL) or ON DUPLICATE KEY UPDATE c = VALUES(c) (MySQL). When every column is
/// part of the key there is nothing to update, and a conflicting row is left as it is.
/// REQUIRES: rows >= 1, columns not empty, every key name is in `columns` for kUpsert.
std::string InsertSql(Dialect dialect, const TableName& table,
                      const std::vector<std::string>& columns, size_t rows, WriteMode mode,
                      const std::vector<std::string>& key);

}  // namespace sluice::export_sql

#endif  // SLUICE_PLUGINS_EXPORT_SQL_SQL_STATEMENTS_H_

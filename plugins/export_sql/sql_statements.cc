#include "sql_statements.h"

#include <algorithm>

namespace sluice::export_sql {
namespace {

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string QuotedList(Dialect dialect, const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += QuoteIdentifier(dialect, name);
  }
  return out;
}

std::string UpsertClause(Dialect dialect, const std::vector<std::string>& columns,
                         const std::vector<std::string>& key) {
  std::string updates;
  for (const std::string& column : columns) {
    if (Contains(key, column)) continue;
    const std::string quoted = QuoteIdentifier(dialect, column);
    if (!updates.empty()) updates += ", ";
    updates += quoted + " = " +
               (dialect == Dialect::kMysql ? "VALUES(" + quoted + ")" : "excluded." + quoted);
  }
  if (dialect == Dialect::kMysql) {
    // MySQL has no DO NOTHING; assigning a key column to itself changes nothing.
    if (updates.empty()) {
      const std::string first = QuoteIdentifier(dialect, key.front());
      updates = first + " = " + first;
    }
    return " ON DUPLICATE KEY UPDATE " + updates;
  }
  const std::string target = " ON CONFLICT (" + QuotedList(dialect, key) + ")";
  return updates.empty() ? target + " DO NOTHING" : target + " DO UPDATE SET " + updates;
}

}  // namespace

std::string CreateTableSql(Dialect dialect, const TableName& table, const dataset::Schema& schema,
                           const std::vector<std::string>& key) {
  std::string sql = "CREATE TABLE " + QuoteTable(dialect, table) + " (";
  for (size_t c = 0; c < schema.size(); ++c) {
    if (c > 0) sql += ", ";
    const bool in_key = Contains(key, schema[c].name);
    sql += QuoteIdentifier(dialect, schema[c].name) + " " +
           ColumnTypeSql(dialect, schema[c], in_key);
    if (in_key) sql += " NOT NULL";
  }
  if (!key.empty()) sql += ", PRIMARY KEY (" + QuotedList(dialect, key) + ")";
  sql += ")";
  if (dialect == Dialect::kMysql) sql += " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  return sql;
}

std::string DeleteAllSql(Dialect dialect, const TableName& table) {
  return "DELETE FROM " + QuoteTable(dialect, table);
}

std::string DropTableSql(Dialect dialect, const TableName& table) {
  return "DROP TABLE " + QuoteTable(dialect, table);
}

std::string InsertSql(Dialect dialect, const TableName& table,
                      const std::vector<std::string>& columns, size_t rows, WriteMode mode,
                      const std::vector<std::string>& key) {
  std::string sql = "INSERT INTO " + QuoteTable(dialect, table) + " (" +
                    QuotedList(dialect, columns) + ") VALUES ";
  // About 6 bytes per placeholder: reserve once instead of growing thousands of times.
  sql.reserve(sql.size() + rows * (columns.size() * 8 + 4) + 256);
  size_t parameter = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) sql += ", ";
      ++parameter;
      if (dialect == Dialect::kPostgres) {
        sql += "$" + std::to_string(parameter);
      } else {
        sql += "?";
      }
    }
    sql += ")";
  }
  if (mode == WriteMode::kUpsert) sql += UpsertClause(dialect, columns, key);
  return sql;
}

}  // namespace sluice::export_sql

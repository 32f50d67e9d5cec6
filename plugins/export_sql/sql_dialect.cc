#include "sql_dialect.h"

namespace sluice::export_sql {
namespace {

// PostgreSQL truncates longer names silently (NAMEDATALEN - 1); MySQL refuses beyond 64.
constexpr size_t kMaxIdentifierBytes = 63;

}  // namespace

std::string CheckIdentifier(std::string_view name) {
  if (name.empty()) return "a name cannot be empty";
  if (name.find('\0') != std::string_view::npos) return "a name cannot hold a NUL character";
  if (name.size() > kMaxIdentifierBytes) {
    return "'" + std::string(name) + "' is longer than " + std::to_string(kMaxIdentifierBytes) +
           " bytes, which PostgreSQL would cut short; use a shorter name";
  }
  return "";
}

std::optional<TableName> ParseTableName(std::string_view text, std::string* error) {
  TableName name;
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) {
    name.table = std::string(text);
  } else {
    name.schema = std::string(text.substr(0, dot));
    name.table = std::string(text.substr(dot + 1));
    if (name.table.find('.') != std::string::npos) {
      *error = "'" + std::string(text) + "' has more than one dot; write table or schema.table";
      return std::nullopt;
    }
    if (std::string why = CheckIdentifier(name.schema); !why.empty()) {
      *error = "the schema part of '" + std::string(text) + "': " + why;
      return std::nullopt;
    }
  }
  if (std::string why = CheckIdentifier(name.table); !why.empty()) {
    *error = "the table name '" + std::string(text) + "': " + why;
    return std::nullopt;
  }
  return name;
}

std::string QuoteIdentifier(Dialect dialect, std::string_view name) {
  const char quote = dialect == Dialect::kMysql ? '`' : '"';
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back(quote);
  for (char c : name) {
    if (c == quote) out.push_back(quote);  // doubled: the quote stays part of the name
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

std::string QuoteTable(Dialect dialect, const TableName& name) {
  if (name.schema.empty()) return QuoteIdentifier(dialect, name.table);
  return QuoteIdentifier(dialect, name.schema) + "." + QuoteIdentifier(dialect, name.table);
}

std::string ColumnTypeSql(Dialect dialect, const dataset::Column& column, bool in_key) {
  using dataset::Type;
  switch (column.type) {
    case Type::kInt64: return "BIGINT";
    case Type::kFloat64:
      switch (dialect) {
        case Dialect::kSqlite: return "REAL";
        case Dialect::kMysql: return "DOUBLE";
        case Dialect::kPostgres: return "DOUBLE PRECISION";
      }
      break;
    case Type::kDecimal:
      return std::string(dialect == Dialect::kPostgres ? "NUMERIC(" : "DECIMAL(") +
             std::to_string(column.precision) + "," + std::to_string(column.scale) + ")";
    case Type::kString:
      return dialect == Dialect::kMysql && in_key ? "VARCHAR(255)" : "TEXT";
    case Type::kBool: return "BOOLEAN";
    case Type::kDate: return "DATE";
    case Type::kTimestamp:
      switch (dialect) {
        // SQLite has no time type: the declared name keeps the meaning (extract.sqlite reads
        // it back as a timestamp) while the values are ISO text, which sorts correctly.
        case Dialect::kSqlite: return "TIMESTAMP";
        case Dialect::kMysql: return "DATETIME(6)";
        case Dialect::kPostgres: return "TIMESTAMP WITHOUT TIME ZONE";
      }
      break;
  }
  return "TEXT";
}

bool ColumnNamesIgnoreCase(Dialect dialect) { return dialect != Dialect::kPostgres; }

size_t MaxParametersPerStatement(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite: return 32766;  // SQLITE_MAX_VARIABLE_NUMBER's default since 3.32
    case Dialect::kMysql: return 65535;   // prepared statements count placeholders in 16 bits
    case Dialect::kPostgres: return 65535;  // the wire protocol's Int16 parameter count
  }
  return 999;
}

}  // namespace sluice::export_sql

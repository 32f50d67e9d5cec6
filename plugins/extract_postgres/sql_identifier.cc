#include "sql_identifier.h"

namespace sluice::postgres {

std::string QuoteIdentifier(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  for (const char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::optional<std::string> QualifiedTableName(std::string_view table, std::string* error) {
  const size_t dot = table.find('.');
  const std::string_view schema = dot == std::string_view::npos ? "" : table.substr(0, dot);
  const std::string_view name = dot == std::string_view::npos ? table : table.substr(dot + 1);
  if (name.find('.') != std::string_view::npos) {
    *error = "`table` '" + std::string(table) +
             "' has more than one dot; write table or schema.table (for a name that contains "
             "a dot, use `query` with a quoted name)";
    return std::nullopt;
  }
  if (name.empty() || (dot != std::string_view::npos && schema.empty())) {
    *error = "`table` '" + std::string(table) + "' has an empty part; write table or schema.table";
    return std::nullopt;
  }
  if (table.find('\0') != std::string_view::npos) {
    *error = "`table` holds a NUL character";
    return std::nullopt;
  }
  if (schema.empty()) return QuoteIdentifier(name);
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

}  // namespace sluice::postgres

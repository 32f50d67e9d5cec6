#include "extract_sqlite_config.h"

#include <optional>

#include "sluice/plugin.hpp"

namespace sluice::sqlite {

void CheckExtractSqliteConfig(const nlohmann::json& config, const ConfigProblem& report) {
  const bool has_table = config.contains("table");
  const bool has_query = config.contains("query");
  if (has_table && has_query) {
    report("/query", "give either `table` or `query`, not both");
  } else if (!has_table && !has_query) {
    report("", "name what to read: `table: NAME` for a whole table, or `query: SELECT ...`");
  }
  if (has_table && config.contains("params")) {
    report("/params", "`params` are bound to the ?s of a `query`; with `table` there are none");
  }
  if (!config.contains("columns") || !config["columns"].is_array()) return;
  const nlohmann::json& columns = config["columns"];
  for (size_t i = 0; i < columns.size(); ++i) {
    const nlohmann::json& column = columns[i];
    const std::string at = "/columns/" + std::to_string(i);
    if (!column.is_object()) continue;  // the schema reports it
    if (column.contains("type") && column["type"].is_string()) {
      dataset::Column parsed;
      std::string error;
      if (!dataset::ParseTypeName(column["type"].get<std::string>(), &parsed, &error)) {
        report(at + "/type", error);
      }
    }
    if (!column.contains("name") || !column["name"].is_string()) continue;
    for (size_t j = 0; j < i; ++j) {
      if (columns[j].is_object() && columns[j].value("name", "") == column["name"]) {
        report(at + "/name", "column '" + column["name"].get<std::string>() +
                                 "' is listed twice; give each column one type");
      }
    }
  }
}

SqliteExtractOptions ParseExtractSqliteConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExtractSqliteConfig(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (!config.contains("database") || !config["database"].is_string()) {
    throw sdk::Failure("extract.sqlite needs `database`: the SQLite file to read", "/database");
  }
  SqliteExtractOptions options;
  options.database = config["database"];
  if (config.contains("table")) {
    options.query = SelectAllFrom(config["table"].get<std::string>());
    options.query_setting = "/table";
  } else {
    options.query = config["query"].get<std::string>();
  }
  for (const nlohmann::json& value : config.value("params", nlohmann::json::array())) {
    if (value.is_null()) {
      options.params.emplace_back(nullptr);
    } else if (value.is_boolean()) {
      options.params.emplace_back(value.get<bool>());
    } else if (value.is_number_integer()) {
      options.params.emplace_back(value.get<int64_t>());
    } else if (value.is_number()) {
      options.params.emplace_back(value.get<double>());
    } else {
      options.params.emplace_back(value.get<std::string>());
    }
  }
  for (const nlohmann::json& column : config.value("columns", nlohmann::json::array())) {
    dataset::Column parsed{column.at("name").get<std::string>()};
    std::string error;
    dataset::ParseTypeName(column.at("type").get<std::string>(), &parsed, &error);
    options.column_types.push_back(std::move(parsed));
  }
  return options;
}

}  // namespace sluice::sqlite

#include "extract_postgres_config.h"

#include "sluice/plugin.hpp"
#include "sql_identifier.h"
#include "sql_parameters.h"

namespace sluice::postgres {
namespace {

bool HasTemplate(const std::string& text) { return text.find("{{") != std::string::npos; }

std::string StringAt(const nlohmann::json& config, const char* key) {
  return config.contains(key) && config[key].is_string() ? config[key].get<std::string>() : "";
}

void CheckColumns(const nlohmann::json& columns, const ConfigProblem& report) {
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
                                 "' is declared twice; declare each column once");
      }
    }
  }
}

// PostgreSQL refuses a query whose highest $n differs from the number of values bound.
void CheckParameterCount(const std::string& query, const nlohmann::json& config,
                         const ConfigProblem& report) {
  const int highest = HighestParameter(query);
  const bool has_params = config.contains("params") && config["params"].is_array();
  const size_t given = has_params ? config["params"].size() : 0;
  if (static_cast<size_t>(highest) == given) return;
  const std::string pointer = has_params ? "/params" : "/query";
  if (highest == 0) {
    report(pointer, "`query` has no $n parameters but `params` gives " + std::to_string(given) +
                        " value(s); refer to them in the query as $1, $2, ... or drop `params`");
    return;
  }
  report(pointer, "`query` refers to parameters up to $" + std::to_string(highest) +
                      " but `params` gives " + std::to_string(given) +
                      " value(s); give one value for each of $1 to $" + std::to_string(highest) +
                      " (a $ inside a string or comment does not count)");
}

}  // namespace

void CheckExtractPostgresConfig(const nlohmann::json& config, const ConfigProblem& report) {
  const std::string connection = StringAt(config, "connection");
  if (!connection.empty() && !HasTemplate(connection)) {
    std::string error;
    if (!ParseConnectionUrl(connection, &error)) report("/connection", error);
  }
  const bool has_table = config.contains("table"), has_query = config.contains("query");
  if (has_table == has_query) {
    report("", has_table ? "set either `table` or `query`, not both"
                         : "set `table` (a table to read whole) or `query` (a SELECT)");
  }
  if (has_table && config.contains("params")) {
    report("/params", "`params` are bound to a `query`'s $1, $2, ...; with `table` there is "
                      "nothing to bind them to");
  }
  const std::string table = StringAt(config, "table");
  if (!table.empty() && !HasTemplate(table)) {
    std::string error;
    if (!QualifiedTableName(table, &error)) report("/table", error);
  }
  const std::string query = StringAt(config, "query");
  if (HasTemplate(query)) {
    report("/query", "`query` contains a template ({{ ... }}), which would be pasted into the "
                     "SQL; fix: write $1 in the query and put the template in `params`, which "
                     "are bound, never pasted");
  } else if (!query.empty()) {
    CheckParameterCount(query, config, report);
  }
  if (config.contains("password_env") && config.contains("password_file")) {
    report("/password_file", "set either `password_env` or `password_file`, not both");
  }
  if (config.contains("columns") && config["columns"].is_array()) {
    CheckColumns(config["columns"], report);
  }
}

ExtractOptions ParseExtractPostgresConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExtractPostgresConfig(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  ExtractOptions options;
  std::string error;
  auto target = ParseConnectionUrl(StringAt(config, "connection"), &error);
  if (!target) throw sdk::Failure(error, "/connection");
  options.target = std::move(*target);
  options.password.env = StringAt(config, "password_env");
  options.password.file = StringAt(config, "password_file");
  if (config.contains("table")) {
    const std::string table = StringAt(config, "table");
    auto name = QualifiedTableName(table, &error);
    if (!name) throw sdk::Failure(error, "/table");
    options.sql = "SELECT * FROM " + *name;
    options.source = "table " + table;
  } else {
    options.sql = StringAt(config, "query");
    options.source = "query";
  }
  for (const nlohmann::json& param : config.value("params", nlohmann::json::array())) {
    if (param.is_null()) {
      options.params.emplace_back(std::nullopt);
    } else if (param.is_string()) {
      options.params.emplace_back(param.get<std::string>());
    } else {
      options.params.emplace_back(param.dump());  // numbers and booleans as JSON writes them
    }
  }
  for (const nlohmann::json& column : config.value("columns", nlohmann::json::array())) {
    dataset::Column parsed{column.at("name").get<std::string>()};
    dataset::ParseTypeName(column.at("type").get<std::string>(), &parsed, &error);
    options.declared.push_back(std::move(parsed));
  }
  return options;
}

}  // namespace sluice::postgres

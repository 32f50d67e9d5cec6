#include "extract_mysql_config.h"

#include <optional>

#include "sluice/plugin.hpp"
#include "sql_text.h"

namespace sluice::mysql {
namespace {

bool IsString(const nlohmann::json& config, const char* key) {
  return config.contains(key) && config[key].is_string();
}

// A value to check now: a string that holds no template still to be rendered.
bool IsCheckable(const nlohmann::json& config, const char* key, Templates templates) {
  if (!IsString(config, key)) return false;
  if (templates == Templates::kRendered) return true;
  const std::string& text = config[key].get_ref<const std::string&>();
  return text.find("{{") == std::string::npos && text.find("${") == std::string::npos;
}

void CheckSource(const nlohmann::json& config, Templates templates, const ConfigProblem& report) {
  const bool has_table = config.contains("table"), has_query = config.contains("query");
  if (has_table && has_query) {
    report("/query", "give either `table` or `query`, not both");
  } else if (!has_table && !has_query) {
    report("", "extract.mysql needs `table` (a table to read whole) or `query` (a SELECT)");
  }
  if (IsCheckable(config, "table", templates)) {
    std::string error;
    if (!QuoteTableName(config["table"].get<std::string>(), &error)) report("/table", error);
  }
  if (config.contains("params") && !has_query) {
    report("/params", "`params` are bound to a query's ?s; add `query` or remove `params`");
  }
  if (IsString(config, "query")) {
    const int placeholders = CountPlaceholders(config["query"].get<std::string>());
    const size_t values = config.contains("params") && config["params"].is_array()
                              ? config["params"].size()
                              : 0;
    if (static_cast<size_t>(placeholders) != values) {
      report(config.contains("params") ? "/params" : "/query",
             "the query has " + std::to_string(placeholders) + " ? placeholder(s) but `params` "
             "lists " + std::to_string(values) + " value(s); give one value per ?, in order");
    }
  }
}

void CheckColumns(const nlohmann::json& config, const ConfigProblem& report) {
  if (!config.contains("columns") || !config["columns"].is_array()) return;
  const nlohmann::json& columns = config["columns"];
  for (size_t i = 0; i < columns.size(); ++i) {
    const nlohmann::json& column = columns[i];
    const std::string at = "/columns/" + std::to_string(i);
    if (!column.is_object()) continue;  // the schema reports it
    if (IsString(column, "type")) {
      dataset::Column parsed;
      std::string error;
      if (!dataset::ParseTypeName(column["type"].get<std::string>(), &parsed, &error)) {
        report(at + "/type", error);
      }
    }
    if (!IsString(column, "name")) continue;
    for (size_t j = 0; j < i; ++j) {
      if (columns[j].is_object() && columns[j].value("name", "") == column["name"]) {
        report(at + "/name", "column '" + column["name"].get<std::string>() +
                                 "' is declared twice; column names must be unique");
      }
    }
  }
}

}  // namespace

void CheckExtractMysqlConfig(const nlohmann::json& config, Templates templates,
                             const ConfigProblem& report) {
  if (IsCheckable(config, "connection", templates)) {
    std::string error;
    if (!ParseMysqlUrl(config["connection"].get<std::string>(), &error)) {
      report("/connection", error);
    }
  } else if (!config.contains("connection")) {
    report("/connection", "extract.mysql needs `connection`: mysql://user@host[:port]/database");
  }
  if (config.contains("password_env") && config.contains("password_file")) {
    report("/password_file", "give either password_env or password_file, not both");
  }
  CheckSource(config, templates, report);
  CheckColumns(config, report);
}

MysqlExtractOptions ParseExtractMysqlConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExtractMysqlConfig(config, Templates::kRendered,
                          [&](const std::string& path, const std::string& message) {
                            if (!first) first.emplace(message, path);
                          });
  if (first) throw *first;
  MysqlExtractOptions options;
  std::string error;
  options.url = *ParseMysqlUrl(config.at("connection").get<std::string>(), &error);
  options.password_env = config.value("password_env", std::string());
  options.password_file = config.value("password_file", std::string());
  if (config.contains("table")) {
    const std::string quoted = *QuoteTableName(config["table"].get<std::string>(), &error);
    options.query = "SELECT * FROM " + quoted;
    options.source = "table " + quoted;
  } else {
    options.query = config.at("query").get<std::string>();
    options.source = "the query";
  }
  if (config.contains("params")) {
    options.params = config["params"].get<std::vector<nlohmann::json>>();
  }
  if (config.contains("columns")) {
    for (const nlohmann::json& column : config["columns"]) {
      dataset::Column parsed{column.at("name").get<std::string>()};
      dataset::ParseTypeName(column.at("type").get<std::string>(), &parsed, &error);
      options.declared.push_back(std::move(parsed));
    }
  }
  return options;
}

}  // namespace sluice::mysql

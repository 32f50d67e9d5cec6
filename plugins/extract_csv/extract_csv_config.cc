#include "extract_csv_config.h"

#include <optional>

#include "sluice/plugin.hpp"

namespace sluice::csv {

namespace {

void CheckRejectSettings(const nlohmann::json& config, const ConfigProblem& report) {
  const bool reject = config.value("on_error", std::string("fail")) == "reject";
  if (reject && !config.contains("reject_path")) {
    report("/on_error", "on_error: reject needs `reject_path`, the CSV file that receives the "
                        "rejected records");
  }
  if (!reject) {
    for (const char* key : {"reject_path", "max_rejects"}) {
      if (config.contains(key)) {
        report(std::string("/") + key,
               std::string("`") + key + "` applies only with on_error: reject; add that or "
               "remove this setting");
      }
    }
  }
  if (config.contains("reject_path") && config.contains("path") &&
      config["reject_path"] == config["path"]) {
    report("/reject_path", "`reject_path` is the file being read; choose another file");
  }
}

}  // namespace

void CheckExtractConfig(const nlohmann::json& config, const ConfigProblem& report) {
  if (config.contains("delimiter") && config["delimiter"].is_string()) {
    const std::string delimiter = config["delimiter"];
    if (delimiter.size() != 1 || static_cast<unsigned char>(delimiter[0]) >= 0x80) {
      report("/delimiter", "the delimiter must be one ASCII character, such as \",\" or \";\"");
    } else if (delimiter == "\"" || delimiter == "\r" || delimiter == "\n") {
      report("/delimiter", "the delimiter cannot be a quote or a line break");
    }
  }
  CheckRejectSettings(config, report);
  if (config.contains("infer") && config.contains("columns") && config["infer"] != false) {
    report("/infer", "`infer` types undeclared columns, but `columns` declares them all; "
                     "remove one of the two");
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
                                 "' is declared twice; column names must be unique");
      }
    }
  }
}

CsvImportOptions ParseExtractConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExtractConfig(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (!config.contains("path") || !config["path"].is_string()) {
    throw sdk::Failure("extract.csv needs `path`: the CSV file to read", "/path");
  }
  CsvImportOptions options;
  options.path = config["path"];
  options.delimiter = config.value("delimiter", std::string(",")).at(0);
  options.header = config.value("header", true);
  if (config.contains("columns")) {
    dataset::Schema schema;
    for (const nlohmann::json& column : config["columns"]) {
      dataset::Column parsed{column.at("name").get<std::string>()};
      std::string error;
      dataset::ParseTypeName(column.at("type").get<std::string>(), &parsed, &error);
      schema.push_back(std::move(parsed));
    }
    options.columns = std::move(schema);
  }
  if (config.contains("infer") && !options.columns) {
    const nlohmann::json& infer = config["infer"];
    if (infer.is_object()) {
      options.infer_sample_rows = infer.at("sample_rows").get<int64_t>();
    } else if (infer.is_boolean() && infer.get<bool>()) {
      options.infer_sample_rows = kDefaultInferSampleRows;
    }
  }
  if (config.value("on_error", std::string("fail")) == "reject") {
    options.reject_path = config.at("reject_path").get<std::string>();
    if (config.contains("max_rejects")) options.max_rejects = config["max_rejects"].get<int64_t>();
  }
  return options;
}

}  // namespace sluice::csv

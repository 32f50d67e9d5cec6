#include "export_csv_config.h"

#include <optional>

#include "sluice/plugin.hpp"

namespace sluice::csv {

void CheckExportConfig(const nlohmann::json& config, const ConfigProblem& report) {
  if (!config.contains("delimiter") || !config["delimiter"].is_string()) return;
  const std::string delimiter = config["delimiter"];
  if (delimiter.size() != 1 || static_cast<unsigned char>(delimiter[0]) >= 0x80) {
    report("/delimiter", "the delimiter must be one ASCII character, such as \",\" or \";\"");
  } else if (delimiter == "\"" || delimiter == "\r" || delimiter == "\n") {
    report("/delimiter", "the delimiter cannot be a quote or a line break");
  }
}

CsvExportOptions ParseExportConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExportConfig(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (!config.contains("path") || !config["path"].is_string()) {
    throw sdk::Failure("export.csv needs `path`: the CSV file to write", "/path");
  }
  CsvExportOptions options;
  options.path = config["path"];
  options.delimiter = config.value("delimiter", std::string(",")).at(0);
  options.header = config.value("header", true);
  options.null_text = config.value("null", std::string());
  options.line_ending = config.value("line_ending", std::string("lf")) == "crlf" ? "\r\n" : "\n";
  return options;
}

}  // namespace sluice::csv

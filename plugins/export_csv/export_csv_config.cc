#include "export_csv_config.h"

#include <optional>

#include "sluice/plugin.hpp"

namespace sluice::csv {

void CheckExportConfig(const nlohmann::json& config, const ConfigProblem& report) {
  if (config.contains("delimiter") && config["delimiter"].is_string()) {
    const std::string delimiter = config["delimiter"];
    if (delimiter.size() != 1 || static_cast<unsigned char>(delimiter[0]) >= 0x80) {
      report("/delimiter", "the delimiter must be one ASCII character, such as \",\" or \";\"");
    } else if (delimiter == "\"" || delimiter == "\r" || delimiter == "\n") {
      report("/delimiter", "the delimiter cannot be a quote or a line break");
    }
  }
  if (config.contains("compression_level") && config.value("compression", std::string()) == "none") {
    report("/compression_level", "`compression_level` applies to gzip, but compression is "
                                 "none; remove one of the two");
  }
  if (!config.contains("columns") || !config["columns"].is_array()) return;
  const nlohmann::json& columns = config["columns"];
  for (size_t i = 0; i < columns.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (columns[i].is_string() && columns[j] == columns[i]) {
        report("/columns/" + std::to_string(i),
               "column '" + columns[i].get<std::string>() + "' is listed twice; list it once");
      }
    }
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
  options.columns = config.value("columns", std::vector<std::string>());
  // A .gz name promises gzip to whoever opens the file; an explicit setting wins.
  const bool gz_name = options.path.size() > 3 && options.path.ends_with(".gz");
  const std::string compression =
      config.value("compression", std::string(gz_name ? "gzip" : "none"));
  options.compression = compression == "gzip" ? Compression::kGzip : Compression::kNone;
  options.compression_level = config.value("compression_level", 1);
  return options;
}

}  // namespace sluice::csv

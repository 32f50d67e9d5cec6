#include "export_parquet_config.h"

#include <optional>

#include "page_compressor.h"
#include "sluice/plugin.hpp"

namespace sluice::parquet {

void CheckExportConfig(const nlohmann::json& config, const ConfigProblem& report) {
  if (config.contains("path") && config["path"].is_string()) {
    const std::string path = config["path"];
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") || path == "." ||
        path == "..") {
      report("/path", "`path` names a folder, but it must name the file to write; add a file "
                      "name such as \"gold.parquet\"");
    }
  }
  if (config.contains("compression") && config["compression"].is_string() &&
      !ParseCompression(config["compression"].get<std::string>())) {
    report("/compression", "unknown compression \"" + config["compression"].get<std::string>() +
                               "\"; use zstd, snappy, gzip or none");
  }
  if (config.contains("row_group_rows") &&
      (!config["row_group_rows"].is_number_integer() || config["row_group_rows"].get<int64_t>() < 1)) {
    report("/row_group_rows", "`row_group_rows` must be a whole number of at least 1");
  }
}

ParquetExportOptions ParseExportConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  CheckExportConfig(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (!config.contains("path") || !config["path"].is_string() ||
      config["path"].get<std::string>().empty()) {
    throw sdk::Failure("export.parquet needs `path`: the Parquet file to write", "/path");
  }
  ParquetExportOptions options;
  options.path = config["path"];
  options.writer.compression = *ParseCompression(config.value("compression", std::string("zstd")));
  options.writer.row_group_rows = config.value("row_group_rows", int64_t{1'000'000});
  return options;
}

}  // namespace sluice::parquet

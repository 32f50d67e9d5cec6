// Writes one dataset as one CSV file, replacing the target only when complete.
#ifndef SLUICE_PLUGINS_EXPORT_CSV_CSV_EXPORT_H_
#define SLUICE_PLUGINS_EXPORT_CSV_CSV_EXPORT_H_

#include <cstdint>
#include <string>

namespace sluice::csv {

struct CsvExportOptions {
  std::string path;  ///< the CSV file to write; missing parent folders are created
  char delimiter = ',';
  bool header = true;
  /// Written for nulls. When empty, an empty string is written as "" so the two differ.
  std::string null_text;
  std::string line_ending = "\n";
};

struct CsvExportStats {
  int64_t rows = 0;
  uint64_t bytes_out = 0;
};

/// Values are written as dataset::AppendValueText formats them. Throws sdk::Failure (or
/// dataset::Error for an unreadable dataset); on any failure an existing file at
/// `options.path` is left untouched and no temporary file remains.
CsvExportStats ExportCsv(const std::string& dataset_path, const CsvExportOptions& options);

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXPORT_CSV_CSV_EXPORT_H_

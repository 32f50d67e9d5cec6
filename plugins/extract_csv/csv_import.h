// Turns one CSV file into one dataset, streaming: memory stays constant whatever the size.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_CSV_IMPORT_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_CSV_IMPORT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sluice/dataset.hpp"

namespace sluice::csv {

struct CsvImportOptions {
  std::string path;
  char delimiter = ',';
  /// The first record names the columns.
  bool header = true;
  /// Declared columns in file order; when absent every column is a string named after the
  /// header (or c1, c2, ... without one).
  std::optional<dataset::Schema> columns;
};

struct CsvImportStats {
  int64_t rows = 0;         ///< data records read, each written as one row
  uint64_t bytes_out = 0;   ///< size of the finished dataset
};

/// Reads `options.path` and writes the dataset at `output_path`. Throws sdk::Failure naming
/// the file, physical line and column of the first problem; nothing appears at `output_path`
/// then. An empty unquoted field is null; a quoted empty field is an empty string in a string
/// column and null in any other.
CsvImportStats ImportCsv(const CsvImportOptions& options, const std::string& output_path);

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_CSV_IMPORT_H_

// Turns one CSV file into one dataset, streaming: memory stays constant whatever the size.
#ifndef SLUICE_PLUGINS_EXTRACT_CSV_CSV_IMPORT_H_
#define SLUICE_PLUGINS_EXTRACT_CSV_CSV_IMPORT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sluice/dataset.hpp"

namespace sluice::csv {

inline constexpr int64_t kDefaultInferSampleRows = 1000;

struct CsvImportOptions {
  std::string path;
  char delimiter = ',';
  /// The first record names the columns.
  bool header = true;
  /// Declared columns in file order; when absent every column is a string named after the
  /// header (or c1, c2, ... without one), unless `infer_sample_rows` is set.
  std::optional<dataset::Schema> columns;
  /// Without `columns`: type each column from the first this many data records (see
  /// csv_type_inference.h). Later records are held to the inferred types.
  std::optional<int64_t> infer_sample_rows;
  /// Where bad records go instead of failing the import (`on_error: reject`); unset: fail.
  std::optional<std::string> reject_path;
  /// With reject_path: fail once more than this many records were rejected.
  std::optional<int64_t> max_rejects;
};

struct CsvImportStats {
  int64_t rows = 0;         ///< data records read
  int64_t rejected = 0;     ///< of which skipped into the reject file
  uint64_t bytes_out = 0;   ///< size of the finished dataset
  dataset::Schema schema;   ///< the dataset's columns, as declared, inferred or named
};

/// Reads `options.path` and writes the dataset at `output_path`. Throws sdk::Failure naming
/// the file, physical line and column of the first problem; nothing appears at `output_path`
/// then. An empty unquoted field is null; a quoted empty field is an empty string in a string
/// column and null in any other.
///
/// With `reject_path`, a record with the wrong number of fields, invalid UTF-8 or a value
/// that does not parse is written to the reject file (see reject_file.h) and skipped; the
/// reject file is committed when the import succeeds, and also when it fails for exceeding
/// `max_rejects` (so the rejects can be inspected). Malformed quoting still fails: where such
/// a record ends is unknown.
CsvImportStats ImportCsv(const CsvImportOptions& options, const std::string& output_path);

}  // namespace sluice::csv

#endif  // SLUICE_PLUGINS_EXTRACT_CSV_CSV_IMPORT_H_

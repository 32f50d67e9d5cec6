// Writes one dataset as one Parquet file, replacing the target only when complete.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_EXPORT_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_EXPORT_H_

#include <cstdint>
#include <string>

#include "parquet_file_writer.h"

namespace sluice::parquet {

struct ParquetExportOptions {
  std::string path;  ///< the Parquet file to write; missing parent folders are created
  ParquetWriterOptions writer;
};

struct ParquetExportStats {
  int64_t rows = 0;
  int64_t row_groups = 0;
  uint64_t bytes_out = 0;
};

/// Throws sdk::Failure (or dataset::Error for an unreadable dataset); on any failure an
/// existing file at `options.path` is left untouched and no temporary file remains.
ParquetExportStats ExportParquet(const std::string& dataset_path,
                                 const ParquetExportOptions& options);

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_EXPORT_H_

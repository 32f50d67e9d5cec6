// Writes a Parquet file: "PAR1", row groups of column chunks, the footer (FileMetaData in
// the Thrift compact protocol), its 4-byte length and "PAR1" again.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_FILE_WRITER_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_FILE_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sluice/atomic_file.hpp"
#include "column_chunk_writer.h"
#include "page_compressor.h"
#include "parquet_metadata.h"
#include "sluice/dataset.hpp"

namespace sluice::parquet {

struct ParquetWriterOptions {
  Compression compression = Compression::kZstd;
  /// Rows per row group; the last one may have fewer.
  int64_t row_group_rows = 1'000'000;
  PageLimits page_limits;
  /// Written as the footer's created_by, e.g. "sluice export.parquet 1.0.0".
  std::string created_by = "sluice export.parquet";
};

/// Streams dataset rows into row groups; memory holds at most one row group's compressed
/// pages. Strings are views into the dataset, which must stay mapped until Finish().
/// Not thread-safe.
class ParquetFileWriter {
 public:
  /// Writes the leading magic to `file`, which must outlive the writer.
  ParquetFileWriter(sdk::AtomicFile* file, const dataset::Schema& schema, ParquetWriterOptions options);

  /// Appends rows [begin, end) of every column of `chunk`, closing row groups as they fill.
  void Append(const dataset::ChunkView& chunk, int64_t begin, int64_t end);
  /// Closes the last row group and writes the footer. Committing the file is the caller's.
  void Finish();

  int64_t row_count() const { return metadata_.num_rows; }
  size_t row_group_count() const { return metadata_.row_groups.size(); }

 private:
  void EndRowGroup();

  sdk::AtomicFile* file_;
  ParquetWriterOptions options_;
  PageCompressor compressor_;
  std::vector<std::unique_ptr<ColumnChunkWriter>> columns_;
  int64_t rows_in_group_ = 0;
  FileMetaData metadata_;
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_FILE_WRITER_H_

#include "parquet_export.h"

#include "sluice/atomic_file.hpp"
#include "sluice/dataset.hpp"

namespace sluice::parquet {

ParquetExportStats ExportParquet(const std::string& dataset_path,
                                 const ParquetExportOptions& options) {
  // The reader maps the whole dataset for the export's lifetime: the writer keeps views of
  // its strings until each row group is written.
  const dataset::Reader reader(dataset_path);
  sdk::AtomicFile file(options.path);
  ParquetFileWriter writer(&file, reader.schema(), options.writer);
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const dataset::ChunkView chunk = reader.chunk(c);
    writer.Append(chunk, 0, chunk.row_count());
  }
  writer.Finish();
  file.Commit();
  return {writer.row_count(), static_cast<int64_t>(writer.row_group_count()),
          file.bytes_written()};
}

}  // namespace sluice::parquet

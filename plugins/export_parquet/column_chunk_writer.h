// Encodes one column of one row group: data pages (v1) of definition levels and values,
// a dictionary page for strings, and the chunk's statistics.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_COLUMN_CHUNK_WRITER_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_COLUMN_CHUNK_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sluice/atomic_file.hpp"
#include "byte_buffer.h"
#include "page_compressor.h"
#include "parquet_metadata.h"
#include "rle_hybrid_encoder.h"
#include "sluice/dataset.hpp"
#include "string_dictionary.h"

namespace sluice::parquet {

struct PageLimits {
  /// A data page is closed once its encoded values reach this size (before compression).
  size_t page_bytes = size_t{1} << 20;
  /// ... or once it holds this many rows, which bounds pages of nulls (no value bytes) and
  /// keeps num_values far from Parquet's int32 limit.
  int64_t page_rows = int64_t{1} << 20;
  /// A string column chunk stops dictionary encoding once its dictionary page would pass
  /// this size; its later pages are PLAIN. Large dictionaries of mostly distinct values
  /// save nothing and cost readers memory.
  size_t dictionary_bytes = size_t{1} << 20;
};

/// Pages are encoded and compressed as values arrive and kept in memory until Finish()
/// writes the column chunk, because a dictionary page must precede the data pages that use
/// it and is complete only at the end. Strings are held as views into the mapped dataset,
/// which must stay mapped until Finish(). Not thread-safe.
class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const dataset::Column& column, PageCompressor* compressor, PageLimits limits);
  // Not movable: the level encoder points at a member buffer.
  ColumnChunkWriter(const ColumnChunkWriter&) = delete;
  ColumnChunkWriter& operator=(const ColumnChunkWriter&) = delete;

  /// Appends rows [begin, end) of `view`, whose column must be this writer's.
  void Append(const dataset::ColumnView& view, int64_t begin, int64_t end);

  /// Writes the chunk's pages to `file` (dictionary page first) and returns its metadata,
  /// with offsets counted from the start of the file. Resets the writer for the next row
  /// group. REQUIRES: at least one row was appended since the last Finish().
  ColumnMetaData Finish(sdk::AtomicFile* file);

 private:
  template <typename Stored, typename Get>
  void AppendFixedWidth(const dataset::ColumnView& view, int64_t begin, int64_t end, Get get);
  void AppendBools(const dataset::ColumnView& view, int64_t begin, int64_t end);
  void AppendStrings(const dataset::ColumnView& view, int64_t begin, int64_t end);
  void AppendNull();
  void AppendString(std::string_view value);
  void UpdateStringMinMax(std::string_view value);
  bool PageIsFull() const;
  void FlushDataPage();
  // Compresses `body_` and returns the page: its header, then the compressed body.
  ByteBuffer MakePage(PageHeader header);
  Statistics TakeStatistics() const;
  void ResetChunk();

  const dataset::Column column_;
  const PhysicalType physical_type_;
  PageCompressor* compressor_;
  const PageLimits limits_;

  // The data page being built.
  ByteBuffer level_bytes_;
  RleHybridEncoder levels_;
  ByteBuffer values_;               // PLAIN values
  std::vector<uint32_t> indices_;   // dictionary indices, when dictionary encoding
  int64_t page_values_ = 0;         // rows in the page, nulls included
  int64_t page_present_ = 0;        // non-null values in the page

  // The column chunk being built.
  // Data pages, header + compressed body each, in their own buffers so that a growing
  // chunk is never copied.
  std::vector<ByteBuffer> pages_;
  StringDictionary dictionary_;
  bool dictionary_encoding_ = false;
  bool wrote_dictionary_pages_ = false;
  int64_t chunk_values_ = 0;
  int64_t uncompressed_bytes_ = 0;  // page headers included
  int64_t compressed_bytes_ = 0;    // page headers included

  // Statistics of the column chunk. Integers of every width are compared as int64.
  int64_t null_count_ = 0;
  int64_t nan_count_ = 0;
  bool has_min_max_ = false;
  int64_t min_int_ = 0, max_int_ = 0;
  double min_double_ = 0, max_double_ = 0;
  std::string_view min_string_, max_string_;

  // Scratch buffers reused for every page.
  ByteBuffer body_;
  ByteBuffer compressed_;
  std::vector<uint8_t> header_;
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_COLUMN_CHUNK_WRITER_H_

#include "parquet_file_writer.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "parquet_schema.h"
#include "sluice/plugin.hpp"

namespace sluice::parquet {
namespace {

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};

}  // namespace

ParquetFileWriter::ParquetFileWriter(sdk::AtomicFile* file, const dataset::Schema& schema,
                                     ParquetWriterOptions options)
    : file_(file), options_(std::move(options)), compressor_(options_.compression) {
  columns_.reserve(schema.size());
  for (const dataset::Column& column : schema) {
    columns_.push_back(
        std::make_unique<ColumnChunkWriter>(column, &compressor_, options_.page_limits));
  }
  metadata_.schema = ParquetSchemaOf(schema);
  metadata_.created_by = options_.created_by;
  file_->Write(kMagic, sizeof kMagic);
}

void ParquetFileWriter::Append(const dataset::ChunkView& chunk, int64_t begin, int64_t end) {
  while (begin < end) {
    const int64_t rows = std::min(end - begin, options_.row_group_rows - rows_in_group_);
    for (size_t c = 0; c < columns_.size(); ++c) {
      columns_[c]->Append(chunk.column(c), begin, begin + rows);
    }
    begin += rows;
    rows_in_group_ += rows;
    if (rows_in_group_ == options_.row_group_rows) EndRowGroup();
  }
}

void ParquetFileWriter::EndRowGroup() {
  if (rows_in_group_ == 0) return;
  if (metadata_.row_groups.size() >= static_cast<size_t>(std::numeric_limits<int16_t>::max())) {
    throw sdk::Failure("the file would have more than 32767 row groups, the most Parquet can "
                       "number; raise `row_group_rows`", "/row_group_rows");
  }
  RowGroup group;
  group.num_rows = rows_in_group_;
  group.file_offset = static_cast<int64_t>(file_->bytes_written());
  group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
  group.columns.reserve(columns_.size());
  for (const std::unique_ptr<ColumnChunkWriter>& column : columns_) {
    ColumnChunk chunk;
    chunk.meta_data = column->Finish(file_);
    group.total_byte_size += chunk.meta_data.total_uncompressed_size;
    group.total_compressed_size += chunk.meta_data.total_compressed_size;
    group.columns.push_back(std::move(chunk));
  }
  metadata_.num_rows += rows_in_group_;
  metadata_.row_groups.push_back(std::move(group));
  rows_in_group_ = 0;
}

void ParquetFileWriter::Finish() {
  EndRowGroup();
  std::vector<uint8_t> footer;
  SerializeFileMetaData(metadata_, &footer);
  const auto length = static_cast<uint32_t>(footer.size());
  char tail[8];
  std::memcpy(tail, &length, 4);  // little-endian: dataset.hpp refuses big-endian hosts
  std::memcpy(tail + 4, kMagic, 4);
  file_->Write(reinterpret_cast<const char*>(footer.data()), footer.size());
  file_->Write(tail, sizeof tail);
}

}  // namespace sluice::parquet

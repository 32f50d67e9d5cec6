#include "column_chunk_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include "parquet_schema.h"
#include "sluice/plugin.hpp"

namespace sluice::parquet {
namespace {

using dataset::Type;

// Definition levels of an OPTIONAL column at the top level: 1 present, 0 null.
constexpr int kLevelBitWidth = 1;
// Longer string minima/maxima are left out of the statistics rather than bloating the footer.
constexpr size_t kMaxStringStatisticBytes = 1024;

template <typename T>
std::string PlainBytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

int32_t PageSize(size_t bytes) {
  if (bytes > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    throw sdk::Failure("a Parquet page would exceed 2 GiB (" + std::to_string(bytes) +
                       " bytes); a single value is too large for Parquet");
  }
  return static_cast<int32_t>(bytes);
}

}  // namespace

ColumnChunkWriter::ColumnChunkWriter(const dataset::Column& column, PageCompressor* compressor,
                                     PageLimits limits)
    : column_(column),
      physical_type_(PhysicalTypeOf(column)),
      compressor_(compressor),
      limits_(limits),
      levels_(kLevelBitWidth, &level_bytes_) {
  values_.Reserve(limits_.page_bytes + 64);
  ResetChunk();
}

void ColumnChunkWriter::ResetChunk() {
  pages_.clear();
  dictionary_.Clear();
  dictionary_encoding_ = column_.type == Type::kString;
  wrote_dictionary_pages_ = false;
  chunk_values_ = uncompressed_bytes_ = compressed_bytes_ = 0;
  null_count_ = nan_count_ = 0;
  has_min_max_ = false;
}

void ColumnChunkWriter::Append(const dataset::ColumnView& view, int64_t begin, int64_t end) {
  switch (column_.type) {
    case Type::kInt64:
      AppendFixedWidth<int64_t>(view, begin, end, [&](int64_t r) { return view.Int64At(r); });
      break;
    case Type::kTimestamp:
      AppendFixedWidth<int64_t>(view, begin, end, [&](int64_t r) { return view.TimestampAt(r); });
      break;
    case Type::kDecimal:
      if (physical_type_ == PhysicalType::kInt32) {
        AppendFixedWidth<int32_t>(view, begin, end, [&](int64_t r) { return view.DecimalAt(r); });
      } else {
        AppendFixedWidth<int64_t>(view, begin, end, [&](int64_t r) { return view.DecimalAt(r); });
      }
      break;
    case Type::kDate:
      AppendFixedWidth<int32_t>(view, begin, end, [&](int64_t r) { return view.DateAt(r); });
      break;
    case Type::kFloat64:
      AppendFixedWidth<double>(view, begin, end, [&](int64_t r) { return view.Float64At(r); });
      break;
    case Type::kBool: AppendBools(view, begin, end); break;
    case Type::kString: AppendStrings(view, begin, end); break;
  }
}

void ColumnChunkWriter::AppendNull() {
  levels_.Put(0);
  ++null_count_;
  ++page_values_;
  if (PageIsFull()) FlushDataPage();
}

bool ColumnChunkWriter::PageIsFull() const {
  const size_t encoded = dictionary_encoding_ ? indices_.size() * sizeof(uint32_t) : values_.size();
  return encoded >= limits_.page_bytes || page_values_ >= limits_.page_rows;
}

template <typename Stored, typename Get>
void ColumnChunkWriter::AppendFixedWidth(const dataset::ColumnView& view, int64_t begin,
                                         int64_t end, Get get) {
  for (int64_t row = begin; row < end; ++row) {
    if (view.IsNull(row)) {
      AppendNull();
      continue;
    }
    const Stored value = static_cast<Stored>(get(row));
    levels_.Put(1);
    values_.AppendLe(value);
    ++page_values_;
    ++page_present_;
    if constexpr (std::is_floating_point_v<Stored>) {
      if (std::isnan(value)) {
        ++nan_count_;  // NaN has no place in an order; the statistics leave it out
      } else if (!has_min_max_) {
        min_double_ = max_double_ = value;
        has_min_max_ = true;
      } else {
        min_double_ = std::min(min_double_, value);
        max_double_ = std::max(max_double_, value);
      }
    } else {
      if (!has_min_max_) {
        min_int_ = max_int_ = value;
        has_min_max_ = true;
      } else {
        min_int_ = std::min<int64_t>(min_int_, value);
        max_int_ = std::max<int64_t>(max_int_, value);
      }
    }
    if (PageIsFull()) FlushDataPage();
  }
}

void ColumnChunkWriter::AppendBools(const dataset::ColumnView& view, int64_t begin, int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    if (view.IsNull(row)) {
      AppendNull();
      continue;
    }
    const bool value = view.BoolAt(row);
    levels_.Put(1);
    // PLAIN booleans are bit-packed, least significant bit first.
    if (page_present_ % 8 == 0) values_.PushBack(0);
    values_.back() |= static_cast<uint8_t>(value ? 1 : 0) << (page_present_ % 8);
    ++page_values_;
    ++page_present_;
    if (!has_min_max_) {
      min_int_ = max_int_ = value;
      has_min_max_ = true;
    } else {
      min_int_ = std::min<int64_t>(min_int_, value);
      max_int_ = std::max<int64_t>(max_int_, value);
    }
    if (PageIsFull()) FlushDataPage();
  }
}

void ColumnChunkWriter::AppendStrings(const dataset::ColumnView& view, int64_t begin,
                                      int64_t end) {
  for (int64_t row = begin; row < end; ++row) {
    if (view.IsNull(row)) {
      AppendNull();
    } else {
      AppendString(view.StringAt(row));
    }
  }
}

void ColumnChunkWriter::UpdateStringMinMax(std::string_view value) {
  // string_view compares bytes as unsigned char: the UTF-8 order Parquet specifies.
  if (!has_min_max_) {
    min_string_ = max_string_ = value;
    has_min_max_ = true;
  } else {
    min_string_ = std::min(min_string_, value);
    max_string_ = std::max(max_string_, value);
  }
}

void ColumnChunkWriter::AppendString(std::string_view value) {
  levels_.Put(1);
  ++page_values_;
  ++page_present_;
  if (dictionary_encoding_) {
    const size_t known = dictionary_.size();
    indices_.push_back(dictionary_.IndexOf(value));
    // A repeated value cannot move the minimum or maximum: compare new entries only.
    if (dictionary_.size() > known) UpdateStringMinMax(value);
    if (dictionary_.plain_bytes() > limits_.dictionary_bytes) {
      // Too many distinct values for a dictionary to pay off: the pages so far keep it, the
      // rest of the chunk is PLAIN.
      FlushDataPage();
      dictionary_encoding_ = false;
    } else if (PageIsFull()) {
      FlushDataPage();
    }
    return;
  }
  UpdateStringMinMax(value);
  values_.AppendLe(static_cast<uint32_t>(value.size()));
  values_.Append(value.data(), value.size());
  if (PageIsFull()) FlushDataPage();
}

void ColumnChunkWriter::FlushDataPage() {
  if (page_values_ == 0) return;
  levels_.Flush();
  // Page body (data page v1): definition levels with a 4-byte length, then the values.
  body_.clear();
  body_.AppendLe(static_cast<uint32_t>(level_bytes_.size()));
  body_.Append(level_bytes_.data(), level_bytes_.size());
  const bool dictionary_page = dictionary_encoding_ && !indices_.empty();
  if (dictionary_page) {
    // Indices: one byte of bit width, then the hybrid encoding without a length prefix.
    const int bit_width =
        std::max(1, static_cast<int>(std::bit_width(static_cast<uint32_t>(dictionary_.size() - 1))));
    body_.PushBack(static_cast<uint8_t>(bit_width));
    RleHybridEncoder encoder(bit_width, &body_);
    for (uint32_t index : indices_) encoder.Put(index);
    encoder.Flush();
    wrote_dictionary_pages_ = true;
  } else {
    body_.Append(values_.data(), values_.size());
  }
  PageHeader header;
  header.type = PageType::kDataPage;
  header.data_page_header = DataPageHeader{
      .num_values = static_cast<int32_t>(page_values_),
      .encoding = dictionary_page ? Encoding::kRleDictionary : Encoding::kPlain};
  pages_.push_back(MakePage(std::move(header)));
  chunk_values_ += page_values_;
  level_bytes_.clear();
  values_.clear();
  indices_.clear();
  page_values_ = page_present_ = 0;
}

ByteBuffer ColumnChunkWriter::MakePage(PageHeader header) {
  const std::span<const uint8_t> compressed =
      compressor_->Compress(body_.data(), body_.size(), &compressed_);
  header.uncompressed_page_size = PageSize(body_.size());
  header.compressed_page_size = PageSize(compressed.size());
  header_.clear();
  SerializePageHeader(header, &header_);
  ByteBuffer page;
  page.Reserve(header_.size() + compressed.size());
  page.Append(header_.data(), header_.size());
  page.Append(compressed.data(), compressed.size());
  uncompressed_bytes_ += static_cast<int64_t>(header_.size() + body_.size());
  compressed_bytes_ += static_cast<int64_t>(header_.size() + compressed.size());
  return page;
}

Statistics ColumnChunkWriter::TakeStatistics() const {
  Statistics stats;
  stats.null_count = null_count_;
  if (physical_type_ == PhysicalType::kDouble) stats.nan_count = nan_count_;
  if (!has_min_max_) return stats;
  switch (physical_type_) {
    case PhysicalType::kBoolean:
      stats.min_value = std::string(1, static_cast<char>(min_int_));
      stats.max_value = std::string(1, static_cast<char>(max_int_));
      break;
    case PhysicalType::kInt32:
      stats.min_value = PlainBytes(static_cast<int32_t>(min_int_));
      stats.max_value = PlainBytes(static_cast<int32_t>(max_int_));
      break;
    case PhysicalType::kInt64:
      stats.min_value = PlainBytes(min_int_);
      stats.max_value = PlainBytes(max_int_);
      break;
    case PhysicalType::kDouble:
      // The format asks for -0.0 as a zero minimum and +0.0 as a zero maximum, so that a
      // reader filtering on either zero never skips this chunk.
      stats.min_value = PlainBytes(min_double_ == 0.0 ? -0.0 : min_double_);
      stats.max_value = PlainBytes(max_double_ == 0.0 ? 0.0 : max_double_);
      break;
    case PhysicalType::kByteArray:
      if (min_string_.size() <= kMaxStringStatisticBytes &&
          max_string_.size() <= kMaxStringStatisticBytes) {
        stats.min_value = std::string(min_string_);
        stats.max_value = std::string(max_string_);
      }
      break;
  }
  return stats;
}

ColumnMetaData ColumnChunkWriter::Finish(sdk::AtomicFile* file) {
  FlushDataPage();
  const auto start = static_cast<int64_t>(file->bytes_written());
  ColumnMetaData meta;
  meta.type = physical_type_;
  meta.path_in_schema = {column_.name};
  meta.codec = CodecOf(compressor_->compression());
  meta.num_values = chunk_values_;
  meta.statistics = TakeStatistics();
  meta.data_page_offset = start;
  if (wrote_dictionary_pages_) {
    body_.clear();
    for (std::string_view entry : dictionary_.entries()) {
      body_.AppendLe(static_cast<uint32_t>(entry.size()));
      body_.Append(entry.data(), entry.size());
    }
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    header.dictionary_page_header = DictionaryPageHeader{
        .num_values = static_cast<int32_t>(dictionary_.size()), .encoding = Encoding::kPlain};
    const ByteBuffer dictionary_page = MakePage(std::move(header));
    file->Write(reinterpret_cast<const char*>(dictionary_page.data()), dictionary_page.size());
    meta.dictionary_page_offset = start;
    meta.data_page_offset = start + static_cast<int64_t>(dictionary_page.size());
  }
  for (const ByteBuffer& page : pages_) {
    file->Write(reinterpret_cast<const char*>(page.data()), page.size());
  }
  // PLAIN: plain data pages or the dictionary page (dictionaries are PLAIN-encoded); RLE:
  // the definition levels.
  meta.encodings = {Encoding::kPlain, Encoding::kRle};
  if (wrote_dictionary_pages_) meta.encodings.push_back(Encoding::kRleDictionary);
  meta.total_uncompressed_size = uncompressed_bytes_;
  meta.total_compressed_size = compressed_bytes_;
  ResetChunk();
  return meta;
}

}  // namespace sluice::parquet

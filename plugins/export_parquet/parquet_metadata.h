// The parts of Parquet's metadata (parquet.thrift in apache/parquet-format) that this writer
// produces, as plain structs, and their compact-protocol serialisation. Enum values and field
// ids are the format's own and never change. Only what a flat table of optional columns
// needs is here: no nesting, no page indexes, no encryption.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_METADATA_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_METADATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice::parquet {

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kDouble = 5,
  kByteArray = 6,
};

/// The deprecated annotations, still written beside LogicalType for older readers.
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kDecimal = 5,
  kDate = 6,
  kTimestampMicros = 10,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1 };

enum class Encoding : int32_t {
  kPlain = 0,
  kRle = 3,
  kRleDictionary = 8,
};

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kZstd = 6,
};

enum class PageType : int32_t { kDataPage = 0, kDictionaryPage = 2 };

/// The LogicalType union, restricted to the members sluice's types map to.
struct LogicalType {
  enum class Kind { kString, kDecimal, kDate, kTimestampMicros };
  Kind kind = Kind::kString;
  int32_t scale = 0;             ///< decimal
  int32_t precision = 0;         ///< decimal
  bool adjusted_to_utc = false;  ///< timestamp
};

struct SchemaElement {
  std::optional<PhysicalType> type;  ///< unset for the root group
  std::optional<Repetition> repetition;  ///< unset for the root group
  std::string name;
  std::optional<int32_t> num_children;  ///< the root group only
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<LogicalType> logical_type;
};

/// Min and max are PLAIN-encoded values (strings without their length prefix), ordered by
/// the column's type (ColumnOrder TYPE_ORDER).
struct Statistics {
  std::optional<int64_t> null_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<int64_t> nan_count;  ///< DOUBLE columns only
};

struct DataPageHeader {
  int32_t num_values = 0;  ///< including nulls
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt64;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  CompressionCodec codec = CompressionCodec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;  ///< page headers included
  int64_t total_compressed_size = 0;    ///< page headers included
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  /// Deprecated by the format; writers set 0 when no metadata lives outside the footer.
  int64_t file_offset = 0;
  ColumnMetaData meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;  ///< uncompressed
  int64_t num_rows = 0;
  int64_t file_offset = 0;  ///< first page of the first column
  int64_t total_compressed_size = 0;
  int16_t ordinal = 0;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  ///< the root group, then one leaf per column
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::string created_by;
  /// Writes one TYPE_ORDER ColumnOrder per leaf column, so readers trust min/max_value.
  bool type_defined_column_orders = true;
};

/// Appends the compact-protocol bytes of each struct to `out`.
void SerializePageHeader(const PageHeader& header, std::vector<uint8_t>* out);
void SerializeFileMetaData(const FileMetaData& metadata, std::vector<uint8_t>* out);

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_PARQUET_METADATA_H_

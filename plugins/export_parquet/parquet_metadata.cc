#include "parquet_metadata.h"

#include "thrift_compact_writer.h"

namespace sluice::parquet {
namespace {

int32_t I32(auto enum_value) { return static_cast<int32_t>(enum_value); }

// An empty struct as the chosen member of a union (StringType, DateType, MicroSeconds...).
void EmptyStructField(CompactWriter& w, int16_t id) {
  w.StructField(id);
  w.EndStruct();
}

// Field `id` holding the union LogicalType with its one member set.
void WriteLogicalType(CompactWriter& w, int16_t id, const LogicalType& logical) {
  w.StructField(id);
  switch (logical.kind) {
    case LogicalType::Kind::kString: EmptyStructField(w, 1); break;
    case LogicalType::Kind::kDecimal:
      w.StructField(5);  // DecimalType
      w.I32Field(1, logical.scale);
      w.I32Field(2, logical.precision);
      w.EndStruct();
      break;
    case LogicalType::Kind::kDate: EmptyStructField(w, 6); break;
    case LogicalType::Kind::kTimestampMicros:
      w.StructField(8);  // TimestampType
      w.BoolField(1, logical.adjusted_to_utc);
      w.StructField(2);  // union TimeUnit
      EmptyStructField(w, 2);  // MICROS
      w.EndStruct();
      w.EndStruct();
      break;
  }
  w.EndStruct();
}

void WriteSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.StructElement();
  if (e.type) w.I32Field(1, I32(*e.type));
  if (e.repetition) w.I32Field(3, I32(*e.repetition));
  w.BinaryField(4, e.name);
  if (e.num_children) w.I32Field(5, *e.num_children);
  if (e.converted_type) w.I32Field(6, I32(*e.converted_type));
  if (e.scale) w.I32Field(7, *e.scale);
  if (e.precision) w.I32Field(8, *e.precision);
  if (e.logical_type) WriteLogicalType(w, 10, *e.logical_type);
  w.EndStruct();
}

void WriteStatistics(CompactWriter& w, int16_t id, const Statistics& s) {
  w.StructField(id);
  if (s.null_count) w.I64Field(3, *s.null_count);
  if (s.max_value) w.BinaryField(5, *s.max_value);
  if (s.min_value) w.BinaryField(6, *s.min_value);
  if (s.nan_count) w.I64Field(9, *s.nan_count);
  w.EndStruct();
}

void WriteColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.I32Field(1, I32(m.type));
  w.ListField(2, CompactType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w.I32Element(I32(e));
  w.ListField(3, CompactType::kBinary, m.path_in_schema.size());
  for (const std::string& part : m.path_in_schema) w.BinaryElement(part);
  w.I32Field(4, I32(m.codec));
  w.I64Field(5, m.num_values);
  w.I64Field(6, m.total_uncompressed_size);
  w.I64Field(7, m.total_compressed_size);
  w.I64Field(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.I64Field(11, *m.dictionary_page_offset);
  if (m.statistics) WriteStatistics(w, 12, *m.statistics);
}

void WriteRowGroup(CompactWriter& w, const RowGroup& g) {
  w.StructElement();
  w.ListField(1, CompactType::kStruct, g.columns.size());
  for (const ColumnChunk& chunk : g.columns) {
    w.StructElement();
    w.I64Field(2, chunk.file_offset);
    w.StructField(3);
    WriteColumnMetaData(w, chunk.meta_data);
    w.EndStruct();
    w.EndStruct();
  }
  w.I64Field(2, g.total_byte_size);
  w.I64Field(3, g.num_rows);
  w.I64Field(5, g.file_offset);
  w.I64Field(6, g.total_compressed_size);
  w.I16Field(7, g.ordinal);
  w.EndStruct();
}

}  // namespace

void SerializePageHeader(const PageHeader& h, std::vector<uint8_t>* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.I32Field(1, I32(h.type));
  w.I32Field(2, h.uncompressed_page_size);
  w.I32Field(3, h.compressed_page_size);
  if (h.data_page_header) {
    const DataPageHeader& d = *h.data_page_header;
    w.StructField(5);
    w.I32Field(1, d.num_values);
    w.I32Field(2, I32(d.encoding));
    w.I32Field(3, I32(d.definition_level_encoding));
    w.I32Field(4, I32(d.repetition_level_encoding));
    w.EndStruct();
  }
  if (h.dictionary_page_header) {
    const DictionaryPageHeader& d = *h.dictionary_page_header;
    w.StructField(7);
    w.I32Field(1, d.num_values);
    w.I32Field(2, I32(d.encoding));
    w.EndStruct();
  }
  w.EndStruct();
}

void SerializeFileMetaData(const FileMetaData& m, std::vector<uint8_t>* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.I32Field(1, m.version);
  w.ListField(2, CompactType::kStruct, m.schema.size());
  for (const SchemaElement& e : m.schema) WriteSchemaElement(w, e);
  w.I64Field(3, m.num_rows);
  w.ListField(4, CompactType::kStruct, m.row_groups.size());
  for (const RowGroup& g : m.row_groups) WriteRowGroup(w, g);
  w.BinaryField(6, m.created_by);
  if (m.type_defined_column_orders) {
    const size_t leaves = m.schema.empty() ? 0 : m.schema.size() - 1;
    w.ListField(7, CompactType::kStruct, leaves);
    for (size_t i = 0; i < leaves; ++i) {
      w.StructElement();       // union ColumnOrder
      EmptyStructField(w, 1);  // TYPE_ORDER
      w.EndStruct();
    }
  }
  w.EndStruct();
}

}  // namespace sluice::parquet

#include "parquet_schema.h"

namespace sluice::parquet {
namespace {

using dataset::Type;

SchemaElement LeafOf(const dataset::Column& column) {
  SchemaElement leaf;
  leaf.type = PhysicalTypeOf(column);
  leaf.repetition = Repetition::kOptional;
  leaf.name = column.name;
  switch (column.type) {
    case Type::kInt64:
    case Type::kFloat64:
    case Type::kBool:
      break;
    case Type::kDecimal:
      leaf.converted_type = ConvertedType::kDecimal;
      leaf.scale = column.scale;
      leaf.precision = column.precision;
      leaf.logical_type = LogicalType{LogicalType::Kind::kDecimal, column.scale, column.precision};
      break;
    case Type::kString:
      leaf.converted_type = ConvertedType::kUtf8;
      leaf.logical_type = LogicalType{LogicalType::Kind::kString};
      break;
    case Type::kDate:
      leaf.converted_type = ConvertedType::kDate;
      leaf.logical_type = LogicalType{LogicalType::Kind::kDate};
      break;
    case Type::kTimestamp:
      // sluice timestamps are the wall-clock values read from the source, not instants
      // normalised to UTC, hence isAdjustedToUTC=false (readers show a plain TIMESTAMP, not
      // one WITH TIME ZONE). parquet.thrift pairs TIMESTAMP_MICROS with either setting.
      leaf.converted_type = ConvertedType::kTimestampMicros;
      leaf.logical_type =
          LogicalType{.kind = LogicalType::Kind::kTimestampMicros, .adjusted_to_utc = false};
      break;
  }
  return leaf;
}

}  // namespace

PhysicalType PhysicalTypeOf(const dataset::Column& column) {
  switch (column.type) {
    case Type::kInt64: return PhysicalType::kInt64;
    case Type::kFloat64: return PhysicalType::kDouble;
    case Type::kDecimal:
      return column.precision <= kMaxInt32DecimalPrecision ? PhysicalType::kInt32
                                                           : PhysicalType::kInt64;
    case Type::kString: return PhysicalType::kByteArray;
    case Type::kBool: return PhysicalType::kBoolean;
    case Type::kDate: return PhysicalType::kInt32;
    case Type::kTimestamp: return PhysicalType::kInt64;
  }
  return PhysicalType::kInt64;
}

std::vector<SchemaElement> ParquetSchemaOf(const dataset::Schema& schema) {
  std::vector<SchemaElement> elements;
  elements.reserve(schema.size() + 1);
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.size());
  elements.push_back(std::move(root));
  for (const dataset::Column& column : schema) elements.push_back(LeafOf(column));
  return elements;
}

}  // namespace sluice::parquet

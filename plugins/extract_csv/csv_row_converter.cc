#include "csv_row_converter.h"

#include <utility>

namespace sluice::csv {

namespace ds = sluice::dataset;

RowConverter::RowConverter(ds::Schema schema)
    : schema_(std::move(schema)), values_(schema_.size()) {}

bool RowConverter::ParseField(size_t column, const CsvField& field, std::string* error) {
  const ds::Column& c = schema_[column];
  Value& v = values_[column];
  v.null = field.text.empty() && (!field.quoted || c.type != ds::Type::kString);
  if (v.null) return true;
  switch (c.type) {
    case ds::Type::kString: v.text = field.text; return true;
    case ds::Type::kInt64: return ds::ParseInt64(field.text, &v.integer, error);
    case ds::Type::kFloat64: return ds::ParseFloat64(field.text, &v.real, error);
    case ds::Type::kDecimal:
      return ds::ParseDecimal(field.text, c.precision, c.scale, &v.integer, error);
    case ds::Type::kBool: {
      bool b = false;
      if (!ds::ParseBool(field.text, &b, error)) return false;
      v.integer = b ? 1 : 0;
      return true;
    }
    case ds::Type::kDate: {
      int32_t days = 0;
      if (!ds::ParseDate(field.text, &days, error)) return false;
      v.integer = days;
      return true;
    }
    case ds::Type::kTimestamp: return ds::ParseTimestamp(field.text, &v.integer, error);
  }
  *error = "unknown column type";
  return false;
}

bool RowConverter::Parse(const std::vector<CsvField>& fields, int64_t record_line,
                         RecordProblem* problem) {
  if (fields.size() != schema_.size()) {
    problem->line = record_line;
    problem->message = "expected " + std::to_string(schema_.size()) + " fields but found " +
                       std::to_string(fields.size()) +
                       "; check the delimiter, and quote fields that contain it";
    return false;
  }
  for (size_t c = 0; c < fields.size(); ++c) {
    const CsvField& field = fields[c];
    const ds::Column& column = schema_[c];
    if (!IsValidUtf8(field.text)) {
      problem->line = field.line;
      problem->message = "column '" + column.name +
                         "' is not valid UTF-8; convert the file to UTF-8 (e.g. iconv -f "
                         "latin1 -t utf-8)";
      return false;
    }
    error_.clear();
    if (!ParseField(c, field, &error_)) {
      problem->line = field.line;
      problem->message = "column '" + column.name + "' (" + ds::TypeName(column) + "): " +
                         error_ + "; fix the value or change the column's type in `columns`";
      return false;
    }
  }
  return true;
}

void RowConverter::Append(ds::Writer& writer) const {
  for (size_t c = 0; c < schema_.size(); ++c) {
    const Value& v = values_[c];
    if (v.null) {
      writer.AppendNull(c);
      continue;
    }
    switch (schema_[c].type) {
      case ds::Type::kString: writer.AppendString(c, v.text); break;
      case ds::Type::kInt64: writer.AppendInt64(c, v.integer); break;
      case ds::Type::kFloat64: writer.AppendFloat64(c, v.real); break;
      case ds::Type::kDecimal: writer.AppendDecimal(c, v.integer); break;
      case ds::Type::kBool: writer.AppendBool(c, v.integer != 0); break;
      case ds::Type::kDate: writer.AppendDate(c, static_cast<int32_t>(v.integer)); break;
      case ds::Type::kTimestamp: writer.AppendTimestamp(c, v.integer); break;
    }
  }
  writer.EndRow();
}

}  // namespace sluice::csv

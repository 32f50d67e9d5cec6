#include "expr_type.h"

#include <algorithm>

namespace sluice::transform {

std::string TypeName(const ExprType& type) {
  if (type.kind == Kind::kNull) return "null";
  return dataset::TypeName(ToColumn("", type));
}

ExprType FromColumn(const dataset::Column& column) {
  switch (column.type) {
    case dataset::Type::kInt64: return ExprType::Int64();
    case dataset::Type::kFloat64: return ExprType::Float64();
    case dataset::Type::kDecimal: return ExprType::Decimal(column.precision, column.scale);
    case dataset::Type::kString: return ExprType::String();
    case dataset::Type::kBool: return ExprType::Bool();
    case dataset::Type::kDate: return ExprType::Date();
    case dataset::Type::kTimestamp: return ExprType::Timestamp();
  }
  return ExprType::Null();
}

dataset::Column ToColumn(const std::string& name, const ExprType& type) {
  dataset::Column column{name};
  switch (type.kind) {
    case Kind::kNull:
    case Kind::kString: column.type = dataset::Type::kString; break;
    case Kind::kInt64: column.type = dataset::Type::kInt64; break;
    case Kind::kFloat64: column.type = dataset::Type::kFloat64; break;
    case Kind::kDecimal:
      column.type = dataset::Type::kDecimal;
      column.precision = type.precision;
      column.scale = type.scale;
      break;
    case Kind::kBool: column.type = dataset::Type::kBool; break;
    case Kind::kDate: column.type = dataset::Type::kDate; break;
    case Kind::kTimestamp: column.type = dataset::Type::kTimestamp; break;
  }
  return column;
}

std::optional<ExprType> ParseExprType(std::string_view text, std::string* error) {
  dataset::Column column;
  if (!dataset::ParseTypeName(text, &column, error)) return std::nullopt;
  return FromColumn(column);
}

ExprType CommonNumericType(const ExprType& a, const ExprType& b) {
  if (a.kind == Kind::kFloat64 || b.kind == Kind::kFloat64) return ExprType::Float64();
  if (a.kind == Kind::kInt64 && b.kind == Kind::kInt64) return ExprType::Int64();
  const ExprType da = AsDecimal(a), db = AsDecimal(b);
  const int scale = std::max(da.scale, db.scale);
  const int integer_digits = std::max(da.precision - da.scale, db.precision - db.scale);
  return ExprType::Decimal(std::min(dataset::kMaxDecimalPrecision, integer_digits + scale), scale);
}

std::optional<ExprType> CommonType(const ExprType& a, const ExprType& b) {
  if (a.kind == Kind::kNull) return b;
  if (b.kind == Kind::kNull) return a;
  if (a.is_numeric() && b.is_numeric()) return CommonNumericType(a, b);
  if (a.kind == b.kind) return a;
  return std::nullopt;
}

}  // namespace sluice::transform

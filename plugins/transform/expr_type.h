// The static type of an expression: a dataset column type, or the type of a bare `null`
// literal, which takes the type its context asks for.
#ifndef SLUICE_PLUGINS_TRANSFORM_EXPR_TYPE_H_
#define SLUICE_PLUGINS_TRANSFORM_EXPR_TYPE_H_

#include <optional>
#include <string>

#include "sluice/dataset.hpp"

namespace sluice::transform {

enum class Kind { kNull, kInt64, kFloat64, kDecimal, kString, kBool, kDate, kTimestamp };

struct ExprType {
  Kind kind = Kind::kNull;
  int precision = 0;  ///< decimal only
  int scale = 0;      ///< decimal only

  static ExprType Null() { return {Kind::kNull}; }
  static ExprType Int64() { return {Kind::kInt64}; }
  static ExprType Float64() { return {Kind::kFloat64}; }
  static ExprType Decimal(int precision, int scale) { return {Kind::kDecimal, precision, scale}; }
  static ExprType String() { return {Kind::kString}; }
  static ExprType Bool() { return {Kind::kBool}; }
  static ExprType Date() { return {Kind::kDate}; }
  static ExprType Timestamp() { return {Kind::kTimestamp}; }

  bool is_numeric() const {
    return kind == Kind::kInt64 || kind == Kind::kFloat64 || kind == Kind::kDecimal;
  }
  bool operator==(const ExprType&) const = default;
};

/// "int64", "decimal(12,2)", ..., and "null" for the untyped null literal.
std::string TypeName(const ExprType& type);

ExprType FromColumn(const dataset::Column& column);
/// REQUIRES: type.kind != Kind::kNull.
dataset::Column ToColumn(const std::string& name, const ExprType& type);

/// Parses a type as written in configurations and casts ("decimal(12,2)"); nullopt with
/// *error set when the name is unknown.
std::optional<ExprType> ParseExprType(std::string_view text, std::string* error);

/// How int64 takes part in decimal arithmetic: every int64 that fits 18 digits.
inline constexpr ExprType kInt64AsDecimal{Kind::kDecimal, 18, 0};

/// The decimal view of an exact numeric type (int64 or decimal).
inline ExprType AsDecimal(const ExprType& type) {
  return type.kind == Kind::kInt64 ? kInt64AsDecimal : type;
}

/// The type both sides of a numeric operation or a coalesce become: float64 if either is,
/// else int64 if both are, else a decimal wide enough for both (at most 18 digits).
/// REQUIRES: both numeric.
ExprType CommonNumericType(const ExprType& a, const ExprType& b);

/// The type a value of `a` and a value of `b` can both take without loss (for coalesce,
/// comparisons and `in`), or nullopt when they do not mix (a string and a date).
std::optional<ExprType> CommonType(const ExprType& a, const ExprType& b);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_EXPR_TYPE_H_

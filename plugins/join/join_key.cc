#include "join_key.h"

namespace sluice::join {

std::string KeyTypeMismatch(const dataset::Column& a, const dataset::Column& b) {
  using dataset::Type;
  if (a.type == Type::kFloat64 || b.type == Type::kFloat64) {
    return "float64 values are not exact enough to join on; cast the column to decimal or int64";
  }
  const auto integral = [](const dataset::Column& c) {
    return c.type == Type::kInt64 || (c.type == Type::kDecimal && c.scale == 0);
  };
  if (integral(a) && integral(b)) return "";
  if (a.type != b.type) return "key types must match";
  if (a.type == Type::kDecimal && a.scale != b.scale) {
    return "decimals of different scales do not compare as stored; give both the same scale";
  }
  return "";
}

}  // namespace sluice::join

// One value of any dataset type in a form that hashes, compares and orders cheaply: fixed
// types as 64 bits, strings as a view into the mapped input. Used for group keys and for
// min, max and count_distinct.
#ifndef SLUICE_PLUGINS_AGGREGATE_VALUE_CELL_H_
#define SLUICE_PLUGINS_AGGREGATE_VALUE_CELL_H_

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>

#include "sluice/dataset.hpp"

namespace sluice::aggregate {

struct ValueCell {
  uint64_t bits = 0;      ///< int64/decimal/timestamp value, date days, bool 0/1, double bits; string hash
  std::string_view text;  ///< strings only
  bool null = false;
};

/// A double's bits with -0.0 folded into 0.0 and every NaN into one, so that equal values
/// group together.
inline uint64_t CanonicalDoubleBits(double value) {
  if (value == 0.0) return 0;
  if (std::isnan(value)) return std::bit_cast<uint64_t>(std::numeric_limits<double>::quiet_NaN());
  return std::bit_cast<uint64_t>(value);
}

/// Reads row `row` of `view` (null or not).
inline ValueCell ReadCell(const dataset::ColumnView& view, int64_t row) {
  ValueCell cell;
  if (view.IsNull(row)) {
    cell.null = true;
    return cell;
  }
  switch (view.column().type) {
    case dataset::Type::kInt64: cell.bits = static_cast<uint64_t>(view.Int64At(row)); break;
    case dataset::Type::kDecimal: cell.bits = static_cast<uint64_t>(view.DecimalAt(row)); break;
    case dataset::Type::kTimestamp: cell.bits = static_cast<uint64_t>(view.TimestampAt(row)); break;
    case dataset::Type::kDate: cell.bits = static_cast<uint64_t>(int64_t{view.DateAt(row)}); break;
    case dataset::Type::kBool: cell.bits = view.BoolAt(row) ? 1 : 0; break;
    case dataset::Type::kFloat64: cell.bits = CanonicalDoubleBits(view.Float64At(row)); break;
    case dataset::Type::kString:
      cell.text = view.StringAt(row);
      cell.bits = std::hash<std::string_view>{}(cell.text);
      break;
  }
  return cell;
}

/// Equality as grouping sees it: nulls equal each other.
inline bool SameCell(const ValueCell& a, const ValueCell& b) {
  return a.null == b.null && a.bits == b.bits && a.text == b.text;
}

/// Ascending order of two cells of a column of type `type`: nulls first; numbers, dates and
/// timestamps by value (NaN after every number); strings by bytes; false before true.
/// Returns <0, 0 or >0.
inline int CompareCells(dataset::Type type, const ValueCell& a, const ValueCell& b) {
  if (a.null || b.null) return a.null == b.null ? 0 : (a.null ? -1 : 1);
  switch (type) {
    case dataset::Type::kString: return a.text.compare(b.text);
    case dataset::Type::kFloat64: {
      const double x = std::bit_cast<double>(a.bits), y = std::bit_cast<double>(b.bits);
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) == std::isnan(y) ? 0 : (std::isnan(x) ? 1 : -1);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case dataset::Type::kBool: return static_cast<int>(a.bits) - static_cast<int>(b.bits);
    default: {
      const int64_t x = static_cast<int64_t>(a.bits), y = static_cast<int64_t>(b.bits);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
  }
}

/// Folds 64 bits into a running hash (MurmurHash3's finaliser after a golden-ratio mix).
inline uint64_t MixHash(uint64_t hash, uint64_t bits) {
  uint64_t h = hash ^ (bits + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2));
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_VALUE_CELL_H_

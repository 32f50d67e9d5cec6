// Join keys: how one key column's value is read, hashed and compared. Fixed-width values
// (int64, decimal, date, timestamp, bool) compare by their integer; strings by their bytes,
// read as views into the mapped input.
#ifndef SLUICE_PLUGINS_JOIN_JOIN_KEY_H_
#define SLUICE_PLUGINS_JOIN_JOIN_KEY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "sluice/dataset.hpp"

namespace sluice::join {

/// One component of a key as read from one row. For strings `bits` holds the text's hash.
struct KeyValue {
  uint64_t bits = 0;
  std::string_view text;
};

/// Why columns `a` and `b` cannot be equated, or empty when they can: the same type, decimals
/// of equal scale, or int64 with a decimal of scale 0. float64 never (equality of doubles is
/// not a key).
std::string KeyTypeMismatch(const dataset::Column& a, const dataset::Column& b);

/// Reads row `row` of a non-null key column. REQUIRES: !view.IsNull(row) and a key type.
inline KeyValue ReadKey(const dataset::ColumnView& view, int64_t row) {
  switch (view.column().type) {
    case dataset::Type::kInt64: return {static_cast<uint64_t>(view.Int64At(row)), {}};
    case dataset::Type::kDecimal: return {static_cast<uint64_t>(view.DecimalAt(row)), {}};
    case dataset::Type::kTimestamp: return {static_cast<uint64_t>(view.TimestampAt(row)), {}};
    case dataset::Type::kDate: return {static_cast<uint64_t>(int64_t{view.DateAt(row)}), {}};
    case dataset::Type::kBool: return {view.BoolAt(row) ? 1u : 0u, {}};
    case dataset::Type::kString: {
      const std::string_view text = view.StringAt(row);
      return {std::hash<std::string_view>{}(text), text};
    }
    case dataset::Type::kFloat64: break;
  }
  return {};
}

/// Folds one component into a running key hash (a multiply-xorshift mixer, as in
/// MurmurHash3's finaliser), so that consecutive integers spread over the table.
/// MixKey(h, x) is a bijection of x for a fixed h (an addition, then invertible steps):
/// BuildSide relies on it to skip comparing one-column fixed-width keys.
inline uint64_t MixKey(uint64_t hash, uint64_t bits) {
  uint64_t h = hash ^ (bits + 0x9e3779b97f4a7c15ull + (hash << 6) + (hash >> 2));
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_KEY_H_

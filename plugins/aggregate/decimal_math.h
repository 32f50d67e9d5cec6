// Exact decimal arithmetic for aggregates: sums kept as 128-bit integers, averages divided
// with round-half-to-even, and the 18-digit limit of the dataset format's decimals.
#ifndef SLUICE_PLUGINS_AGGREGATE_DECIMAL_MATH_H_
#define SLUICE_PLUGINS_AGGREGATE_DECIMAL_MATH_H_

#include <cstdint>
#include <string>

namespace sluice::aggregate {

using Int128 = __int128;

/// The largest unscaled value a decimal(18,S) holds: 18 nines.
inline constexpr int64_t kMaxDecimal18 = 999'999'999'999'999'999;

/// Whether `value` fits in 18 digits (a decimal of precision 18).
inline bool FitsDecimal18(Int128 value) { return value >= -kMaxDecimal18 && value <= kMaxDecimal18; }

/// numerator / denominator rounded to the nearest integer, ties to the even one (banker's
/// rounding: 0.5 -> 0, 1.5 -> 2, -2.5 -> -2). REQUIRES: denominator > 0.
Int128 DivideRoundHalfEven(Int128 numerator, Int128 denominator);

/// Decimal text of a 128-bit integer ("-170141183460469231731687303715884105728").
std::string Int128Text(Int128 value);

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_DECIMAL_MATH_H_

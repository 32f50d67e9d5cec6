// Exact arithmetic on decimals held as an unscaled int64 and a scale (12.30 is 1230 at
// scale 2). Every function reports overflow instead of wrapping; nothing goes through double.
#ifndef SLUICE_PLUGINS_TRANSFORM_DECIMAL_MATH_H_
#define SLUICE_PLUGINS_TRANSFORM_DECIMAL_MATH_H_

#include <cstdint>

namespace sluice::transform {

using int128 = __int128;

/// 10^n for 0 <= n <= 38.
int128 Pow10(int n);

/// Whether |value| has at most `precision` digits (precision <= 18).
bool FitsPrecision(int128 value, int precision);

/// `numerator / denominator`, rounded to the nearest integer, ties to the even one.
/// REQUIRES: denominator != 0.
int128 DivideHalfEven(int128 numerator, int128 denominator);

/// `numerator / denominator`, rounded to the nearest integer, ties away from zero (what SQL
/// databases do for round()). REQUIRES: denominator != 0.
int128 DivideHalfAwayFromZero(int128 numerator, int128 denominator);

/// value at `from_scale` expressed at `to_scale`: multiplies exactly when the scale grows,
/// rounds half-even when it shrinks. Returns false when the result would exceed int128.
bool Rescale(int128 value, int from_scale, int to_scale, int128* out);

/// Three-way exact comparison of the decimal unscaled/10^scale with a double: -1, 0, 1, or
/// 2 when `value` is NaN (unordered).
int CompareDecimalWithDouble(int64_t unscaled, int scale, double value);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_DECIMAL_MATH_H_

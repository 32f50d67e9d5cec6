#include "decimal_math.h"

#include <cmath>

namespace sluice::transform {

namespace {

constexpr int kMaxPow10 = 38;

struct Pow10Table {
  int128 values[kMaxPow10 + 1];
  constexpr Pow10Table() : values() {
    int128 v = 1;
    for (int i = 0; i <= kMaxPow10; ++i) {
      values[i] = v;
      if (i < kMaxPow10) v *= 10;
    }
  }
};
constexpr Pow10Table kPow10;

int128 Abs128(int128 v) { return v < 0 ? -v : v; }

}  // namespace

int128 Pow10(int n) { return kPow10.values[n]; }

bool FitsPrecision(int128 value, int precision) { return Abs128(value) < Pow10(precision); }

int128 DivideHalfEven(int128 numerator, int128 denominator) {
  int128 quotient = numerator / denominator;
  const int128 remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  const int128 twice = Abs128(remainder) * 2, whole = Abs128(denominator);
  const bool negative = (numerator < 0) != (denominator < 0);
  if (twice > whole || (twice == whole && quotient % 2 != 0)) quotient += negative ? -1 : 1;
  return quotient;
}

int128 DivideHalfAwayFromZero(int128 numerator, int128 denominator) {
  int128 quotient = numerator / denominator;
  const int128 remainder = numerator % denominator;
  if (Abs128(remainder) * 2 >= Abs128(denominator) && remainder != 0) {
    quotient += ((numerator < 0) != (denominator < 0)) ? -1 : 1;
  }
  return quotient;
}

bool Rescale(int128 value, int from_scale, int to_scale, int128* out) {
  if (to_scale >= from_scale) {
    return !__builtin_mul_overflow(value, Pow10(to_scale - from_scale), out);
  }
  *out = DivideHalfEven(value, Pow10(from_scale - to_scale));
  return true;
}

int CompareDecimalWithDouble(int64_t unscaled, int scale, double value) {
  if (std::isnan(value)) return 2;
  if (std::isinf(value)) return value > 0 ? -1 : 1;
  // Split both into sign, integer part and fraction; compare those exactly. |decimal| is
  // below 2^63, so a double at or beyond that decides by magnitude alone.
  const int decimal_sign = unscaled < 0 ? -1 : unscaled > 0 ? 1 : 0;
  const int double_sign = value < 0 ? -1 : value > 0 ? 1 : 0;
  if (decimal_sign != double_sign) return decimal_sign < double_sign ? -1 : 1;
  if (decimal_sign == 0) return 0;
  const int128 magnitude = Abs128(unscaled);
  const double abs_value = std::fabs(value);
  int magnitude_order;  // sign of |decimal| - |double|
  if (abs_value >= 9223372036854775808.0) {
    magnitude_order = -1;
  } else {
    const double whole = std::floor(abs_value);
    const int128 decimal_whole = magnitude / Pow10(scale);
    const int128 double_whole = static_cast<int128>(whole);
    if (decimal_whole != double_whole) {
      magnitude_order = decimal_whole < double_whole ? -1 : 1;
    } else {
      // Fractions: compare at 2^-64 resolution exactly, then the tiny rest (below 2^-64).
      const int128 decimal_fraction = magnitude % Pow10(scale);
      const int128 scaled = decimal_fraction << 64;
      const int128 decimal_top = scaled / Pow10(scale);
      const bool decimal_rest = scaled % Pow10(scale) != 0;
      const double fraction = std::ldexp(abs_value - whole, 64);
      const double fraction_whole = std::floor(fraction);
      const int128 double_top = static_cast<int128>(fraction_whole);
      const bool double_rest = fraction != fraction_whole;
      if (decimal_top != double_top) {
        magnitude_order = decimal_top < double_top ? -1 : 1;
      } else if (decimal_rest != double_rest) {
        magnitude_order = decimal_rest ? 1 : -1;
      } else if (!decimal_rest) {
        magnitude_order = 0;
      } else {
        const long double decimal_tail =
            static_cast<long double>(scaled % Pow10(scale)) / static_cast<long double>(Pow10(scale));
        const long double double_tail = fraction - fraction_whole;
        magnitude_order = decimal_tail < double_tail ? -1 : decimal_tail > double_tail ? 1 : 0;
      }
    }
  }
  return decimal_sign > 0 ? magnitude_order : -magnitude_order;
}

}  // namespace sluice::transform

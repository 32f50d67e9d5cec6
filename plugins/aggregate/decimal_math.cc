#include "decimal_math.h"

#include <algorithm>

namespace sluice::aggregate {

Int128 DivideRoundHalfEven(Int128 numerator, Int128 denominator) {
  // C++ division truncates toward zero; adjust the quotient by comparing twice the
  // remainder's magnitude with the denominator.
  Int128 quotient = numerator / denominator;
  const Int128 remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  const Int128 twice = (remainder < 0 ? -remainder : remainder) * 2;
  const bool away = twice > denominator || (twice == denominator && quotient % 2 != 0);
  if (away) quotient += numerator < 0 ? -1 : 1;
  return quotient;
}

std::string Int128Text(Int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  std::string digits;
  while (value != 0) {
    const int digit = static_cast<int>(value % 10);
    digits.push_back(static_cast<char>('0' + (digit < 0 ? -digit : digit)));
    value /= 10;
  }
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace sluice::aggregate

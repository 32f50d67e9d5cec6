#include "csv_type_inference.h"

#include <algorithm>

namespace sluice::csv {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "-12.50" -> 2 integer digits, 2 fraction digits. False unless the text is [sign]digits
// [.digits] with at least one digit.
bool PlainDecimalShape(std::string_view text, int* integer_digits, int* fraction_digits) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  const size_t point = text.find('.');
  const std::string_view integer = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (integer.empty() && fraction.empty()) return false;
  for (char c : integer) {
    if (!IsDigit(c)) return false;
  }
  for (char c : fraction) {
    if (!IsDigit(c)) return false;
  }
  size_t first_significant = 0;
  while (first_significant < integer.size() && integer[first_significant] == '0') {
    ++first_significant;
  }
  *integer_digits = static_cast<int>(integer.size() - first_significant);
  *fraction_digits = static_cast<int>(fraction.size());
  return true;
}

// "007" or "-01.5": a leading zero before another digit.
bool HasLeadingZero(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return text.size() >= 2 && text[0] == '0' && IsDigit(text[1]);
}

}  // namespace

void ColumnTypeGuess::Observe(std::string_view raw) {
  const std::string_view text = Trim(raw);
  seen_ = true;
  std::string error;
  const bool code = HasLeadingZero(text);
  if (int64_) {
    int64_t value = 0;
    int64_ = !code && dataset::ParseInt64(text, &value, &error);
  }
  if (decimal_) {
    int integer = 0, fraction = 0;
    decimal_ = !code && PlainDecimalShape(text, &integer, &fraction);
    if (decimal_) {
      integer_digits_ = std::max(integer_digits_, integer);
      fraction_digits_ = std::max(fraction_digits_, fraction);
      decimal_ = integer_digits_ + fraction_digits_ <= dataset::kMaxDecimalPrecision;
    }
  }
  if (float64_) {
    double value = 0;
    bool has_digit = false;
    for (char c : text) has_digit |= IsDigit(c);
    float64_ = !code && has_digit && dataset::ParseFloat64(text, &value, &error);
  }
  if (date_) {
    int32_t days = 0;
    date_ = dataset::ParseDate(text, &days, &error);
  }
  if (timestamp_) {
    int64_t micros = 0;
    timestamp_ = dataset::ParseTimestamp(text, &micros, &error);
  }
  if (bool_) {
    bool value = false;
    bool_ = dataset::ParseBool(text, &value, &error);
  }
}

dataset::Column ColumnTypeGuess::Result(std::string name) const {
  dataset::Column column{std::move(name), dataset::Type::kString};
  if (!seen_) return column;
  if (int64_) {
    column.type = dataset::Type::kInt64;
  } else if (decimal_) {
    column.type = dataset::Type::kDecimal;
    column.precision = dataset::kMaxDecimalPrecision;
    column.scale = fraction_digits_;
  } else if (float64_) {
    column.type = dataset::Type::kFloat64;
  } else if (date_) {
    column.type = dataset::Type::kDate;
  } else if (timestamp_) {
    column.type = dataset::Type::kTimestamp;
  } else if (bool_) {
    column.type = dataset::Type::kBool;
  }
  return column;
}

}  // namespace sluice::csv

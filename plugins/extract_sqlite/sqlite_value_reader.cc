#include "sqlite_value_reader.h"

#include <sqlite3.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "sluice/utf8.hpp"

namespace sluice::sqlite {
namespace {

namespace ds = sluice::dataset;

std::string_view TextOf(sqlite3_stmt* statement, int index) {
  const unsigned char* text = sqlite3_column_text(statement, index);
  const int size = sqlite3_column_bytes(statement, index);
  return text == nullptr ? std::string_view()
                         : std::string_view(reinterpret_cast<const char*>(text),
                                            static_cast<size_t>(size));
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool RefuseBlob(std::string* error) {
  *error = "the value is a BLOB, and a dataset has no binary type; select hex(...) or "
           "CAST(... AS TEXT) in `query`";
  return false;
}

// A date or time SQLite stored as a number: its meaning (Unix seconds? Julian day?) is a
// guess we refuse to make.
bool RefuseNumericTime(sqlite3_stmt* statement, int index, const ds::Column& column,
                       std::string* error) {
  const char* convert = column.type == ds::Type::kDate ? "date" : "datetime";
  *error = Quoted(TextOf(statement, index)) + " is stored as a number, not as " +
           (column.type == ds::Type::kDate ? "YYYY-MM-DD" : "YYYY-MM-DD HH:MM:SS") +
           " text; convert it in `query`, e.g. " + convert + "(" + column.name +
           ", 'unixepoch') for Unix seconds";
  return false;
}

bool AppendInt64(sqlite3_stmt* statement, int index, int storage, ds::Writer& writer,
                 size_t column, std::string* error) {
  if (storage == SQLITE_INTEGER) {
    writer.AppendInt64(column, sqlite3_column_int64(statement, index));
    return true;
  }
  if (storage == SQLITE_FLOAT) {
    // 2^63 is exactly representable; every double below it in magnitude fits an int64.
    const double value = sqlite3_column_double(statement, index);
    if (std::trunc(value) == value && value >= -9223372036854775808.0 &&
        value < 9223372036854775808.0) {
      writer.AppendInt64(column, static_cast<int64_t>(value));
      return true;
    }
    *error = Quoted(TextOf(statement, index)) + " is not a whole number";
    return false;
  }
  int64_t value = 0;
  if (!ds::ParseInt64(TextOf(statement, index), &value, error)) return false;
  writer.AppendInt64(column, value);
  return true;
}

bool AppendDecimal(sqlite3_stmt* statement, int index, int storage, ds::Writer& writer,
                   size_t column, std::string* scratch, std::string* error) {
  const ds::Column& c = writer.schema()[column];
  // SQLite prints a REAL with 15 significant digits ("%!.15g"), which gives back the decimal
  // that was stored whenever it had at most 15 digits; INTEGER and TEXT print exactly.
  std::string_view text = TextOf(statement, index);
  if (storage == SQLITE_FLOAT && text.find_first_of("eE") != std::string_view::npos) {
    if (ExpandExponent(text, scratch)) text = *scratch;
  }
  int64_t unscaled = 0;
  if (!ds::ParseDecimal(text, c.precision, c.scale, &unscaled, error)) return false;
  // A decimal with at most 15 significant digits survives the trip through a double. One
  // with more has |unscaled| >= 10^15, so below that bound the text is the stored decimal;
  // at or above it SQLite may already have rounded the value when it stored it.
  constexpr int64_t kExactBelow = 1'000'000'000'000'000;
  if (storage == SQLITE_FLOAT && (unscaled >= kExactBelow || unscaled <= -kExactBelow)) {
    *error = Quoted(TextOf(statement, index)) +
             " is stored as a REAL, which keeps only 15 significant digits, so SQLite may have "
             "rounded it; store such amounts as TEXT (declare the column TEXT and name its "
             "type in `columns`)";
    return false;
  }
  writer.AppendDecimal(column, unscaled);
  return true;
}

bool AppendBool(sqlite3_stmt* statement, int index, int storage, ds::Writer& writer,
                size_t column, std::string* error) {
  if (storage == SQLITE_INTEGER || storage == SQLITE_FLOAT) {
    const double value = sqlite3_column_double(statement, index);
    if (value == 0 || value == 1) {
      writer.AppendBool(column, value == 1);
      return true;
    }
    *error = Quoted(TextOf(statement, index)) + " is not a bool; store 1/0 or true/false";
    return false;
  }
  bool value = false;
  if (!ds::ParseBool(TextOf(statement, index), &value, error)) return false;
  writer.AppendBool(column, value);
  return true;
}

}  // namespace

bool AppendSqliteValue(sqlite3_stmt* statement, int index, ds::Writer& writer,
                       std::string* scratch, std::string* error) {
  const size_t column = static_cast<size_t>(index);
  const ds::Column& c = writer.schema()[column];
  const int storage = sqlite3_column_type(statement, index);
  if (storage == SQLITE_NULL) {
    writer.AppendNull(column);
    return true;
  }
  if (storage == SQLITE_BLOB) return RefuseBlob(error);
  switch (c.type) {
    case ds::Type::kInt64: return AppendInt64(statement, index, storage, writer, column, error);
    case ds::Type::kDecimal:
      return AppendDecimal(statement, index, storage, writer, column, scratch, error);
    case ds::Type::kBool: return AppendBool(statement, index, storage, writer, column, error);
    case ds::Type::kFloat64:
      if (storage != SQLITE_TEXT) {
        writer.AppendFloat64(column, sqlite3_column_double(statement, index));
        return true;
      }
      return writer.AppendParsed(column, TextOf(statement, index), error);
    case ds::Type::kDate:
    case ds::Type::kTimestamp:
      if (storage != SQLITE_TEXT) return RefuseNumericTime(statement, index, c, error);
      return writer.AppendParsed(column, TextOf(statement, index), error);
    case ds::Type::kString: {
      // SQLite stores whatever bytes it was given; a dataset promises UTF-8.
      const std::string_view text = TextOf(statement, index);
      if (!sdk::IsValidUtf8(text)) {
        *error = "the text is not valid UTF-8; convert it to UTF-8 in the source, or select "
                 "hex(...) in `query`";
        return false;
      }
      writer.AppendString(column, text);
      return true;
    }
  }
  *error = "unknown column type";
  return false;
}

bool ExpandExponent(std::string_view text, std::string* out) {
  const size_t e = text.find_first_of("eE");
  if (e == std::string_view::npos) return false;
  std::string_view mantissa = text.substr(0, e);
  std::string_view exponent_text = text.substr(e + 1);
  if (exponent_text.starts_with('+')) exponent_text.remove_prefix(1);
  int exponent = 0;
  auto [end, ec] = std::from_chars(exponent_text.data(),
                                   exponent_text.data() + exponent_text.size(), exponent);
  if (ec != std::errc() || end != exponent_text.data() + exponent_text.size() ||
      exponent_text.empty() || exponent > 400 || exponent < -400) {
    return false;
  }
  out->clear();
  if (mantissa.starts_with('-') || mantissa.starts_with('+')) {
    if (mantissa.front() == '-') out->push_back('-');
    mantissa.remove_prefix(1);
  }
  std::string digits;
  long point = -1;
  for (char c : mantissa) {
    if (c == '.' && point < 0) {
      point = static_cast<long>(digits.size());
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else {
      return false;
    }
  }
  if (digits.empty()) return false;
  if (point < 0) point = static_cast<long>(digits.size());
  const long shifted = point + exponent;
  const long count = static_cast<long>(digits.size());
  if (shifted <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-shifted), '0');
    out->append(digits);
  } else if (shifted >= count) {
    out->append(digits);
    out->append(static_cast<size_t>(shifted - count), '0');
  } else {
    out->append(digits, 0, static_cast<size_t>(shifted));
    out->push_back('.');
    out->append(digits, static_cast<size_t>(shifted), std::string::npos);
  }
  return true;
}

}  // namespace sluice::sqlite

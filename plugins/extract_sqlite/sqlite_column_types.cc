#include "sqlite_column_types.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace sluice::sqlite {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
    size_t end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t') ++end;
    if (end > at) words.push_back(text.substr(at, end - at));
    at = end;
  }
  return words;
}

template <size_t N>
bool AnyWordIn(const std::vector<std::string_view>& words,
               const std::array<std::string_view, N>& names) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) {
    return std::find(names.begin(), names.end(), w) != names.end();
  });
}

bool ParseNumber(std::string_view text, int* value) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// DECIMAL(P,S) / NUMERIC(P,S) / DECIMAL(P): `args` is the text between the parentheses.
bool DecimalFromArguments(std::string_view declared, std::string_view args,
                          dataset::Column* column, std::string* error) {
  const std::string fix = "; declare the column's type in `columns`, e.g. {name: " +
                          column->name + ", type: \"decimal(18,2)\"} or type: string";
  int precision = 0, scale = 0;
  const size_t comma = args.find(',');
  const bool parsed = comma == std::string_view::npos
                          ? ParseNumber(args, &precision)
                          : ParseNumber(args.substr(0, comma), &precision) &&
                                ParseNumber(args.substr(comma + 1), &scale);
  if (!parsed) {
    *error = "is declared " + std::string(declared) +
             ", which does not say its precision and scale" + fix;
    return false;
  }
  dataset::Column candidate{column->name, dataset::Type::kDecimal, precision, scale};
  if (std::string why = dataset::CheckColumnType(candidate); !why.empty()) {
    *error = "is declared " + std::string(declared) + ": " + why + fix;
    return false;
  }
  *column = std::move(candidate);
  return true;
}

}  // namespace

bool TypeFromDeclaration(std::string_view declared, dataset::Column* column, std::string* error) {
  static constexpr std::array<std::string_view, 9> kIntegers = {
      "INT", "INTEGER", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT", "INT2", "INT4", "INT8"};
  static constexpr std::array<std::string_view, 3> kFloats = {"REAL", "DOUBLE", "FLOAT"};
  static constexpr std::array<std::string_view, 2> kTimestamps = {"DATETIME", "TIMESTAMP"};
  static constexpr std::array<std::string_view, 2> kBools = {"BOOL", "BOOLEAN"};
  static constexpr std::array<std::string_view, 2> kDecimals = {"DECIMAL", "NUMERIC"};

  const std::string upper = Upper(declared);
  const size_t open = upper.find('(');
  const std::string_view base = std::string_view(upper).substr(0, open);
  const std::vector<std::string_view> words = Words(base);
  auto set = [&](dataset::Type type) {
    column->type = type;
    column->precision = column->scale = 0;
    return true;
  };

  if (!words.empty() && AnyWordIn(words, kDecimals)) {
    const size_t close = upper.find(')', open == std::string::npos ? 0 : open);
    if (open == std::string::npos || close == std::string::npos) {
      *error = "is declared " + std::string(declared) +
               " without a precision and scale, so its exact type is unknown (money must not "
               "become a double); declare the column's type in `columns`, e.g. {name: " +
               column->name + ", type: \"decimal(18,2)\"}";
      return false;
    }
    return DecimalFromArguments(declared, std::string_view(upper).substr(open + 1, close - open - 1),
                                column, error);
  }
  if (AnyWordIn(words, kTimestamps)) return set(dataset::Type::kTimestamp);
  if (std::find(words.begin(), words.end(), "DATE") != words.end()) return set(dataset::Type::kDate);
  if (AnyWordIn(words, kBools)) return set(dataset::Type::kBool);
  if (AnyWordIn(words, kIntegers)) return set(dataset::Type::kInt64);
  if (AnyWordIn(words, kFloats)) return set(dataset::Type::kFloat64);
  if (std::find(words.begin(), words.end(), "BLOB") != words.end()) {
    *error = "is declared BLOB, and a dataset has no binary type; select hex(" + column->name +
             ") AS " + column->name + " in `query`, or declare its type in `columns` if it "
             "holds text";
    return false;
  }
  return set(dataset::Type::kString);  // CHAR, VARCHAR, TEXT, CLOB, and names SQLite ignores
}

bool TypeFromStorageClass(int storage_class, dataset::Column* column, std::string* error) {
  column->precision = column->scale = 0;
  switch (storage_class) {
    case SQLITE_INTEGER: column->type = dataset::Type::kInt64; return true;
    case SQLITE_FLOAT: column->type = dataset::Type::kFloat64; return true;
    case SQLITE_TEXT: column->type = dataset::Type::kString; return true;
    default:
      *error = "holds BLOB values, and a dataset has no binary type; select hex(...) or "
               "CAST(... AS TEXT) in `query`";
      return false;
  }
}

}  // namespace sluice::sqlite

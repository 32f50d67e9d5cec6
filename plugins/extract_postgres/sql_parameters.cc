#include "sql_parameters.h"

#include <algorithm>

namespace sluice::postgres {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || IsDigit(c) || c == '$'; }

// Each Skip* starts at the opening character and returns the index just past the closing one
// (or the end of `sql` when it never closes: the server will report that).
size_t SkipLineComment(std::string_view sql, size_t at) {
  const size_t end = sql.find('\n', at);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

size_t SkipBlockComment(std::string_view sql, size_t at) {
  int depth = 0;
  while (at < sql.size()) {
    if (sql.substr(at, 2) == "/*") {
      ++depth;
      at += 2;
    } else if (sql.substr(at, 2) == "*/") {
      at += 2;
      if (--depth == 0) return at;
    } else {
      ++at;
    }
  }
  return at;
}

// A '...' string (quotes doubled inside) or, with backslash escapes, an E'...' string; also
// a "..." identifier when `quote` is '"'.
size_t SkipQuoted(std::string_view sql, size_t at, char quote, bool backslash_escapes) {
  for (++at; at < sql.size(); ++at) {
    if (backslash_escapes && sql[at] == '\\') {
      ++at;
    } else if (sql[at] == quote) {
      if (at + 1 < sql.size() && sql[at + 1] == quote) {
        ++at;
      } else {
        return at + 1;
      }
    }
  }
  return at;
}

// The length of a dollar-quote tag ($$ or $tag$) starting at `at`, or 0 when there is none.
size_t DollarTagLength(std::string_view sql, size_t at) {
  size_t end = at + 1;
  if (end < sql.size() && IsIdentifierStart(sql[end])) {
    while (end < sql.size() && IsIdentifierChar(sql[end]) && sql[end] != '$') ++end;
  }
  return end < sql.size() && sql[end] == '$' ? end + 1 - at : 0;
}

}  // namespace

int HighestParameter(std::string_view sql) {
  int highest = 0;
  size_t at = 0;
  while (at < sql.size()) {
    const char c = sql[at];
    const bool after_identifier = at > 0 && IsIdentifierChar(sql[at - 1]);
    if (sql.substr(at, 2) == "--") {
      at = SkipLineComment(sql, at);
    } else if (sql.substr(at, 2) == "/*") {
      at = SkipBlockComment(sql, at);
    } else if (c == '\'') {
      const bool escape_string = at > 0 && (sql[at - 1] == 'E' || sql[at - 1] == 'e') &&
                                 (at < 2 || !IsIdentifierChar(sql[at - 2]));
      at = SkipQuoted(sql, at, '\'', escape_string);
    } else if (c == '"') {
      at = SkipQuoted(sql, at, '"', false);
    } else if (c == '$' && !after_identifier && at + 1 < sql.size() && IsDigit(sql[at + 1])) {
      int number = 0;
      for (++at; at < sql.size() && IsDigit(sql[at]); ++at) {
        number = std::min(number * 10 + (sql[at] - '0'), 1'000'000);
      }
      highest = std::max(highest, number);
    } else if (c == '$' && !after_identifier && DollarTagLength(sql, at) > 0) {
      const size_t length = DollarTagLength(sql, at);
      const size_t close = sql.find(sql.substr(at, length), at + length);
      at = close == std::string_view::npos ? sql.size() : close + length;
    } else {
      ++at;
    }
  }
  return highest;
}

}  // namespace sluice::postgres

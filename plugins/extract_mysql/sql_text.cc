#include "sql_text.h"

#include <vector>

namespace sluice::mysql {
namespace {

bool IsIdentifierByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$' || c >= 0x80;
}

// MariaDB's identifier limit, in characters; bytes are a safe upper bound for the check.
constexpr size_t kMaxIdentifierBytes = 64 * 4;

// "-- " starts a comment only when followed by white space or the end (MariaDB's rule), so
// "1--1" stays arithmetic.
bool IsDashDashComment(std::string_view query, size_t i) {
  if (query.substr(i, 2) != "--") return false;
  if (i + 2 == query.size()) return true;
  const char next = query[i + 2];
  return next == ' ' || next == '\t' || next == '\n' || next == '\r';
}

}  // namespace

std::optional<std::string> QuoteTableName(std::string_view table, std::string* error) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = table.find('.', start);
    parts.push_back(table.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  const std::string fix = "; write a table name such as movimento or sicoop.movimento, or use "
                          "`query` for anything else";
  if (parts.size() > 2) {
    *error = "'" + std::string(table) + "' has more than one dot" + fix;
    return std::nullopt;
  }
  std::string quoted;
  for (std::string_view part : parts) {
    if (part.empty() || part.size() > kMaxIdentifierBytes) {
      *error = "'" + std::string(table) + "' has an empty or over-long name part" + fix;
      return std::nullopt;
    }
    for (char c : part) {
      if (!IsIdentifierByte(static_cast<unsigned char>(c))) {
        *error = "'" + std::string(table) + "' contains '" + std::string(1, c) +
                 "', which a table name cannot hold here" + fix;
        return std::nullopt;
      }
    }
    if (!quoted.empty()) quoted += '.';
    quoted += '`';
    quoted += part;
    quoted += '`';
  }
  return quoted;
}

int CountPlaceholders(std::string_view query) {
  int count = 0;
  size_t i = 0;
  const size_t n = query.size();
  while (i < n) {
    const char c = query[i];
    if (c == '\'' || c == '"' || c == '`') {
      // A quoted string or identifier: doubled quotes and (outside backticks) backslash
      // escapes stay inside it.
      ++i;
      while (i < n) {
        if (c != '`' && query[i] == '\\') {
          i += 2;
          continue;
        }
        if (query[i] == c) {
          if (i + 1 < n && query[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      ++i;
    } else if (c == '#' || IsDashDashComment(query, i)) {
      while (i < n && query[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && query[i + 1] == '*') {
      const size_t end = query.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
    } else {
      if (c == '?') ++count;
      ++i;
    }
  }
  return count;
}

}  // namespace sluice::mysql

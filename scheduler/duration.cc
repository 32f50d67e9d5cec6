#include "scheduler/duration.h"

#include <array>
#include <cstdint>
#include <limits>

namespace sluice {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t millis;
};

// Largest first: a combined duration must list its units in this order. "ms" precedes "m"
// so the longer suffix is matched first.
constexpr std::array<Unit, 5> kUnits = {{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"ms", 1},
    {"m", 60'000},
    {"s", 1'000},
}};

// Rank of a unit by size, so "1h30m" is accepted and "30m1h" is not.
int SizeRank(std::string_view suffix) {
  if (suffix == "d") return 5;
  if (suffix == "h") return 4;
  if (suffix == "m") return 3;
  if (suffix == "s") return 2;
  return 1;  // ms
}

Status Invalid(std::string_view text) {
  return Status::Error("invalid duration '" + std::string(text) + "'; write " +
                       std::string(kDurationForms));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return Invalid(text);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 2;
  int64_t total = 0;
  int previous_rank = 6;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) return Invalid(text);
    int64_t number = 0;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > kMax / 86'400'000) return Invalid(text);
    }
    if (i == text.size()) {
      // A bare number means seconds, but only when it is the whole text ("90", not "1h30").
      if (previous_rank != 6) return Invalid(text);
      return Duration(number * 1000);
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(i, u.suffix.size()) == u.suffix) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return Invalid(text);
    const int rank = SizeRank(unit->suffix);
    if (rank >= previous_rank) return Invalid(text);
    previous_rank = rank;
    i += unit->suffix.size();
    total += number * unit->millis;
    if (total > kMax) return Invalid(text);
  }
  return Duration(total);
}

std::string FormatDuration(Duration duration) {
  int64_t millis = duration.count();
  if (millis == 0) return "0s";
  std::string out;
  if (millis < 0) {
    out = "-";
    millis = -millis;
  }
  // Same order as kUnits, but seconds before milliseconds when formatting.
  constexpr std::array<Unit, 5> kFormatOrder = {{
      {"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}}};
  for (const Unit& unit : kFormatOrder) {
    if (millis >= unit.millis) {
      out += std::to_string(millis / unit.millis);
      out += unit.suffix;
      millis %= unit.millis;
    }
  }
  return out;
}

}  // namespace sluice

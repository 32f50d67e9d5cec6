#include "expr_error.h"

#include <algorithm>
#include <vector>

namespace sluice::transform {

namespace {

// Characters on screen: UTF-8 continuation bytes take no column.
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::string WithCaret(const std::string& message, std::string_view text, size_t begin,
                      size_t end) {
  begin = std::min(begin, text.size());
  end = std::clamp(end, begin, text.size());
  std::string out = message;
  out += "\n  ";
  // A multi-line expression is shown on one line so the caret lines up.
  for (char c : text) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  out += "\n  ";
  out.append(DisplayWidth(text.substr(0, begin)), ' ');
  out.append(std::max<size_t>(1, DisplayWidth(text.substr(begin, end - begin))), '^');
  return out;
}

std::string SuggestNames(std::string_view name, const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  std::vector<std::pair<size_t, std::string>> close;
  const size_t limit = std::max<size_t>(2, name.size() / 3);
  for (const std::string& candidate : candidates) {
    const size_t distance = EditDistance(name, candidate);
    const bool prefix = name.size() >= 3 && (candidate.starts_with(name) || name.starts_with(candidate));
    if (distance <= limit || prefix) close.emplace_back(distance, candidate);
  }
  std::stable_sort(close.begin(), close.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (close.empty()) {
    std::string out = "; the choices are: ";
    for (size_t i = 0; i < candidates.size(); ++i) out += (i ? ", " : "") + candidates[i];
    return out;
  }
  std::string out = "; did you mean ";
  const size_t shown = std::min<size_t>(3, close.size());
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += i + 1 == shown ? " or " : ", ";
    out += "'" + close[i].second + "'";
  }
  return out + "?";
}

}  // namespace sluice::transform

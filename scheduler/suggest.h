// "Did you mean ...?" for misspelled keys, task ids and plugin names.
#ifndef SLUICE_SCHEDULER_SUGGEST_H_
#define SLUICE_SCHEDULER_SUGGEST_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours as
/// one edit each, so "retires" is one edit from "retries".
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `wrong`, if it is close enough to be a plausible typo (at most a
/// third of the length of `wrong` in edits, and at least one). Ties go to the earlier
/// candidate. Never returns `wrong` itself.
std::optional<std::string> ClosestName(std::string_view wrong,
                                       const std::vector<std::string>& candidates);

/// "a, b, c"; with more than `limit` names, the first `limit` and "... (N in total)".
std::string JoinNames(const std::vector<std::string>& names, size_t limit = 20);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_SUGGEST_H_

// The small language of `on` and `select`: column references `alias.column`, equalities
// joined by `and`, and `alias.col [as name]` / `alias.*`. Names are runs of letters, digits,
// `_`, `-` and non-ASCII characters, or any text in double quotes ("my col", "" for a quote);
// `and` and `as` are keywords in any case.
#ifndef SLUICE_PLUGINS_JOIN_JOIN_EXPRESSIONS_H_
#define SLUICE_PLUGINS_JOIN_JOIN_EXPRESSIONS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "join_spec.h"

namespace sluice::join {

/// Whether `name` can be written without quotes (what an alias must be).
bool IsPlainName(std::string_view name);

/// One `a.x = b.y` as written; which side is the joined input is decided later.
using Equality = std::pair<ColumnRef, ColumnRef>;

/// Parses "a.x = b.y [and c.z = b.w ...]". On failure returns false and explains in *error.
bool ParseOnClause(std::string_view text, std::vector<Equality>* equalities, std::string* error);

/// Parses "alias.col", "alias.col as name" or "alias.*" into *item (config_path untouched).
bool ParseSelectItem(std::string_view text, SelectItem* item, std::string* error);

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_EXPRESSIONS_H_

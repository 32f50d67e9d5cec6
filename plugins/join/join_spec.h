// What a join task asks for, once its configuration is parsed: the inputs with their
// aliases, how each one is joined, and which columns come out. Names only; nothing here
// knows the datasets' schemas yet (see join_plan.h).
#ifndef SLUICE_PLUGINS_JOIN_JOIN_SPEC_H_
#define SLUICE_PLUGINS_JOIN_JOIN_SPEC_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace sluice::join {

enum class JoinType { kInner, kLeft, kRight, kFull };

/// "inner", "left", "right", "full".
const char* JoinTypeName(JoinType type);

/// `alias.column` as written in `on` or `select`.
struct ColumnRef {
  std::string alias;
  std::string column;
};

/// One `x.col = y.col` of an `on` clause, oriented: `build` names the input being joined,
/// `probe` an input joined before it.
struct KeyPair {
  ColumnRef probe;
  ColumnRef build;
};

/// One input: the first (`from`) or one of `join`.
struct InputSpec {
  std::string task_id;  ///< the upstream task whose dataset this is
  std::string alias;    ///< `as`, or the task id
  JoinType type = JoinType::kInner;  ///< unused for `from`
  std::vector<KeyPair> keys;         ///< empty for `from`
  std::string config_path;           ///< "/from" or "/join/2", for error messages
};

/// One `select` entry: `alias.col [as name]` or `alias.*`.
struct SelectItem {
  std::string alias;
  std::string column;  ///< empty for `alias.*`
  std::string output_name;  ///< empty: the column's own name
  std::string config_path;  ///< "/select/3"
  bool all_columns() const { return column.empty(); }
};

struct JoinSpec {
  std::vector<InputSpec> inputs;  ///< `from` first, then each `join` in order
  std::optional<std::vector<SelectItem>> select;  ///< absent: every column of every input
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_SPEC_H_

#include "join_config.h"

#include <optional>
#include <set>

#include "join_expressions.h"
#include "sluice/plugin.hpp"

namespace sluice::join {
namespace {

bool HoldsTemplate(const std::string& text) { return text.find("{{") != std::string::npos; }

JoinType ParseJoinType(const std::string& text) {
  if (text == "left") return JoinType::kLeft;
  if (text == "right") return JoinType::kRight;
  if (text == "full") return JoinType::kFull;
  return JoinType::kInner;
}

std::string StringAt(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

// Reads one input entry (`from` or an element of `join`); problems with its alias go to
// `report`. Returns nullopt when the entry is unusable (the schema reports why).
std::optional<InputSpec> ReadInput(const nlohmann::json& entry, const std::string& at,
                                   const ConfigProblem& report) {
  if (!entry.is_object() || StringAt(entry, "input").empty()) return std::nullopt;
  InputSpec input;
  input.task_id = StringAt(entry, "input");
  input.config_path = at;
  input.type = ParseJoinType(StringAt(entry, "type"));
  const bool has_alias = entry.contains("as");
  input.alias = has_alias ? StringAt(entry, "as") : input.task_id;
  if (!HoldsTemplate(input.alias) && !IsPlainName(input.alias)) {
    if (has_alias) {
      report(at + "/as", "alias '" + input.alias + "' is not a plain name; use letters, digits and _ "
                         "(and not the words 'and' or 'as'), e.g. as: m");
    } else {
      report(at + "/input", "task id '" + input.task_id + "' cannot serve as an alias (it contains "
                            "characters such as '.'); add `as:` with a short name, e.g. as: m");
    }
  }
  return input;
}

// Orients each equality of input `index`'s `on`: one side must name that input, the other an
// input joined before it.
void ReadOnClause(const nlohmann::json& entry, size_t index, JoinSpec* spec,
                  const ConfigProblem& report) {
  InputSpec& input = spec->inputs[index];
  const std::string text = StringAt(entry, "on");
  const std::string at = input.config_path + "/on";
  if (text.empty() || HoldsTemplate(text)) return;
  std::vector<Equality> equalities;
  std::string error;
  if (!ParseOnClause(text, &equalities, &error)) {
    report(at, error);
    return;
  }
  const auto earlier_index = [&](const std::string& alias) -> std::optional<size_t> {
    for (size_t i = 0; i < index; ++i) {
      if (spec->inputs[i].alias == alias) return i;
    }
    return std::nullopt;
  };
  std::string earlier_names;
  for (size_t i = 0; i < index; ++i) earlier_names += (i ? ", " : "") + spec->inputs[i].alias;
  for (const auto& [left, right] : equalities) {
    const std::string written = left.alias + "." + left.column + " = " + right.alias + "." + right.column;
    const bool left_is_new = left.alias == input.alias, right_is_new = right.alias == input.alias;
    if (left_is_new && right_is_new) {
      report(at, "'" + written + "' compares " + input.alias + " with itself; compare a column of " +
                     input.alias + " with one of " + earlier_names);
      continue;
    }
    if (!left_is_new && !right_is_new) {
      report(at, "'" + written + "' does not mention " + input.alias + ", the input this entry joins; "
                     "each equality pairs a column of " + input.alias + " with one of " + earlier_names);
      continue;
    }
    const ColumnRef& other = left_is_new ? right : left;
    if (!earlier_index(other.alias)) {
      bool later = false;
      for (size_t i = index + 1; i < spec->inputs.size(); ++i) later |= spec->inputs[i].alias == other.alias;
      report(at, "'" + written + "': alias '" + other.alias + "' " +
                     (later ? "is joined after " + input.alias + "; move this condition to its entry"
                            : "is not an input of this join") +
                     "; inputs joined before " + input.alias + ": " + earlier_names);
      continue;
    }
    input.keys.push_back(left_is_new ? KeyPair{right, left} : KeyPair{left, right});
  }
}

void ReadSelect(const nlohmann::json& select, JoinSpec* spec, const ConfigProblem& report) {
  std::vector<SelectItem> items;
  std::set<std::string> names;
  for (size_t i = 0; i < select.size(); ++i) {
    const std::string at = "/select/" + std::to_string(i);
    if (!select[i].is_string()) continue;  // the schema reports it
    const std::string text = select[i].get<std::string>();
    if (HoldsTemplate(text)) continue;
    SelectItem item;
    item.config_path = at;
    std::string error;
    if (!ParseSelectItem(text, &item, &error)) {
      report(at, error);
      continue;
    }
    bool known = false;
    std::string aliases;
    for (const InputSpec& input : spec->inputs) {
      known |= input.alias == item.alias;
      aliases += (aliases.empty() ? "" : ", ") + input.alias;
    }
    if (!known) {
      report(at, "alias '" + item.alias + "' is not an input of this join; use one of " + aliases);
      continue;
    }
    if (!item.all_columns()) {
      const std::string name = item.output_name.empty() ? item.column : item.output_name;
      if (!names.insert(name).second) {
        report(at, "output column '" + name + "' is selected twice; rename one with `as`, e.g. \"" +
                       item.alias + "." + item.column + " as " + item.alias + "_" + item.column + "\"");
      }
    }
    items.push_back(std::move(item));
  }
  spec->select = std::move(items);
}

JoinSpec BuildSpec(const nlohmann::json& config, const ConfigProblem& report) {
  JoinSpec spec;
  if (!config.is_object()) return spec;
  std::vector<const nlohmann::json*> entries;
  if (auto from = config.contains("from") ? ReadInput(config["from"], "/from", report) : std::nullopt) {
    spec.inputs.push_back(std::move(*from));
    entries.push_back(&config["from"]);
  }
  if (config.contains("join") && config["join"].is_array()) {
    const nlohmann::json& joins = config["join"];
    for (size_t i = 0; i < joins.size(); ++i) {
      if (auto input = ReadInput(joins[i], "/join/" + std::to_string(i), report)) {
        spec.inputs.push_back(std::move(*input));
        entries.push_back(&joins[i]);
      }
    }
  }
  for (size_t i = 0; i < spec.inputs.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (spec.inputs[j].alias == spec.inputs[i].alias) {
        const bool explicit_alias = entries[i]->contains("as");
        report(spec.inputs[i].config_path + (explicit_alias ? "/as" : "/input"),
               "alias '" + spec.inputs[i].alias + "' is already used by " + spec.inputs[j].config_path +
                   "; give each input its own alias with `as:`");
      }
    }
  }
  for (size_t i = 1; i < spec.inputs.size(); ++i) ReadOnClause(*entries[i], i, &spec, report);
  if (config.contains("select") && config["select"].is_array()) ReadSelect(config["select"], &spec, report);
  return spec;
}

}  // namespace

const char* JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kInner: return "inner";
    case JoinType::kLeft: return "left";
    case JoinType::kRight: return "right";
    case JoinType::kFull: return "full";
  }
  return "inner";
}

void CheckJoinConfig(const nlohmann::json& config, const ConfigProblem& report) {
  BuildSpec(config, report);
}

JoinSpec ParseJoinConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  JoinSpec spec = BuildSpec(config, [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  });
  if (first) throw *first;
  if (spec.inputs.size() < 2 || spec.inputs[0].config_path != "/from") {
    throw sdk::Failure("join needs `from` and at least one `join` entry, each with `input`", "");
  }
  for (size_t i = 1; i < spec.inputs.size(); ++i) {
    if (spec.inputs[i].keys.empty()) {
      throw sdk::Failure("join entry " + spec.inputs[i].config_path + " has no `on` equality",
                         spec.inputs[i].config_path + "/on");
    }
  }
  return spec;
}

}  // namespace sluice::join

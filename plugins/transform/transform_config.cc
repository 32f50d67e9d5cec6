#include "transform_config.h"

#include <optional>
#include <set>

#include "expr_error.h"
#include "expr_parser.h"
#include "sluice/dataset.hpp"
#include "sluice/plugin.hpp"

namespace sluice::transform {

namespace {

constexpr std::pair<std::string_view, StepKind> kStepKinds[] = {
    {"filter", StepKind::kFilter}, {"derive", StepKind::kDerive}, {"select", StepKind::kSelect},
    {"rename", StepKind::kRename}, {"drop", StepKind::kDrop},     {"cast", StepKind::kCast},
    {"dedupe", StepKind::kDedupe}};

// A JSON pointer token: '~' and '/' escaped as RFC 6901 says.
std::string PointerToken(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

class ConfigWalker {
 public:
  ConfigWalker(const ConfigProblem& report, bool templates_unrendered)
      : report_(report), templates_unrendered_(templates_unrendered) {}

  TransformConfig Walk(const nlohmann::json& config) {
    TransformConfig out;
    if (!config.is_object()) {
      report_("", "transform's settings must be a mapping with `steps:`");
      return out;
    }
    if (config.contains("input")) {
      if (config["input"].is_string() && !config["input"].get<std::string>().empty()) {
        out.input = config["input"];
      } else {
        report_("/input", "input must name an upstream task, e.g. `input: bronze`");
      }
    }
    if (!config.contains("steps") || !config["steps"].is_array()) {
      report_("/steps", "transform needs `steps:`, a list such as [{filter: \"valor > 0\"}]");
      return out;
    }
    const nlohmann::json& steps = config["steps"];
    for (size_t i = 0; i < steps.size(); ++i) {
      if (std::optional<StepSpec> step = Step(steps[i], "/steps/" + std::to_string(i))) {
        out.steps.push_back(std::move(*step));
      }
    }
    return out;
  }

 private:
  std::optional<StepSpec> Step(const nlohmann::json& step, const std::string& pointer) {
    const char* kShape = "a step is a mapping with one key: filter, derive, select, rename, drop, "
                         "cast or dedupe (write each on its own `- ` line)";
    if (!step.is_object() || step.size() != 1) {
      report_(pointer, kShape);
      return std::nullopt;
    }
    const std::string key = step.begin().key();
    const nlohmann::json& value = step.begin().value();
    StepSpec spec;
    spec.pointer = pointer;
    bool known = false;
    for (const auto& [name, kind] : kStepKinds) {
      if (key == name) {
        spec.kind = kind;
        known = true;
      }
    }
    const std::string at = pointer + "/" + PointerToken(key);
    if (!known) {
      std::vector<std::string> names;
      for (const auto& entry : kStepKinds) names.emplace_back(entry.first);
      report_(at, "unknown step '" + key + "'" + SuggestNames(key, names));
      return std::nullopt;
    }
    const size_t problems_before = problems_;
    switch (spec.kind) {
      case StepKind::kFilter:
        if (!value.is_string()) {
          Report(at, "filter takes one condition as a string, e.g. \"valor > 0\"");
        } else {
          spec.items.push_back({value, at});
          CheckExpression(spec.items.back(), false);
        }
        break;
      case StepKind::kDerive: Derive(value, at, &spec); break;
      case StepKind::kSelect:
      case StepKind::kDrop: Names(value, at, key, &spec); break;
      case StepKind::kDedupe:
        if (value.is_boolean()) {
          if (value.get<bool>()) spec.items.clear();  // whole rows
          else return std::nullopt;                    // dedupe: false does nothing
        } else {
          Names(value, at, key, &spec);
        }
        break;
      case StepKind::kRename:
      case StepKind::kCast: Pairs(value, at, spec.kind, &spec); break;
    }
    if (problems_ != problems_before) return std::nullopt;
    return spec;
  }

  void Report(const std::string& pointer, const std::string& message) {
    ++problems_;
    report_(pointer, message);
  }

  void CheckExpression(const ConfigText& item, bool assignment) {
    ParseOptions options;
    options.templates_unrendered = templates_unrendered_;
    try {
      if (assignment) {
        ParseAssignment(item.text, options);
      } else {
        ParseExpression(item.text, options);
      }
    } catch (const ExprError& e) {
      Report(item.pointer, WithCaret(e.what(), item.text, e.begin(), e.end()));
    }
  }

  void Derive(const nlohmann::json& value, const std::string& at, StepSpec* spec) {
    const char* kShape = "derive takes \"name = expression\" or a list of them";
    if (value.is_string()) {
      spec->items.push_back({value, at});
    } else if (value.is_array() && !value.empty()) {
      for (size_t j = 0; j < value.size(); ++j) {
        const std::string item_at = at + "/" + std::to_string(j);
        if (!value[j].is_string()) {
          Report(item_at, kShape);
          continue;
        }
        spec->items.push_back({value[j], item_at});
      }
    } else {
      Report(at, kShape);
    }
    for (const ConfigText& item : spec->items) CheckExpression(item, true);
  }

  void Names(const nlohmann::json& value, const std::string& at, const std::string& key,
             StepSpec* spec) {
    if (!value.is_array() || value.empty()) {
      Report(at, key + " takes a list of column names, e.g. [id, valor]");
      return;
    }
    std::set<std::string> seen;
    for (size_t j = 0; j < value.size(); ++j) {
      const std::string item_at = at + "/" + std::to_string(j);
      if (!value[j].is_string() || value[j].get<std::string>().empty()) {
        Report(item_at, key + " takes column names (strings)");
        continue;
      }
      const std::string name = value[j];
      if (!seen.insert(name).second) {
        Report(item_at, "column '" + name + "' is listed twice; list it once");
        continue;
      }
      spec->items.push_back({name, item_at});
    }
  }

  void Pairs(const nlohmann::json& value, const std::string& at, StepKind kind, StepSpec* spec) {
    const bool rename = kind == StepKind::kRename;
    if (!value.is_object() || value.empty()) {
      Report(at, rename ? "rename takes a mapping {old_name: new_name}"
                        : "cast takes a mapping {column: type}, e.g. {valor: \"decimal(12,2)\"}");
      return;
    }
    std::set<std::string> new_names;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string item_at = at + "/" + PointerToken(it.key());
      if (!it.value().is_string() || it.value().get<std::string>().empty()) {
        Report(item_at, rename ? "the new name must be a non-empty string"
                               : "the type must be a string such as int64 or decimal(12,2)");
        continue;
      }
      const std::string target = it.value();
      if (rename && !new_names.insert(target).second) {
        Report(item_at, "two columns would be renamed to '" + target + "'; pick distinct names");
        continue;
      }
      if (!rename) {
        dataset::Column column;
        std::string error;
        if (!dataset::ParseTypeName(target, &column, &error)) {
          Report(item_at, error);
          continue;
        }
      }
      spec->pairs.push_back({{it.key(), item_at}, target});
    }
  }

  const ConfigProblem& report_;
  bool templates_unrendered_;
  size_t problems_ = 0;
};

}  // namespace

void CheckTransformConfig(const nlohmann::json& config, const ConfigProblem& report) {
  ConfigWalker(report, /*templates_unrendered=*/true).Walk(config);
}

TransformConfig ParseTransformConfig(const nlohmann::json& config) {
  std::optional<sdk::Failure> first;
  const ConfigProblem keep_first = [&](const std::string& path, const std::string& message) {
    if (!first) first.emplace(message, path);
  };
  TransformConfig parsed = ConfigWalker(keep_first, /*templates_unrendered=*/false).Walk(config);
  if (first) throw *first;
  return parsed;
}

}  // namespace sluice::transform

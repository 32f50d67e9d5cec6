#include "scheduler/task_config_check.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "scheduler/config_schema.h"
#include "scheduler/suggest.h"
#include "scheduler/template.h"

namespace sluice {
namespace {

struct TypeWords {
  const char* name;    // JSON Schema type
  const char* phrase;  // "a boolean"
  const char* fix;
};
constexpr TypeWords kTypeWords[] = {
    {"string", "a string", "put the value in quotes"},
    {"boolean", "a boolean", "write true or false"},
    {"integer", "a whole number", "write a whole number such as 10"},
    {"number", "a number", "write a number such as 1.5"},
    {"object", "a mapping", "put its keys on indented lines below it"},
    {"array", "a list", "write a list such as [a, b]"},
    {"null", "empty", "leave the value empty"},
};

const TypeWords* WordsFor(const std::string& type) {
  for (const TypeWords& words : kTypeWords) {
    if (type == words.name) return &words;
  }
  return nullptr;
}

std::string ExpectedTypes(const std::vector<std::string>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += i + 1 == types.size() ? " or " : ", ";
    const TypeWords* words = WordsFor(types[i]);
    out += words ? words->phrase : types[i];
  }
  return out;
}

// "`with`" or "`with.columns[0]`".
std::string WithPath(const JsonPath& path) {
  return path.empty() ? "`with`" : "`with." + DisplayPath(path) + "`";
}

class ConfigReporter {
 public:
  ConfigReporter(const YAML::Node& with, const TaskConfigContext& context, ProblemList& problems)
      : with_(with), context_(context), problems_(problems) {}

  void Report(const SchemaViolation& v) {
    const std::string plugin = "(plugin '" + context_.plugin->name + "')";
    const std::string setting = "setting " + WithPath(v.path) + " of " + context_.task_label;
    using Kind = SchemaViolation::Kind;
    switch (v.kind) {
      case Kind::kUnknownKey: {
        JsonPath key_path = v.path;
        key_path.push_back(v.key);
        const std::optional<std::string> closest = ClosestName(v.key, v.allowed);
        std::string fix = closest          ? "did you mean '" + *closest + "'?"
                          : v.allowed.empty() ? "remove it"
                                              : "valid settings are: " + JoinNames(v.allowed);
        problems_.Add(Locate(key_path, /*at_key=*/true).position,
                      "unknown setting '" + v.key + "' in " + WithPath(v.path) + " of " +
                          context_.task_label + " " + plugin,
                      std::move(fix));
        return;
      }
      case Kind::kMissingKey:
        problems_.Add(v.path.empty() ? context_.with_position : Locate(v.path, false).position,
                      "missing required setting '" + v.key + "' in " + WithPath(v.path) + " of " +
                          context_.task_label + " " + plugin,
                      "add '" + v.key + ": ...' under " + WithPath(v.path));
        return;
      case Kind::kWrongType: {
        const YamlLocation where = Locate(v.path, false);
        const TypeWords* words = WordsFor(v.allowed.front());
        problems_.Add(where.position,
                      setting + " must be " + ExpectedTypes(v.allowed) + ", got " + where.description,
                      words ? words->fix : "");
        return;
      }
      case Kind::kTooLong:
      case Kind::kTooShort: {
        const YamlLocation where = Locate(v.path, false);
        const bool too_long = v.kind == Kind::kTooLong;
        problems_.Add(where.position,
                      setting + " must be at " + (too_long ? "most " : "least ") +
                          std::to_string(v.limit) + (v.limit == 1 ? " character" : " characters") +
                          " long, got " + where.description,
                      too_long ? "shorten it" : "lengthen it");
        return;
      }
      case Kind::kNotInEnum: {
        const YamlLocation where = Locate(v.path, false);
        const std::string written = where.description.size() >= 2
                                        ? where.description.substr(1, where.description.size() - 2)
                                        : where.description;
        const std::optional<std::string> closest = ClosestName(written, v.allowed);
        problems_.Add(where.position,
                      setting + " must be one of " + JoinNames(v.allowed) + ", got " + where.description,
                      closest ? "did you mean '" + *closest + "'?" : "use one of the listed values");
        return;
      }
      case Kind::kNoMatch: {
        const YamlLocation where = Locate(v.path, false);
        problems_.Add(where.position, setting + " has an unexpected form, got " + where.description,
                      v.message.empty() ? "see the settings of plugin '" + context_.plugin->name + "'"
                                        : v.message);
        return;
      }
      case Kind::kOther:
        problems_.Add(Locate(v.path, false).position,
                      (v.path.empty() ? WithPath(v.path) + " of " + context_.task_label : setting) +
                          " is invalid: " + v.message,
                      "see the settings of plugin '" + context_.plugin->name + "'");
        return;
    }
  }

  void ReportPluginError(const std::string& pointer, const std::string& message) {
    const JsonPath path = ParseJsonPointer(pointer);
    problems_.Add(path.empty() ? context_.with_position : Locate(path, false).position,
                  "plugin '" + context_.plugin->name + "' rejects " +
                      (path.empty() ? WithPath(path) : "setting " + WithPath(path)) + " of " +
                      context_.task_label + ": " + message);
  }

  void ReportTemplate(const JsonPath& path, const TemplateProblem& problem) {
    problems_.Add(Locate(path, false).position,
                  problem.what + " in " + WithPath(path) + " of " + context_.task_label,
                  problem.how_to_fix);
  }

 private:
  YamlLocation Locate(const JsonPath& path, bool at_key) const {
    return LocateInYaml(with_, context_.with_position, path, at_key);
  }

  const YAML::Node& with_;
  const TaskConfigContext& context_;
  ProblemList& problems_;
};

void CheckTemplates(const nlohmann::json& value, JsonPath& path, const TaskConfigContext& context,
                    ConfigReporter& reporter) {
  if (value.is_string()) {
    for (const TemplateProblem& problem :
         CheckTemplate(value.get_ref<const std::string&>(), *context.param_names,
                       context.watermark_declared, context.file_trigger_declared)) {
      reporter.ReportTemplate(path, problem);
    }
  } else if (value.is_object()) {
    for (const auto& item : value.items()) {
      path.push_back(item.key());
      CheckTemplates(item.value(), path, context, reporter);
      path.pop_back();
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      path.push_back(std::to_string(i));
      CheckTemplates(value[i], path, context, reporter);
      path.pop_back();
    }
  }
}

// The value `path` leads to inside `config`, or nullptr.
const nlohmann::json* ValueAt(const nlohmann::json& config, const JsonPath& path) {
  const nlohmann::json* at = &config;
  for (const std::string& step : path) {
    if (at->is_object()) {
      auto it = at->find(step);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      size_t index = 0;
      for (char c : step) index = index * 10 + static_cast<size_t>(c - '0');
      if (step.empty() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

// A string with a template (`{{ params.url }}`, `${DB_URL}`) only gets its real value when
// the attempt runs, so a pattern, enum or length rule cannot be judged now; the plugin sees
// the rendered value and checks it then.
bool IsUnjudgeableTemplate(const SchemaViolation& v, const nlohmann::json& config) {
  if (v.kind == SchemaViolation::Kind::kUnknownKey || v.kind == SchemaViolation::Kind::kMissingKey ||
      v.kind == SchemaViolation::Kind::kWrongType) {
    return false;
  }
  const nlohmann::json* value = ValueAt(config, v.path);
  if (value == nullptr || !value->is_string()) return false;
  const std::string& text = value->get_ref<const std::string&>();
  return text.find("{{") != std::string::npos || text.find("${") != std::string::npos;
}

}  // namespace

std::string CheckTaskConfig(const YAML::Node& with, const TaskConfigContext& context,
                            ProblemList& problems) {
  nlohmann::json config = with.IsMap() ? YamlToJson(with) : nlohmann::json::object();
  ConfigReporter reporter(with, context, problems);
  JsonPath path;
  CheckTemplates(config, path, context, reporter);

  if (context.plugin != nullptr) {
    Result<std::shared_ptr<const ConfigSchema>> schema =
        ConfigSchema::CompileCached(context.plugin->config_schema_json);
    if (!schema.ok()) {
      problems.Add(context.with_position,
                   "plugin '" + context.plugin->name + "' has an unusable configuration schema (" +
                       schema.message() + "), so " + WithPath({}) + " of " + context.task_label +
                       " cannot be checked",
                   "reinstall the plugin or report this to its author");
    } else {
      std::vector<SchemaViolation> violations = (*schema)->Validate(config);
      std::erase_if(violations,
                    [&](const SchemaViolation& v) { return IsUnjudgeableTemplate(v, config); });
      for (const SchemaViolation& violation : violations) reporter.Report(violation);
      // The plugin's own checks assume a configuration its schema accepts.
      if (violations.empty()) {
        context.catalog->ValidateConfig(
            context.plugin->name, config.dump(),
            [&](const std::string& pointer, const std::string& message) {
              reporter.ReportPluginError(pointer, message);
            });
      }
    }
  }
  return config.dump();
}

}  // namespace sluice

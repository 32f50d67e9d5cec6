#include "scheduler/template.h"

#include <nlohmann/json.hpp>

#include "scheduler/suggest.h"
#include "scheduler/yaml_json.h"

namespace sluice {
namespace {

constexpr std::string_view kParamsPrefix = "params.";
const std::vector<std::string>& BuiltinNames() {
  static const std::vector<std::string> kNames = {
      "run_id", "ds", "logical_date", "data_interval_start", "data_interval_end"};
  return kNames;
}
constexpr std::string_view kKnownNamesHint =
    "known names: params.NAME, run_id, ds, logical_date, data_interval_start, data_interval_end";
constexpr std::string_view kWatermark = "watermark";
constexpr std::string_view kTriggerFile = "trigger_file";

bool IsEnvName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One piece of a template: literal text, a `{{ name }}`, a `${NAME}`, or a syntax error
// (after which the rest of the text is not scanned).
struct Piece {
  enum class Kind { kLiteral, kName, kEnv, kError } kind;
  size_t offset;
  std::string_view text;  // literal text, the name, or the error's subject
  std::string what;       // kError only
  std::string how_to_fix;
};

// Splits `text` into pieces and hands each to `visit`. `$$` becomes a literal `$`; a `$` not
// followed by `{` or `$` is literal, so shell text such as `$HOME` passes through untouched.
template <typename Visit>
void Scan(std::string_view text, Visit&& visit) {
  size_t literal_start = 0;
  auto flush = [&](size_t end) {
    if (end > literal_start) {
      visit(Piece{Piece::Kind::kLiteral, literal_start, text.substr(literal_start, end - literal_start), {}, {}});
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "$$") == 0) {
      flush(i + 1);  // keep one '$'
      literal_start = i + 2;
      i += 2;
    } else if (text.compare(i, 2, "${") == 0) {
      flush(i);
      const size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        visit(Piece{Piece::Kind::kError, i, text.substr(i), "unclosed '${'",
                    "close it with '}', or write '$$' for a literal '$'"});
        return;
      }
      const std::string_view name = text.substr(i + 2, close - i - 2);
      if (!IsEnvName(name)) {
        visit(Piece{Piece::Kind::kError, i, name,
                    "invalid environment variable name '" + std::string(name) + "'",
                    "use letters, digits and '_', not starting with a digit"});
      } else {
        visit(Piece{Piece::Kind::kEnv, i, name, {}, {}});
      }
      i = close + 1;
      literal_start = i;
    } else if (text.compare(i, 2, "{{") == 0) {
      flush(i);
      const size_t close = text.find("}}", i + 2);
      if (close == std::string_view::npos) {
        visit(Piece{Piece::Kind::kError, i, text.substr(i), "unclosed '{{'", "close it with '}}'"});
        return;
      }
      visit(Piece{Piece::Kind::kName, i, Trim(text.substr(i + 2, close - i - 2)), {}, {}});
      i = close + 2;
      literal_start = i;
    } else {
      ++i;
    }
  }
  flush(text.size());
}

// Why `name` is not a valid template name, or nullopt when it is.
std::optional<TemplateProblem> CheckName(std::string_view name, size_t offset,
                                         const std::vector<std::string>& param_names,
                                         bool watermark_declared, bool file_trigger_declared) {
  if (name.empty()) {
    return TemplateProblem{offset, "empty template '{{ }}'", "write a name inside, such as '{{ ds }}'"};
  }
  if (name == kWatermark) {
    if (watermark_declared) return std::nullopt;
    return TemplateProblem{offset, "'{{ watermark }}' needs a `watermark:` on its task",
                           "add 'watermark: {column: COLUMN, initial: VALUE}' to the task"};
  }
  if (name == kTriggerFile) {
    if (file_trigger_declared) return std::nullopt;
    return TemplateProblem{offset, "'{{ trigger_file }}' needs a file trigger on the DAG",
                           "add 'trigger: {files: \"incoming/*.csv\"}' to the DAG, or remove it"};
  }
  for (const std::string& builtin : BuiltinNames()) {
    if (name == builtin) return std::nullopt;
  }
  const bool is_param = name.substr(0, kParamsPrefix.size()) == kParamsPrefix;
  if (is_param) {
    const std::string_view param = name.substr(kParamsPrefix.size());
    for (const std::string& declared : param_names) {
      if (param == declared) return std::nullopt;
    }
  }
  // Only a wrong name gets this far, so the suggestion's cost is paid for errors alone.
  std::vector<std::string> candidates = BuiltinNames();
  for (const std::string& param : param_names) candidates.push_back(std::string(kParamsPrefix) + param);
  const std::optional<std::string> closest = ClosestName(name, candidates);
  if (is_param) {
    return TemplateProblem{offset, "unknown parameter '" + std::string(name) + "'",
                           closest ? "did you mean '" + *closest + "'?"
                                   : "declare it under `params:` with a default value"};
  }
  return TemplateProblem{offset, "unknown template name '" + std::string(name) + "'",
                         closest ? "did you mean '" + *closest + "'?" : std::string(kKnownNamesHint)};
}

Result<std::string> RenderCollectingSecrets(std::string_view text, const TemplateValues& values,
                                            std::vector<std::string>* secrets_out) {
  std::string out;
  Status error;
  std::vector<std::string> param_names;
  param_names.reserve(values.params.size());
  for (const auto& [name, value] : values.params) param_names.push_back(name);
  Scan(text, [&](const Piece& piece) {
    if (!error.ok()) return;
    switch (piece.kind) {
      case Piece::Kind::kLiteral:
        out += piece.text;
        return;
      case Piece::Kind::kError:
        error = Status::Error(piece.what + " in '" + std::string(text) + "'");
        return;
      case Piece::Kind::kEnv: {
        const std::string name(piece.text);
        std::optional<std::string> value = values.env ? values.env(name) : std::nullopt;
        if (!value) {
          error = Status::Error("environment variable '" + name + "' is not set");
          return;
        }
        if (secrets_out != nullptr && !value->empty()) secrets_out->push_back(*value);
        out += *value;
        return;
      }
      case Piece::Kind::kName:
        break;
    }
    const std::string_view name = piece.text;
    if (name.substr(0, kParamsPrefix.size()) == kParamsPrefix) {
      const auto found = values.params.find(std::string(name.substr(kParamsPrefix.size())));
      if (found != values.params.end()) {
        out += found->second;
        return;
      }
    }
    if (name == "run_id") return void(out += values.run_id);
    if (name == "ds") return void(out += values.ds);
    if (name == "logical_date") return void(out += values.logical_date);
    if (name == "data_interval_start") return void(out += values.data_interval_start);
    if (name == "data_interval_end") return void(out += values.data_interval_end);
    if (name == kWatermark && values.watermark) return void(out += *values.watermark);
    if (name == kTriggerFile) return void(out += values.trigger_file);
    const std::optional<TemplateProblem> problem =
        CheckName(name, piece.offset, param_names, values.watermark.has_value(), true);
    error = Status::Error(problem ? problem->what + " (" + problem->how_to_fix + ")"
                                  : "no value for '" + std::string(name) + "'");
  });
  if (!error.ok()) return error;
  return out;
}

Status RenderJsonStrings(nlohmann::json& value, JsonPath& path, const TemplateValues& values,
                         std::vector<std::string>* secrets_out) {
  if (value.is_string()) {
    Result<std::string> rendered =
        RenderCollectingSecrets(value.get_ref<const std::string&>(), values, secrets_out);
    if (!rendered.ok()) return Status::Error("setting '" + DisplayPath(path) + "': " + rendered.message());
    value = std::move(rendered).value();
  } else if (value.is_object()) {
    for (auto& item : value.items()) {
      path.push_back(item.key());
      Status status = RenderJsonStrings(item.value(), path, values, secrets_out);
      path.pop_back();
      if (!status.ok()) return status;
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      path.push_back(std::to_string(i));
      Status status = RenderJsonStrings(value[i], path, values, secrets_out);
      path.pop_back();
      if (!status.ok()) return status;
    }
  }
  return Status::Ok();
}

}  // namespace

std::vector<TemplateProblem> CheckTemplate(std::string_view text,
                                           const std::vector<std::string>& param_names,
                                           bool watermark_declared,
                                           bool file_trigger_declared) {
  std::vector<TemplateProblem> problems;
  Scan(text, [&](const Piece& piece) {
    if (piece.kind == Piece::Kind::kError) {
      problems.push_back({piece.offset, piece.what, piece.how_to_fix});
    } else if (piece.kind == Piece::Kind::kName) {
      if (auto problem = CheckName(piece.text, piece.offset, param_names, watermark_declared,
                                   file_trigger_declared)) {
        problems.push_back(std::move(*problem));
      }
    }
  });
  return problems;
}

Result<std::string> RenderTemplate(std::string_view text, const TemplateValues& values) {
  return RenderCollectingSecrets(text, values, nullptr);
}

Result<std::string> RenderConfigJson(const std::string& json_text, const TemplateValues& values,
                                     std::vector<std::string>* secrets_out) {
  nlohmann::json document = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Status::Error("the task configuration is not valid JSON");
  JsonPath path;
  Status status = RenderJsonStrings(document, path, values, secrets_out);
  if (!status.ok()) return status;
  return document.dump();
}

}  // namespace sluice

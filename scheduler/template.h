// `{{ name }}` and `${ENV}` substitution in DAG values.
//
// Known template names: params.NAME, run_id, ds, logical_date, data_interval_start,
// data_interval_end, and watermark in a task that declares one. `${NAME}` reads the environment. An unknown name is an error, never an
// empty string.
#ifndef SLUICE_SCHEDULER_TEMPLATE_H_
#define SLUICE_SCHEDULER_TEMPLATE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"

namespace sluice {

struct TemplateValues {
  std::map<std::string, std::string> params;
  std::string run_id;
  std::string ds;                   // logical date, YYYY-MM-DD in the DAG's time zone
  std::string logical_date;         // ISO 8601 with offset
  std::string data_interval_start;  // ISO 8601 with offset
  std::string data_interval_end;    // ISO 8601 with offset
  std::optional<std::string> watermark;  // set only while rendering a task with `watermark:`
  std::string trigger_file;  // the file that started a run of a file-triggered DAG; else empty
  /// Looks up an environment variable; nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> env;
};

/// One problem in a template, with its byte offset inside the checked text.
struct TemplateProblem {
  size_t offset = 0;
  std::string what;
  std::string how_to_fix;
};

/// Checks syntax and names without rendering: `param_names` are the DAG's params;
/// `watermark_declared` allows `{{ watermark }}`. Environment names are not checked here (the
/// environment of the run decides).
std::vector<TemplateProblem> CheckTemplate(std::string_view text,
                                           const std::vector<std::string>& param_names,
                                           bool watermark_declared = false,
                                           bool file_trigger_declared = false);

/// Renders `text`. Fails, naming the variable, on an unknown name or unset environment value.
Result<std::string> RenderTemplate(std::string_view text, const TemplateValues& values);

/// Renders every string inside a JSON document (keys untouched), e.g. a task's `with:`.
/// `secrets_out`, when given, receives each value substituted from the environment so the
/// caller can redact it from logs.
Result<std::string> RenderConfigJson(const std::string& json_text, const TemplateValues& values,
                                     std::vector<std::string>* secrets_out = nullptr);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_TEMPLATE_H_

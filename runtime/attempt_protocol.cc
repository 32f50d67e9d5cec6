#include "runtime/attempt_protocol.h"

#include <nlohmann/json.hpp>

namespace sluice {

using nlohmann::json;

std::string EncodeAttemptSpec(const AttemptSpec& spec) {
  json inputs = json::array();
  for (const AttemptInput& in : spec.inputs) {
    inputs.push_back({{"task_id", in.task_id}, {"dataset_path", in.dataset_path}});
  }
  return json{{"dag_id", spec.dag_id},
              {"run_id", spec.run_id},
              {"task_id", spec.task_id},
              {"attempt", spec.attempt},
              {"plugin", spec.plugin},
              {"config_json", spec.config_json},
              {"workspace_dir", spec.workspace_dir},
              {"output_path", spec.output_path},
              {"inputs", inputs},
              {"plugin_dirs", spec.plugin_dirs}}
      .dump();
}

Result<AttemptSpec> DecodeAttemptSpec(const std::string& text) {
  try {
    const json j = json::parse(text);
    AttemptSpec spec;
    spec.dag_id = j.at("dag_id").get<std::string>();
    spec.run_id = j.at("run_id").get<std::string>();
    spec.task_id = j.at("task_id").get<std::string>();
    spec.attempt = j.at("attempt").get<int>();
    spec.plugin = j.at("plugin").get<std::string>();
    spec.config_json = j.at("config_json").get<std::string>();
    spec.workspace_dir = j.at("workspace_dir").get<std::string>();
    spec.output_path = j.at("output_path").get<std::string>();
    for (const json& in : j.at("inputs")) {
      spec.inputs.push_back(
          {in.at("task_id").get<std::string>(), in.at("dataset_path").get<std::string>()});
    }
    spec.plugin_dirs = j.at("plugin_dirs").get<std::vector<std::string>>();
    return spec;
  } catch (const std::exception& e) {
    return Status::Error(std::string("malformed attempt spec on stdin (task-exec is internal; "
                                     "it is started by `sluice run` and the scheduler): ") +
                         e.what());
  }
}

std::string EncodeAttemptReport(const AttemptReport& report) {
  json j{{"rows_in", report.rows_in},
         {"rows_out", report.rows_out},
         {"bytes_out", report.bytes_out}};
  if (report.exec) j["exec"] = true;
  if (report.done) {
    j["done"] = true;
    j["ok"] = report.ok;
    if (!report.ok) j["error"] = report.error;
  }
  return j.dump() + "\n";
}

std::optional<AttemptReport> DecodeAttemptReport(const std::string& line) {
  const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  AttemptReport r;
  r.rows_in = j.value("rows_in", int64_t{0});
  r.rows_out = j.value("rows_out", int64_t{0});
  r.bytes_out = j.value("bytes_out", int64_t{0});
  r.exec = j.value("exec", false);
  r.done = j.value("done", false);
  r.ok = j.value("ok", false);
  r.error = j.value("error", std::string());
  return r;
}

}  // namespace sluice

// The `join` plugin: hash-joins several upstream datasets in one task, left-deep like SQL.
#include <string>
#include <vector>

#include "hash_join.h"
#include "join_config.h"
#include "sluice/plugin.hpp"

namespace sluice::join {

struct JoinPlugin {
  static constexpr const char* kName = "join";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_JOIN;
  static constexpr const char* kSummary =
      "Hash-joins upstream datasets (inner, left, right, full) on column equalities";
  static constexpr const char* kConfigSchema = kJoinConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckJoinConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const JoinSpec spec = ParseJoinConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave join no output path");
    std::vector<std::string> paths;
    for (const InputSpec& input : spec.inputs) {
      try {
        paths.push_back(context.InputDataset(input.task_id));
      } catch (const sdk::Failure& f) {
        throw sdk::Failure(f.what(), input.config_path + "/input");
      }
    }
    const JoinStats stats = RunJoin(spec, paths, output);
    context.AddRowsIn(stats.rows_in);
    context.AddRowsOut(stats.rows_out);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("joined " + std::to_string(spec.inputs.size()) + " inputs (" + std::to_string(stats.rows_in) +
                 " rows) into " + std::to_string(stats.rows_out) + " rows");
  }
};

}  // namespace sluice::join

SLUICE_PLUGIN(sluice::join::JoinPlugin)

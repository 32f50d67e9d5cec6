// The `transform` plugin: filters, derives, reshapes, casts and dedupes one upstream dataset.
#include <string>

#include "sluice/plugin.hpp"
#include "transform_config.h"
#include "transform_run.h"

namespace sluice::transform {

struct TransformPlugin {
  static constexpr const char* kName = "transform";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_TRANSFORM;
  static constexpr const char* kSummary =
      "Filters, derives, selects, renames, drops, casts and dedupes a dataset's rows";
  static constexpr const char* kConfigSchema = kTransformConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckTransformConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const TransformConfig config = ParseTransformConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave transform no output path");
    const std::string input = context.InputDataset(config.input);
    const TransformStats stats = RunTransform(input, config.steps, output);
    context.AddRowsIn(stats.rows_in);
    context.AddRowsOut(stats.rows_out);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("transformed " + std::to_string(stats.rows_in) + " rows into " +
                 std::to_string(stats.rows_out));
  }
};

}  // namespace sluice::transform

SLUICE_PLUGIN(sluice::transform::TransformPlugin)

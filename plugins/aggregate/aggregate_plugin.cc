// The `aggregate` plugin: groups an upstream dataset and computes counts, sums, averages,
// minima and maxima per group, exactly for decimals.
#include <string>

#include "aggregate_config.h"
#include "hash_aggregate.h"
#include "sluice/plugin.hpp"

namespace sluice::aggregate {

struct AggregatePlugin {
  static constexpr const char* kName = "aggregate";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_AGGREGATE;
  static constexpr const char* kSummary =
      "Groups a dataset and computes count, count_distinct, sum, avg, min, max per group (exact decimals)";
  static constexpr const char* kConfigSchema = kAggregateConfigSchema;

  static void Validate(const nlohmann::json& config, sdk::Errors& errors) {
    CheckAggregateConfig(config, [&](const std::string& path, const std::string& message) {
      errors.Add(path, message);
    });
  }

  static void Run(sdk::Context& context) {
    const AggregateTaskSpec spec = ParseAggregateConfig(context.config());
    const std::string output = context.output_path();
    if (output.empty()) throw sdk::Failure("the host gave aggregate no output path");
    std::string input;
    try {
      input = context.InputDataset(spec.input);
    } catch (const sdk::Failure& f) {
      throw sdk::Failure(f.what(), spec.input.empty() ? "" : "/input");
    }
    const AggregateStats stats = RunAggregate(spec, input, output);
    context.AddRowsIn(stats.rows_in);
    context.AddRowsOut(stats.groups_out);
    context.AddBytesOut(static_cast<int64_t>(stats.bytes_out));
    context.Info("aggregated " + std::to_string(stats.rows_in) + " rows into " + std::to_string(stats.groups_out) +
                 " groups");
  }
};

}  // namespace sluice::aggregate

SLUICE_PLUGIN(sluice::aggregate::AggregatePlugin)

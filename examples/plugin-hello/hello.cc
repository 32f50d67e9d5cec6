// `hello`: the smallest useful sluice plugin. It logs "<greeting>, <name>!" to the attempt's
// log and prints the same line to stdout, which the host also sends to the attempt's log.
#include <iostream>
#include <string>

#include <sluice/plugin.hpp>

namespace {

struct Hello {
  static constexpr const char* kName = "hello";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_OTHER;
  static constexpr const char* kSummary = "Prints a greeting (an example plugin built outside sluice)";
  // `sluice dags validate` checks every task's `with:` against this schema.
  static constexpr const char* kConfigSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["greeting"],
  "properties": {
    "greeting": {"type": "string", "description": "The first word, e.g. \"Hello\"."},
    "name": {"type": "string", "description": "Who is greeted. Default: \"world\"."}
  }
})json";

  // Runs one attempt. A thrown sluice::sdk::Failure fails the attempt with its message; the
  // SDK turns it into an error report, so no exception crosses into the host.
  static void Run(sluice::sdk::Context& context) {
    const nlohmann::json& config = context.config();
    if (!config.contains("greeting") || !config["greeting"].is_string()) {
      throw sluice::sdk::Failure("`greeting` must be a string", "/greeting");
    }
    const std::string name = config.value("name", std::string("world"));
    const std::string line = config["greeting"].get<std::string>() + ", " + name + "!";
    context.Info(line);
    std::cout << line << std::endl;  // flushed: the host may read the log while we run
  }
};

}  // namespace

SLUICE_PLUGIN(Hello)

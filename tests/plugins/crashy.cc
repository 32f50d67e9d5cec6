// Test-only plugin "test.crashy": misbehaves on request, to prove that a plugin's crash,
// abort or exit() fails only its own attempt, with the cause named.
#include <sluice/plugin.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

struct Crashy {
  static constexpr const char* kName = "test.crashy";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr sluice_plugin_kind kKind = SLUICE_KIND_OTHER;
  static constexpr const char* kSummary = "Test plugin that crashes, aborts, exits or fails on request";
  static constexpr const char* kConfigSchema = R"({
    "type": "object", "additionalProperties": false, "required": ["mode"],
    "properties": {
      "mode": {"enum": ["ok", "fail", "segv", "abort", "exit", "sleep", "flaky"]},
      "code": {"type": "integer"},
      "seconds": {"type": "number"},
      "counter_file": {"type": "string"},
      "fail_times": {"type": "integer"}
    }})";

  static void Run(sluice::sdk::Context& ctx) {
    const std::string mode = ctx.config().at("mode").get<std::string>();
    std::printf("crashy: mode %s\n", mode.c_str());
    std::fflush(stdout);
    if (mode == "fail") throw sluice::sdk::Failure("asked to fail");
    if (mode == "segv") std::raise(SIGSEGV);
    if (mode == "abort") std::abort();
    if (mode == "exit") std::_Exit(ctx.config().value("code", 3));
    if (mode == "sleep") {
      ::usleep(static_cast<useconds_t>(ctx.config().value("seconds", 60.0) * 1e6));
    }
    if (mode == "flaky") {
      // Fails the first `fail_times` attempts, counting them in a file.
      const std::string path = ctx.config().at("counter_file").get<std::string>();
      int seen = 0;
      std::ifstream(path) >> seen;
      std::ofstream(path) << seen + 1;
      if (seen < ctx.config().value("fail_times", 1)) {
        throw sluice::sdk::Failure("flaky failure " + std::to_string(seen + 1));
      }
    }
    ctx.Info("crashy finished normally");
  }
};
SLUICE_PLUGIN(Crashy)

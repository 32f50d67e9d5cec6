// What the run engine tells a `sluice task-exec` process (on its stdin), and what the process
// reports back (JSON lines on file descriptor 3). Both sides are the same sluice build.
#ifndef SLUICE_RUNTIME_ATTEMPT_PROTOCOL_H_
#define SLUICE_RUNTIME_ATTEMPT_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/status.h"

namespace sluice {

struct AttemptInput {
  std::string task_id;
  std::string dataset_path;  // empty when the upstream task wrote no dataset
};

struct AttemptSpec {
  std::string dag_id;
  std::string run_id;
  std::string task_id;
  int attempt = 1;
  std::string plugin;
  std::string config_json;  // rendered `with:`; may hold secrets, so it travels only by pipe
  std::string workspace_dir;
  std::string output_path;
  std::vector<AttemptInput> inputs;
  std::vector<std::string> plugin_dirs;
};

std::string EncodeAttemptSpec(const AttemptSpec& spec);
Result<AttemptSpec> DecodeAttemptSpec(const std::string& text);

/// One report line: counters so far, and on the last line the outcome.
struct AttemptReport {
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  int64_t bytes_out = 0;
  bool exec = false;          // the process became a command; its exit decides the outcome
  bool done = false;          // the last line of a finished attempt
  bool ok = false;            // when done: the plugin succeeded
  std::string error;          // when done and !ok: why
};

std::string EncodeAttemptReport(const AttemptReport& report);
std::optional<AttemptReport> DecodeAttemptReport(const std::string& line);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_ATTEMPT_PROTOCOL_H_

// How `sluice run` shows a run: a live table redrawn in place on a terminal, plain log lines
// otherwise (CI logs, pipes, files), or only the final summary with --quiet.
#ifndef SLUICE_SCHEDULER_CLI_PROGRESS_VIEW_H_
#define SLUICE_SCHEDULER_CLI_PROGRESS_VIEW_H_

#include <cstdio>
#include <memory>

#include "scheduler/run_engine.h"

namespace sluice::cli {

enum class ProgressStyle { kLive, kLines, kQuiet };

/// kLive when `out` is a terminal (and TERM is not "dumb"), else kLines.
ProgressStyle DefaultProgressStyle(std::FILE* out);

std::unique_ptr<RunObserver> MakeProgressView(ProgressStyle style, std::FILE* out);

}  // namespace sluice::cli

#endif  // SLUICE_SCHEDULER_CLI_PROGRESS_VIEW_H_

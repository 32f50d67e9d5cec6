#include "scheduler/cli/progress_view.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "runtime/time_format.h"
#include "scheduler/cli/table.h"

namespace sluice::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;


std::string Count(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Bytes(int64_t n) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

bool Finished(const std::string& state) {
  return state == "success" || state == "failed" || state == "upstream_failed" ||
         state == "cancelled" || state == "skipped";
}

// Counts of tasks per state, for summaries.
std::string Summary(const std::map<std::string, TaskProgress>& tasks) {
  std::map<std::string, int> by_state;
  for (const auto& [id, t] : tasks) ++by_state[t.state];
  std::string out;
  for (const char* state :
       {"success", "failed", "upstream_failed", "skipped", "cancelled", "running", "up_for_retry",
        "queued", "pending"}) {
    if (by_state[state] == 0) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(by_state[state]) + " " + state;
  }
  return out;
}

// Shared bookkeeping: the latest progress of every task, in file order.
class ViewBase : public RunObserver {
 public:
  explicit ViewBase(std::FILE* out) : out_(out) {}

  void OnRunStarted(const RunRecord& run, const std::vector<TaskProgress>& tasks) override {
    run_ = run;
    started_ = SteadyClock::now();
    for (const TaskProgress& t : tasks) {
      order_.push_back(t.task_id);
      tasks_[t.task_id] = t;
    }
  }

 protected:
  std::string FinalLine(const RunRecord& run) const {
    return "run " + run.run_id + " of " + run.dag_id + " " + run.state + " in " +
           FormatSeconds(SteadyClock::now() - started_) + ": " + Summary(tasks_);
  }
  void PrintFailures() const {
    for (const std::string& id : order_) {
      const TaskProgress& t = tasks_.at(id);
      if (t.state != "failed") continue;
      std::fprintf(out_, "  %s failed: %s\n    log: %s\n", id.c_str(), t.error.c_str(),
                   t.log_path.c_str());
    }
  }

  std::FILE* out_;
  RunRecord run_;
  SteadyClock::time_point started_;
  std::vector<std::string> order_;
  std::map<std::string, TaskProgress> tasks_;
};

class LineView final : public ViewBase {
 public:
  using ViewBase::ViewBase;

  void OnRunStarted(const RunRecord& run, const std::vector<TaskProgress>& tasks) override {
    ViewBase::OnRunStarted(run, tasks);
    std::fprintf(out_, "%s run %s of %s started: %zu tasks\n", Stamp().c_str(), run.run_id.c_str(),
                 run.dag_id.c_str(), tasks.size());
    std::fflush(out_);
  }

  void OnTaskChanged(const TaskProgress& t) override {
    std::string& last = tasks_[t.task_id].state;
    const bool changed = last != t.state;
    tasks_[t.task_id] = t;
    if (!changed) return;  // counters only: not worth a line
    std::string line = Stamp() + " " + t.task_id + " " + t.state;
    if (t.state == "running") {
      line += " (attempt " + std::to_string(t.attempt) + "/" + std::to_string(t.max_attempts) + ")";
    } else if (t.state == "success") {
      line += " in " + FormatSeconds(t.ended - t.started) + Rows(t);
    } else if (t.state == "failed" || t.state == "up_for_retry") {
      line += " after attempt " + std::to_string(t.attempt) + ": " + t.error + " (log: " +
              t.log_path + ")";
    }
    std::fprintf(out_, "%s\n", line.c_str());
    std::fflush(out_);
  }

  void OnRunFinished(const RunRecord& run) override {
    std::fprintf(out_, "%s %s\n", Stamp().c_str(), FinalLine(run).c_str());
    std::fflush(out_);
  }

 private:
  static std::string Stamp() { return FormatUtc(std::chrono::system_clock::now()).substr(0, 23) + "Z"; }
  static std::string Rows(const TaskProgress& t) {
    std::string out;
    if (t.rows_in > 0) out += ", " + Count(t.rows_in) + " rows in";
    if (t.rows_out > 0) out += ", " + Count(t.rows_out) + " rows out";
    if (t.bytes_out > 0) out += ", " + Bytes(t.bytes_out);
    return out;
  }
};

class QuietView final : public ViewBase {
 public:
  using ViewBase::ViewBase;
  void OnTaskChanged(const TaskProgress& t) override { tasks_[t.task_id] = t; }
  void OnRunFinished(const RunRecord& run) override {
    std::fprintf(out_, "%s\n", FinalLine(run).c_str());
    PrintFailures();
    std::fflush(out_);
  }
};

// Redraws a table of tasks in place, about ten times a second.
class LiveView final : public ViewBase {
 public:
  using ViewBase::ViewBase;

  void OnRunStarted(const RunRecord& run, const std::vector<TaskProgress>& tasks) override {
    ViewBase::OnRunStarted(run, tasks);
    Draw();
  }
  void OnTaskChanged(const TaskProgress& t) override { tasks_[t.task_id] = t; }
  void OnTick() override {
    if (SteadyClock::now() - last_draw_ >= std::chrono::milliseconds(100)) Draw();
  }
  std::optional<std::chrono::milliseconds> tick_interval() const override {
    return std::chrono::milliseconds(100);
  }
  void OnRunFinished(const RunRecord& run) override {
    run_ = run;
    Draw();
    std::fprintf(out_, "%s\n", FinalLine(run).c_str());
    PrintFailures();
    std::fflush(out_);
  }

 private:
  static int TerminalRows() {
    winsize ws{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) return ws.ws_row;
    return 24;
  }

  static const char* Mark(const std::string& state) {
    if (state == "success") return "\033[32m✓\033[0m";
    if (state == "failed") return "\033[31m✗\033[0m";
    if (state == "running") return "\033[33m▶\033[0m";
    if (state == "up_for_retry") return "\033[33m↻\033[0m";
    if (state == "upstream_failed" || state == "cancelled") return "\033[90m⊘\033[0m";
    if (state == "skipped") return "\033[90m↷\033[0m";
    return "\033[90m·\033[0m";
  }

  std::string Row(const TaskProgress& t, size_t width) const {
    std::string elapsed;
    if (t.state == "running") elapsed = FormatSeconds(SteadyClock::now() - t.started);
    else if (Finished(t.state) && t.attempt > 0) elapsed = FormatSeconds(t.ended - t.started);
    std::string rows = t.rows_out > 0 ? Count(t.rows_out) + " rows" :
                       t.rows_in > 0 ? Count(t.rows_in) + " rows in" : "";
    std::string attempt = t.attempt > 1 ? "attempt " + std::to_string(t.attempt) : "";
    char buf[512];
    std::snprintf(buf, sizeof buf, " %s %-*s %-16s %14s %9s %s", Mark(t.state),
                  static_cast<int>(width), t.task_id.c_str(), t.state.c_str(), rows.c_str(),
                  elapsed.c_str(), attempt.c_str());
    return buf;
  }

  void Draw() {
    last_draw_ = SteadyClock::now();
    std::vector<std::string> lines;
    lines.push_back("\033[1m" + run_.dag_id + "\033[0m  run " + run_.run_id + "  " + run_.state +
                    "  " + FormatSeconds(SteadyClock::now() - started_));
    size_t width = 4;
    for (const std::string& id : order_) width = std::max(width, std::min<size_t>(id.size(), 40));
    const size_t room = static_cast<size_t>(std::max(3, TerminalRows() - 4));
    if (order_.size() <= room) {
      for (const std::string& id : order_) lines.push_back(Row(tasks_.at(id), width));
    } else {
      // Too many tasks for the screen: show what matters, running and failed first.
      lines.push_back("  " + Summary(tasks_));
      for (const char* state : {"running", "failed", "up_for_retry"}) {
        for (const std::string& id : order_) {
          if (lines.size() > room) break;
          if (tasks_.at(id).state == state) lines.push_back(Row(tasks_.at(id), width));
        }
      }
    }
    std::string frame;
    if (drawn_lines_ > 0) frame += "\033[" + std::to_string(drawn_lines_) + "F";
    for (const std::string& line : lines) frame += "\033[2K" + line + "\n";
    for (size_t i = lines.size(); i < drawn_lines_; ++i) frame += "\033[2K\n";
    drawn_lines_ = std::max(drawn_lines_, lines.size());
    std::fwrite(frame.data(), 1, frame.size(), out_);
    std::fflush(out_);
  }

  SteadyClock::time_point last_draw_{};
  size_t drawn_lines_ = 0;
};

}  // namespace

ProgressStyle DefaultProgressStyle(std::FILE* out) {
  const char* term = std::getenv("TERM");
  if (::isatty(::fileno(out)) && !(term != nullptr && std::string(term) == "dumb")) {
    return ProgressStyle::kLive;
  }
  return ProgressStyle::kLines;
}

std::unique_ptr<RunObserver> MakeProgressView(ProgressStyle style, std::FILE* out) {
  switch (style) {
    case ProgressStyle::kLive: return std::make_unique<LiveView>(out);
    case ProgressStyle::kQuiet: return std::make_unique<QuietView>(out);
    case ProgressStyle::kLines: break;
  }
  return std::make_unique<LineView>(out);
}

}  // namespace sluice::cli

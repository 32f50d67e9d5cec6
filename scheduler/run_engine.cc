#include "scheduler/run_engine.h"

#include <algorithm>
#include <thread>

namespace sluice {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

Result<RunRecord> ExecuteRun(const DagSpec& dag, const PreparedRun& prepared, StateStore& store,
                             ProcessLauncher& launcher, const RunSettings& settings,
                             RunObserver* observer, RunStart how) {
  CountingSlots slots(std::max<size_t>(1, settings.parallelism));
  // The caller owns `dag` and outlives the run: a non-owning pointer.
  RunDriver driver(std::shared_ptr<const DagSpec>(std::shared_ptr<const DagSpec>(), &dag),
                   prepared, store, launcher, settings, slots, observer);
  const Status started = how == RunStart::kResume ? driver.Resume()
                                                  : driver.Start(how == RunStart::kQueued);
  if (!started.ok()) return started;
  for (;;) {
    if (Status s = driver.Advance(); !s.ok()) return s;
    if (driver.Finished()) break;
    std::optional<milliseconds> wait;
    if (const auto next = driver.NextWakeup()) {
      wait = std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(
                                           *next - SteadyClock::now()) + milliseconds(1));
    }
    if (observer != nullptr) {
      if (auto tick = observer->tick_interval(); tick && (!wait || *tick < *wait)) wait = tick;
    }
    // A pending cancellation is noticed within this bound even with no timers.
    if (settings.cancel != nullptr && (!wait || *wait > milliseconds(200))) wait = milliseconds(200);
    if (driver.attempts_in_flight() == 0) {
      // Only retry timers (or a cancellation) can move the run on; sleep until the next one.
      std::this_thread::sleep_for(wait.value_or(milliseconds(200)));
    } else {
      for (const ProcessEvent& event : launcher.Wait(wait)) {
        if (Status s = driver.Handle(event); !s.ok()) return s;
      }
    }
    if (observer != nullptr) observer->OnTick();
  }
  return driver.Complete();
}

}  // namespace sluice

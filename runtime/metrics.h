// Metrics in the Prometheus text exposition format 0.0.4, on Debian's prometheus-cpp (core).
//
// A MetricsRegistry holds counter, gauge and histogram families whose series are told apart by
// labels. Families are registered once, at start; their handles are then used from any
// thread: every operation on a registry, its families and Render is safe for concurrent use
// without external synchronization. prometheus-cpp's headers stay in metrics.cc.
#ifndef SLUICE_RUNTIME_METRICS_H_
#define SLUICE_RUNTIME_METRICS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sluice {

/// One series' labels, name -> value. Values may hold any text; Render escapes them.
using MetricLabels = std::map<std::string, std::string>;

/// Upper bounds of a histogram's buckets, strictly increasing; `+Inf` is implied.
using HistogramBuckets = std::vector<double>;

/// A family of counters: values that only grow (from 0, when the series first appears).
class CounterFamily {
 public:
  /// Adds `by` (>= 0; a negative `by` is ignored) to the series with `labels`.
  void Increment(const MetricLabels& labels, double by = 1.0) const;

 private:
  friend class MetricsRegistry;
  struct Impl;
  explicit CounterFamily(Impl* impl) : impl_(impl) {}
  Impl* impl_;  // owned by the registry, which outlives every handle
};

/// A family of gauges: values that go up and down.
class GaugeFamily {
 public:
  void Set(const MetricLabels& labels, double value) const;

 private:
  friend class MetricsRegistry;
  struct Impl;
  explicit GaugeFamily(Impl* impl) : impl_(impl) {}
  Impl* impl_;
};

/// A family of histograms sharing one set of buckets.
class HistogramFamily {
 public:
  void Observe(const MetricLabels& labels, double value) const;
  /// Creates the series with `labels` empty (count 0), so that it is exported before its first
  /// observation; a series that already exists is left as it is.
  void Declare(const MetricLabels& labels) const;

 private:
  friend class MetricsRegistry;
  struct Impl;
  explicit HistogramFamily(Impl* impl) : impl_(impl) {}
  Impl* impl_;
};

/// A family computed when it is rendered (a count read from the database) rather than kept.
struct ComputedFamily {
  enum class Type { kCounter, kGauge };
  struct Sample {
    MetricLabels labels;
    double value = 0;
  };
  std::string name;
  std::string help;
  Type type = Type::kGauge;
  std::vector<Sample> samples;
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // REQUIRES: `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) not registered before,
  // and every label name used with the family is valid ([a-zA-Z_][a-zA-Z0-9_]*, not
  // starting with "__"). Names are constants of the program: a bad one is a bug, and
  // prometheus-cpp throws std::invalid_argument for it.
  CounterFamily AddCounter(const std::string& name, const std::string& help);
  GaugeFamily AddGauge(const std::string& name, const std::string& help);
  HistogramFamily AddHistogram(const std::string& name, const std::string& help,
                               HistogramBuckets buckets);

  /// The exposition of every registered family (in the order counters, gauges, histograms,
  /// each in registration order), then of `computed` in the order given. Each family starts
  /// with `# HELP` and `# TYPE`; a histogram's series are `_count`, `_sum`, then cumulative
  /// `_bucket{le=...}` lines ending with `le="+Inf"`.
  std::string Render(const std::vector<ComputedFamily>& computed = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Content-Type of Render's text.
inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace sluice

#endif  // SLUICE_RUNTIME_METRICS_H_

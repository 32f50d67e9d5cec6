// MetricsRegistry (metrics.h) on prometheus-cpp's core library: its Registry and families
// keep the values (atomics and mutexes; every call is thread-safe), its TextSerializer writes
// the exposition format.
#include "runtime/metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <string>
#include <utility>
#include <vector>

namespace sluice {

// prometheus-cpp 1.0 writes HELP text as given, but the format requires `\` and newline to be
// escaped there (label values it does escape). metrics_test.cc pins the rendered line, so a
// prometheus-cpp that starts escaping by itself is noticed rather than escaped twice.
static std::string EscapeHelp(const std::string& help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

struct CounterFamily::Impl {
  prometheus::Family<prometheus::Counter>& family;
};
struct GaugeFamily::Impl {
  prometheus::Family<prometheus::Gauge>& family;
};
struct HistogramFamily::Impl {
  prometheus::Family<prometheus::Histogram>& family;
  prometheus::Histogram::BucketBoundaries buckets;
};

struct MetricsRegistry::Impl {
  prometheus::Registry registry;
  // Written only while families are registered (at start); the handles point into them.
  std::vector<std::unique_ptr<CounterFamily::Impl>> counters;
  std::vector<std::unique_ptr<GaugeFamily::Impl>> gauges;
  std::vector<std::unique_ptr<HistogramFamily::Impl>> histograms;
};

void CounterFamily::Increment(const MetricLabels& labels, double by) const {
  if (by < 0) return;  // prometheus-cpp ignores it too; said here so a reader need not look
  impl_->family.Add(labels).Increment(by);
}

void GaugeFamily::Set(const MetricLabels& labels, double value) const {
  impl_->family.Add(labels).Set(value);
}

void HistogramFamily::Observe(const MetricLabels& labels, double value) const {
  // Add returns the existing series for known labels (the buckets only matter for a new one).
  impl_->family.Add(labels, impl_->buckets).Observe(value);
}

void HistogramFamily::Declare(const MetricLabels& labels) const {
  impl_->family.Add(labels, impl_->buckets);
}

MetricsRegistry::MetricsRegistry() : impl_(std::make_unique<Impl>()) {}
MetricsRegistry::~MetricsRegistry() = default;

CounterFamily MetricsRegistry::AddCounter(const std::string& name, const std::string& help) {
  auto& family =
      prometheus::BuildCounter().Name(name).Help(EscapeHelp(help)).Register(impl_->registry);
  impl_->counters.push_back(std::make_unique<CounterFamily::Impl>(CounterFamily::Impl{family}));
  return CounterFamily(impl_->counters.back().get());
}

GaugeFamily MetricsRegistry::AddGauge(const std::string& name, const std::string& help) {
  auto& family =
      prometheus::BuildGauge().Name(name).Help(EscapeHelp(help)).Register(impl_->registry);
  impl_->gauges.push_back(std::make_unique<GaugeFamily::Impl>(GaugeFamily::Impl{family}));
  return GaugeFamily(impl_->gauges.back().get());
}

HistogramFamily MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                              HistogramBuckets buckets) {
  auto& family =
      prometheus::BuildHistogram().Name(name).Help(EscapeHelp(help)).Register(impl_->registry);
  impl_->histograms.push_back(
      std::make_unique<HistogramFamily::Impl>(HistogramFamily::Impl{family, std::move(buckets)}));
  return HistogramFamily(impl_->histograms.back().get());
}

std::string MetricsRegistry::Render(const std::vector<ComputedFamily>& computed) const {
  std::vector<prometheus::MetricFamily> families = impl_->registry.Collect();
  for (const ComputedFamily& c : computed) {
    prometheus::MetricFamily family;
    family.name = c.name;
    family.help = EscapeHelp(c.help);
    family.type = c.type == ComputedFamily::Type::kCounter ? prometheus::MetricType::Counter
                                                           : prometheus::MetricType::Gauge;
    for (const ComputedFamily::Sample& sample : c.samples) {
      prometheus::ClientMetric metric;
      for (const auto& [label, value] : sample.labels) metric.label.push_back({label, value});
      if (c.type == ComputedFamily::Type::kCounter) {
        metric.counter.value = sample.value;
      } else {
        metric.gauge.value = sample.value;
      }
      family.metric.push_back(std::move(metric));
    }
    families.push_back(std::move(family));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace sluice

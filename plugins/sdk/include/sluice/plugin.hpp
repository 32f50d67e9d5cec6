// Header-only C++ helper over the C ABI in plugin.h. A plugin writes one class and one macro:
//
//   struct Hello {
//     static constexpr const char* kName = "hello";
//     static constexpr const char* kVersion = "1.0.0";
//     static constexpr sluice_plugin_kind kKind = SLUICE_KIND_OTHER;
//     static constexpr const char* kSummary = "Says hello";
//     static constexpr const char* kConfigSchema = R"({"type":"object"})";
//     static void Validate(const nlohmann::json& config, sluice::sdk::Errors& errors);  // optional
//     static void Run(sluice::sdk::Context& context);  // throws sluice::sdk::Failure on error
//   };
//   SLUICE_PLUGIN(Hello)
//
// Exceptions never cross the ABI: the generated entry points catch everything and report it
// as the attempt's error.
#ifndef SLUICE_PLUGIN_HPP_
#define SLUICE_PLUGIN_HPP_

#include <cstddef>
#include <cstdint>
#include <concepts>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/plugin.h"

namespace sluice::sdk {

/// Thrown by a plugin's Run to fail the attempt with a message for the user.
class Failure : public std::runtime_error {
 public:
  explicit Failure(const std::string& message, std::string config_path = "")
      : std::runtime_error(message), config_path_(std::move(config_path)) {}
  const std::string& config_path() const { return config_path_; }

 private:
  std::string config_path_;
};

/// Collects validation problems, each tied to a JSON pointer into the configuration.
class Errors {
 public:
  Errors(sluice_error_fn on_error, void* user) : on_error_(on_error), user_(user) {}
  void Add(const std::string& config_path, const std::string& message) {
    ++count_;
    if (on_error_ != nullptr) on_error_(user_, config_path.c_str(), message.c_str());
  }
  int count() const { return count_; }

 private:
  sluice_error_fn on_error_;
  void* user_;
  int count_ = 0;
};

struct Input {
  std::string task_id;
  std::optional<std::string> dataset_path;
};

/// One attempt's view of the host: configuration, paths, logging and counters.
class Context {
 public:
  explicit Context(const sluice_run_context* raw)
      : raw_(raw), config_(nlohmann::json::parse(raw->config_json ? raw->config_json : "{}")) {
    for (size_t i = 0; i < raw->input_count; ++i) {
      const sluice_input& in = raw->inputs[i];
      Input input{in.task_id ? in.task_id : "", std::nullopt};
      if (in.dataset_path != nullptr) input.dataset_path = in.dataset_path;
      inputs_.push_back(std::move(input));
    }
  }

  const nlohmann::json& config() const { return config_; }
  std::string dag_id() const { return Str(raw_->dag_id); }
  std::string run_id() const { return Str(raw_->run_id); }
  std::string task_id() const { return Str(raw_->task_id); }
  uint32_t attempt() const { return raw_->attempt; }
  std::string workspace_dir() const { return Str(raw_->workspace_dir); }
  std::string output_path() const { return Str(raw_->output_path); }
  const std::vector<Input>& inputs() const { return inputs_; }

  /// The dataset of the upstream task named `task_id`, or of the only upstream task when
  /// `task_id` is empty. Throws Failure with a message naming the choices otherwise.
  std::string InputDataset(const std::string& task_id = "") const {
    std::vector<const Input*> with_data;
    for (const Input& in : inputs_) {
      if (!in.dataset_path) continue;
      if (!task_id.empty() && in.task_id == task_id) return *in.dataset_path;
      with_data.push_back(&in);
    }
    if (!task_id.empty()) {
      throw Failure("input '" + task_id + "' is not an upstream task with a dataset; add it to " +
                    "depends_on" + Choices(with_data));
    }
    if (with_data.size() == 1) return *with_data[0]->dataset_path;
    if (with_data.empty()) {
      throw Failure("this task needs an input dataset, but no upstream task wrote one; add the "
                    "extract task to depends_on");
    }
    throw Failure("several upstream tasks wrote datasets; name one with `input:`" +
                  Choices(with_data));
  }

  void Log(sluice_log_level level, const std::string& message) const {
    if (raw_->host != nullptr && raw_->host->log != nullptr) {
      raw_->host->log(raw_->host->host, level, message.c_str());
    }
  }
  void Info(const std::string& message) const { Log(SLUICE_LOG_INFO, message); }
  void Warn(const std::string& message) const { Log(SLUICE_LOG_WARN, message); }

  void AddCounter(sluice_counter counter, int64_t delta) const {
    if (raw_->host != nullptr && raw_->host->add_counter != nullptr) {
      raw_->host->add_counter(raw_->host->host, counter, delta);
    }
  }
  /// Whether the host can replace this process with a command (see Exec).
  bool CanExec() const {
    return raw_->host != nullptr &&
           raw_->host->struct_size >= offsetof(sluice_host_api, exec_command) +
                                          sizeof(raw_->host->exec_command) &&
           raw_->host->exec_command != nullptr;
  }

  /// Replaces this attempt's process with `argv`; the command's exit decides the attempt.
  /// Returns only on failure, throwing Failure with the reason.
  /// REQUIRES: CanExec()
  [[noreturn]] void Exec(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {}, const std::string& cwd = "") {
    std::vector<const char*> args, envs;
    for (const std::string& a : argv) args.push_back(a.c_str());
    args.push_back(nullptr);
    for (const std::string& e : env) envs.push_back(e.c_str());
    envs.push_back(nullptr);
    char error[1024] = "";
    raw_->host->exec_command(raw_->host->host, args.data(), envs.data(),
                             cwd.empty() ? nullptr : cwd.c_str(), error, sizeof error);
    throw Failure(error[0] != '\0' ? error : "cannot run the command");
  }

  void AddRowsIn(int64_t n) const { AddCounter(SLUICE_COUNTER_ROWS_IN, n); }
  void AddRowsOut(int64_t n) const { AddCounter(SLUICE_COUNTER_ROWS_OUT, n); }
  void AddBytesOut(int64_t n) const { AddCounter(SLUICE_COUNTER_BYTES_OUT, n); }

 private:
  static std::string Str(const char* s) { return s ? s : ""; }
  static std::string Choices(const std::vector<const Input*>& inputs) {
    if (inputs.empty()) return "";
    std::string out = " (upstream datasets:";
    for (const Input* in : inputs) out += " " + in->task_id;
    return out + ")";
  }

  const sluice_run_context* raw_;
  nlohmann::json config_;
  std::vector<Input> inputs_;
};

/// A command for the host to start as the attempt's process (see plan_exec in plugin.h).
struct ExecPlan {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "NAME=value", added to the inherited environment
  std::string cwd;               // empty: the host's current folder
};

namespace detail {

template <typename P>
concept HasValidate = requires(const nlohmann::json& c, Errors& e) { P::Validate(c, e); };

template <typename P>
concept HasPlanExec = requires(const nlohmann::json& c, ExecPlan& plan) {
  { P::PlanExec(c, plan) } -> std::convertible_to<bool>;
};

template <typename P>
int PlanExecEntry(const char* config_json, const sluice_exec_plan* out, sluice_error_fn on_error,
                  void* user) {
  try {
    ExecPlan plan;
    if (!P::PlanExec(nlohmann::json::parse(config_json ? config_json : "{}"), plan)) return 0;
    for (const std::string& a : plan.argv) out->add_arg(out->builder, a.c_str());
    for (const std::string& e : plan.env) out->add_env(out->builder, e.c_str());
    if (!plan.cwd.empty()) out->set_cwd(out->builder, plan.cwd.c_str());
    return 1;
  } catch (const Failure& f) {
    if (on_error != nullptr) on_error(user, f.config_path().c_str(), f.what());
  } catch (const std::exception& e) {
    if (on_error != nullptr) on_error(user, "", e.what());
  } catch (...) {
    if (on_error != nullptr) on_error(user, "", "the plugin's plan_exec threw an unknown exception");
  }
  return -1;
}

template <typename P>
constexpr decltype(sluice_plugin_descriptor::plan_exec) PlanExecPointer() {
  if constexpr (HasPlanExec<P>) {
    return &PlanExecEntry<P>;
  } else {
    return nullptr;
  }
}

template <typename P>
int ValidateEntry(const char* config_json, sluice_error_fn on_error, void* user) {
  Errors errors(on_error, user);
  try {
    nlohmann::json config = nlohmann::json::parse(config_json ? config_json : "{}");
    if constexpr (HasValidate<P>) P::Validate(config, errors);
  } catch (const std::exception& e) {
    errors.Add("", e.what());
  } catch (...) {
    errors.Add("", "the plugin's validation threw an unknown exception");
  }
  return errors.count() == 0 ? 0 : 1;
}

template <typename P>
int RunEntry(const sluice_run_context* raw, sluice_error_fn on_error, void* user) {
  try {
    Context context(raw);
    P::Run(context);
    return 0;
  } catch (const Failure& f) {
    if (on_error != nullptr) on_error(user, f.config_path().c_str(), f.what());
  } catch (const std::exception& e) {
    if (on_error != nullptr) on_error(user, "", e.what());
  } catch (...) {
    if (on_error != nullptr) on_error(user, "", "the plugin threw an unknown exception");
  }
  return 1;
}

template <typename P>
const sluice_plugin_descriptor* Descriptor() {
  static const sluice_plugin_descriptor descriptor = {
      .abi_version = SLUICE_PLUGIN_ABI_VERSION,
      .struct_size = sizeof(sluice_plugin_descriptor),
      .name = P::kName,
      .version = P::kVersion,
      .kind = P::kKind,
      .summary = P::kSummary,
      .config_schema_json = P::kConfigSchema,
      .validate = &ValidateEntry<P>,
      .run = &RunEntry<P>,
      .plan_exec = PlanExecPointer<P>(),
  };
  return &descriptor;
}

}  // namespace detail
}  // namespace sluice::sdk

/// Exports `sluice_plugin_entry` for the plugin class `Class`. Use once per shared library.
#define SLUICE_PLUGIN(Class)                                                      \
  extern "C" SLUICE_PLUGIN_EXPORT const sluice_plugin_descriptor* sluice_plugin_entry(void) { \
    return ::sluice::sdk::detail::Descriptor<Class>();                            \
  }

#endif  // SLUICE_PLUGIN_HPP_

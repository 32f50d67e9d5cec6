// A plugin's JSON Schema for its `with:` settings, compiled once and checked many times.
//
// valijson does the validation; this file turns its results into structured violations
// (unknown key, missing key, wrong type, ...) that the DAG loader words for users.
#ifndef SLUICE_SCHEDULER_CONFIG_SCHEMA_H_
#define SLUICE_SCHEDULER_CONFIG_SCHEMA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "runtime/status.h"
#include "scheduler/yaml_json.h"

namespace sluice {

struct SchemaViolation {
  enum class Kind {
    kUnknownKey,  // `path` is the object, `key` the key it must not have
    kMissingKey,  // `path` is the object, `key` the required key it lacks
    kWrongType,   // `allowed` holds the accepted JSON types
    kTooLong,     // string longer than `limit`
    kTooShort,    // string shorter than `limit`
    kNotInEnum,   // `allowed` holds the accepted values
    kNoMatch,     // string does not match the schema's `pattern`; `message` is the
                  // property's `description` when it has one, else empty
    kOther,       // `message` is the validator's own text
  };
  Kind kind = Kind::kOther;
  JsonPath path;
  std::string key;
  std::vector<std::string> allowed;  // for kUnknownKey: the keys that are known there
  int64_t limit = 0;
  std::string message;
};

class ConfigSchema {
 public:
  /// Parses and compiles `schema_json`; the error says why it is not a usable schema.
  static Result<std::shared_ptr<const ConfigSchema>> Compile(const std::string& schema_json);

  /// Compile() behind a process-wide cache keyed by the schema text, so loading a thousand
  /// DAG files compiles each plugin's schema once. Safe to call from several threads.
  static Result<std::shared_ptr<const ConfigSchema>> CompileCached(const std::string& schema_json);

  ~ConfigSchema();
  ConfigSchema(const ConfigSchema&) = delete;
  ConfigSchema& operator=(const ConfigSchema&) = delete;

  /// Every violation of `config`, in document order where the validator allows.
  std::vector<SchemaViolation> Validate(const nlohmann::json& config) const;

 private:
  struct Compiled;  // valijson types stay out of this header
  explicit ConfigSchema(std::unique_ptr<Compiled> compiled);
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_CONFIG_SCHEMA_H_

#include "scheduler/config_schema.h"

// Without this valijson reports a malformed schema by calling abort().
#define VALIJSON_USE_EXCEPTIONS 1

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace sluice {

struct ConfigSchema::Compiled {
  nlohmann::json document;  // kept to find the subschema behind a violation
  valijson::Schema schema;
};

namespace {

// valijson reports the failure of a child and then, again, the failure of every parent that
// contains it. Only the innermost message says something; these prefixes mark the others.
constexpr const char* kWrapperPrefixes[] = {
    "Failed to validate against schema associated with property name",
    "Failed to validate item #",
    "Failed to validate against additional properties schema",
    "Failed to validate against schema associated with pattern",
};
constexpr std::string_view kUnknownPrefix =
    "Object contains a property that could not be validated using 'properties' or "
    "'additionalProperties' constraints: '";
constexpr std::string_view kMissingPrefix = "Missing required property '";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The quoted name at the end of "... '<name>'." messages.
std::string QuotedTail(std::string_view message, std::string_view prefix) {
  std::string_view rest = message.substr(prefix.size());
  if (const size_t end = rest.rfind('\''); end != std::string_view::npos) rest = rest.substr(0, end);
  return std::string(rest);
}

// valijson contexts read {"<root>", "[columns]", "[0]"}.
JsonPath PathFromContext(const std::vector<std::string>& context) {
  JsonPath path;
  for (const std::string& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      path.push_back(part.substr(1, part.size() - 2));
    }
  }
  return path;
}

// The subschema that governs the value at `path`, following `properties`,
// `additionalProperties` and `items`; nullptr when the schema is more intricate than that
// (then messages fall back to the validator's text).
const nlohmann::json* SubschemaAt(const nlohmann::json& schema, const JsonPath& path) {
  const nlohmann::json* current = &schema;
  for (const std::string& segment : path) {
    if (!current->is_object()) return nullptr;
    const auto properties = current->find("properties");
    if (properties != current->end() && properties->is_object() && properties->contains(segment)) {
      current = &(*properties)[segment];
      continue;
    }
    const auto items = current->find("items");
    if (items != current->end() && items->is_object()) {
      current = &*items;
      continue;
    }
    const auto additional = current->find("additionalProperties");
    if (additional != current->end() && additional->is_object()) {
      current = &*additional;
      continue;
    }
    return nullptr;
  }
  return current;
}

std::vector<std::string> PropertyNames(const nlohmann::json* subschema) {
  std::vector<std::string> names;
  if (subschema == nullptr || !subschema->is_object()) return names;
  const auto properties = subschema->find("properties");
  if (properties == subschema->end() || !properties->is_object()) return names;
  for (const auto& item : properties->items()) names.push_back(item.key());
  return names;
}

std::vector<std::string> TypeNames(const nlohmann::json* subschema) {
  std::vector<std::string> names;
  if (subschema == nullptr || !subschema->is_object()) return names;
  const auto type = subschema->find("type");
  if (type == subschema->end()) return names;
  if (type->is_string()) names.push_back(type->get<std::string>());
  if (type->is_array()) {
    for (const auto& t : *type) {
      if (t.is_string()) names.push_back(t.get<std::string>());
    }
  }
  return names;
}

std::vector<std::string> EnumValues(const nlohmann::json* subschema) {
  std::vector<std::string> values;
  if (subschema == nullptr || !subschema->is_object()) return values;
  const auto options = subschema->find("enum");
  if (options == subschema->end() || !options->is_array()) return values;
  for (const auto& value : *options) {
    values.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  }
  return values;
}

int64_t IntegerKeyword(const nlohmann::json* subschema, const char* keyword) {
  if (subschema == nullptr || !subschema->is_object()) return 0;
  const auto value = subschema->find(keyword);
  return value != subschema->end() && value->is_number_integer() ? value->get<int64_t>() : 0;
}

// Every key that `additionalProperties: false` forbids, anywhere in the document. valijson
// reports only the first such key of an object; users deserve the whole list at once.
void FindUnknownKeys(const nlohmann::json& value, const nlohmann::json& schema, JsonPath& path,
                     std::vector<SchemaViolation>& out) {
  if (!schema.is_object()) return;
  if (value.is_object()) {
    const auto additional = schema.find("additionalProperties");
    const bool closed = additional != schema.end() && additional->is_boolean() &&
                        !additional->get<bool>() && !schema.contains("patternProperties");
    const auto properties = schema.find("properties");
    const bool has_properties = properties != schema.end() && properties->is_object();
    for (const auto& item : value.items()) {
      const bool known = has_properties && properties->contains(item.key());
      if (known) {
        path.push_back(item.key());
        FindUnknownKeys(item.value(), (*properties)[item.key()], path, out);
        path.pop_back();
      } else if (closed) {
        SchemaViolation violation;
        violation.kind = SchemaViolation::Kind::kUnknownKey;
        violation.path = path;
        violation.key = item.key();
        violation.allowed = PropertyNames(&schema);
        out.push_back(std::move(violation));
      }
    }
  } else if (value.is_array()) {
    const auto items = schema.find("items");
    if (items == schema.end() || !items->is_object()) return;
    for (size_t i = 0; i < value.size(); ++i) {
      path.push_back(std::to_string(i));
      FindUnknownKeys(value[i], *items, path, out);
      path.pop_back();
    }
  }
}

SchemaViolation FromValijson(const nlohmann::json& document, const JsonPath& path,
                             const std::string& message) {
  SchemaViolation violation;
  violation.path = path;
  violation.message = message;
  const nlohmann::json* subschema = SubschemaAt(document, path);
  if (StartsWith(message, kUnknownPrefix)) {
    violation.kind = SchemaViolation::Kind::kUnknownKey;
    violation.key = QuotedTail(message, kUnknownPrefix);
    violation.allowed = PropertyNames(subschema);
  } else if (StartsWith(message, kMissingPrefix)) {
    violation.kind = SchemaViolation::Kind::kMissingKey;
    violation.key = QuotedTail(message, kMissingPrefix);
  } else if (StartsWith(message, "Value type not permitted") && !TypeNames(subschema).empty()) {
    violation.kind = SchemaViolation::Kind::kWrongType;
    violation.allowed = TypeNames(subschema);
  } else if (StartsWith(message, "String should be no more than") &&
             IntegerKeyword(subschema, "maxLength") > 0) {
    violation.kind = SchemaViolation::Kind::kTooLong;
    violation.limit = IntegerKeyword(subschema, "maxLength");
  } else if (StartsWith(message, "String should be no fewer than") &&
             IntegerKeyword(subschema, "minLength") > 0) {
    violation.kind = SchemaViolation::Kind::kTooShort;
    violation.limit = IntegerKeyword(subschema, "minLength");
  } else if (StartsWith(message, "Failed to match regex") && subschema != nullptr) {
    // The raw validator text shows the regex; the property's description tells a person
    // what to write instead.
    violation.kind = SchemaViolation::Kind::kNoMatch;
    const auto description = subschema->find("description");
    violation.message = description != subschema->end() && description->is_string()
                            ? description->get<std::string>()
                            : "";
  } else if (StartsWith(message, "Failed to match against any enum values") &&
             !EnumValues(subschema).empty()) {
    violation.kind = SchemaViolation::Kind::kNotInEnum;
    violation.allowed = EnumValues(subschema);
  }
  return violation;
}

}  // namespace

ConfigSchema::ConfigSchema(std::unique_ptr<Compiled> compiled) : compiled_(std::move(compiled)) {}
ConfigSchema::~ConfigSchema() = default;

Result<std::shared_ptr<const ConfigSchema>> ConfigSchema::Compile(const std::string& schema_json) {
  auto compiled = std::make_unique<Compiled>();
  compiled->document = nlohmann::json::parse(schema_json, nullptr, /*allow_exceptions=*/false);
  if (compiled->document.is_discarded() || !compiled->document.is_object()) {
    return Status::Error("the configuration schema is not a JSON object");
  }
  try {
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(compiled->document);
    parser.populateSchema(adapter, compiled->schema);
  } catch (const std::exception& e) {
    return Status::Error(std::string("the configuration schema is invalid: ") + e.what());
  }
  return std::shared_ptr<const ConfigSchema>(new ConfigSchema(std::move(compiled)));
}

Result<std::shared_ptr<const ConfigSchema>> ConfigSchema::CompileCached(
    const std::string& schema_json) {
  static std::mutex mutex;
  static std::map<std::string, Result<std::shared_ptr<const ConfigSchema>>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(schema_json);
  if (found == cache.end()) found = cache.emplace(schema_json, Compile(schema_json)).first;
  return found->second;
}

std::vector<SchemaViolation> ConfigSchema::Validate(const nlohmann::json& config) const {
  std::vector<SchemaViolation> violations;
  JsonPath path;
  FindUnknownKeys(config, compiled_->document, path, violations);
  std::set<JsonPath> objects_with_unknown_keys;
  for (const SchemaViolation& v : violations) objects_with_unknown_keys.insert(v.path);

  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter target(config);
  valijson::ValidationResults results;
  if (validator.validate(compiled_->schema, target, &results)) return violations;

  std::set<std::pair<JsonPath, std::string>> seen;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    const bool wrapper = std::any_of(std::begin(kWrapperPrefixes), std::end(kWrapperPrefixes),
                                     [&](const char* p) { return StartsWith(error.description, p); });
    if (wrapper) continue;
    JsonPath error_path = PathFromContext(error.context);
    if (!seen.emplace(error_path, error.description).second) continue;
    SchemaViolation violation = FromValijson(compiled_->document, error_path, error.description);
    // FindUnknownKeys already listed every unknown key of this object.
    if (violation.kind == SchemaViolation::Kind::kUnknownKey &&
        objects_with_unknown_keys.count(violation.path) > 0) {
      continue;
    }
    violations.push_back(std::move(violation));
  }
  return violations;
}

}  // namespace sluice

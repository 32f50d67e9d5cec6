// `sluice data schema` and `sluice data head`: look inside a dataset file.
#include <iostream>

#include "runtime/data_inspect.h"
#include "scheduler/cli/commands.h"

namespace sluice::cli {

int DataSchemaCommand(const std::string& file, bool json) {
  Status s = PrintDatasetSchema(file, json, std::cout);
  if (!s.ok()) PrintError(s.message());
  return s.ok() ? kExitOk : kExitInvalid;
}

int DataHeadCommand(const std::string& file, int64_t rows, bool json) {
  Status s = PrintDatasetHead(file, rows, json, std::cout);
  if (!s.ok()) PrintError(s.message());
  return s.ok() ? kExitOk : kExitInvalid;
}

}  // namespace sluice::cli

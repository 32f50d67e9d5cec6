// The largest value of one column of a dataset: how an incremental task's new watermark is
// found (docs/dag-reference.md, `watermark`).
#ifndef SLUICE_RUNTIME_DATASET_MAX_H_
#define SLUICE_RUNTIME_DATASET_MAX_H_

#include <optional>
#include <string>

#include "runtime/status.h"

namespace sluice {

/// The largest non-null value of `column` in the dataset at `path`, as text in the form
/// `sluice data head` prints (timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]", decimals with all
/// their places), or nullopt when the dataset has no non-null value in it. Numbers, dates and
/// timestamps compare by value, strings bytewise; a bool column, a missing column or an
/// unreadable file is an error that says which.
Result<std::optional<std::string>> MaxColumnValue(const std::string& path, const std::string& column);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_DATASET_MAX_H_

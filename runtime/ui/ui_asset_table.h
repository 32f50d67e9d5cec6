// The table that the generated ui_assets_data.cc defines (runtime/ui/embed_assets.cmake) and
// ui_assets.cc searches. Internal to sluice_ui_assets.
#ifndef SLUICE_RUNTIME_UI_UI_ASSET_TABLE_H_
#define SLUICE_RUNTIME_UI_UI_ASSET_TABLE_H_

#include <cstddef>
#include <string_view>

#include "runtime/ui_assets.h"

namespace sluice::ui_internal {

struct UiAssetEntry {
  std::string_view path;  // "/index.html"
  UiAsset asset;
};

extern const UiAssetEntry kUiAssets[];
extern const size_t kUiAssetCount;

}  // namespace sluice::ui_internal

#endif  // SLUICE_RUNTIME_UI_UI_ASSET_TABLE_H_

#include "runtime/ui_assets.h"

#include "runtime/ui/ui_asset_table.h"

namespace sluice {

const UiAsset* FindUiAsset(std::string_view path) {
  // A handful of files (index.html, one script and stylesheet, lazily loaded chunks): a
  // linear search costs less than building an index.
  for (size_t i = 0; i < ui_internal::kUiAssetCount; ++i) {
    if (ui_internal::kUiAssets[i].path == path) return &ui_internal::kUiAssets[i].asset;
  }
  return nullptr;
}

}  // namespace sluice

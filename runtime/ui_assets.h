// The web UI's built files (runtime/ui/, docs/ui.md), compiled into the binary by the target
// sluice_ui_assets, so `sluice scheduler` serves the UI with nothing installed beside it.
#ifndef SLUICE_RUNTIME_UI_ASSETS_H_
#define SLUICE_RUNTIME_UI_ASSETS_H_

#include <string_view>

namespace sluice {

struct UiAsset {
  std::string_view body;
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  bool immutable;  // a hashed file name (under /assets/): browsers may cache it forever
};

/// The built file at `path` ("/index.html", "/assets/index-3f2a.js"); nullptr when there is
/// none. A build configured with -DSLUICE_UI=OFF has only "/index.html": a page that says the
/// UI was not built and how to build it. The assets live as long as the program.
const UiAsset* FindUiAsset(std::string_view path);

}  // namespace sluice

#endif  // SLUICE_RUNTIME_UI_ASSETS_H_

// Test-only: a plugin built for an ABI version this sluice does not speak.
#include <sluice/plugin.h>

static int Run(const sluice_run_context*, sluice_error_fn, void*) { return 0; }

extern "C" SLUICE_PLUGIN_EXPORT const sluice_plugin_descriptor* sluice_plugin_entry(void) {
  static const sluice_plugin_descriptor d = {
      /*abi_version=*/999, sizeof(sluice_plugin_descriptor), "test.bad_abi", "1.0", SLUICE_KIND_OTHER,
      "wrong ABI", "{}", nullptr, &Run, nullptr};
  return &d;
}

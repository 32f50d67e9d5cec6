// Test-only: a shared library in a plugin folder that is not a sluice plugin.
extern "C" __attribute__((visibility("default"))) int some_other_library_function(void) {
  return 42;
}

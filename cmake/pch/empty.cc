// The target that compiles the plugins' precompiled header (cmake/SluicePlugin.cmake).

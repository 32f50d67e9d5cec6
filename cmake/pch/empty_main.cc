// The target that compiles the tests' precompiled header (cmake/SluiceTest.cmake). It has to
// be an executable like the tests, so that the header is compiled with their exact flags.
int main() { return 0; }

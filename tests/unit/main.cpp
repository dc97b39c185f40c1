// The Catch2 runner shared by the native and the wasm build of the unit suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

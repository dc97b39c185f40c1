// The cold-start floor: a module with nothing in it but one exported function, built with
// the package's glue flags (bench/cold-start-floor.cmake) and loaded the way load() loads
// leastdata. Its cold start is what any Emscripten module pays on this machine and in this
// harness; the cold-start table shows leastdata's own cost above it.
#include <emscripten/emscripten.h>

extern "C" EMSCRIPTEN_KEEPALIVE int cold_start_floor_answer(int question) { return question + 1; }

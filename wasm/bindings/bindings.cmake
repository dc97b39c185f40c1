# The wasm module the npm package ships: one .wasm and an ES6 glue that runs in
# browsers, workers and (given the bytes through `wasmBinary`) in Node.
#
# Flags (DESIGN §1): no `new Function` (CSP), no process handlers, no filesystem, a
# growable heap and a stack deep enough for max_depth_ceiling() levels. The benchmark's
# cold-start floor (bench/cold-start-floor.cmake), an empty module, is linked with the same.
set(LEASTDATA_MODULE_LINK_OPTIONS
  -sMODULARIZE=1
  -sEXPORT_ES6=1
  -sENVIRONMENT=web,worker
  -sDYNAMIC_EXECUTION=0
  -sNODEJS_CATCH_EXIT=0
  -sNODEJS_CATCH_REJECTION=0
  -sFILESYSTEM=0
  -sALLOW_MEMORY_GROWTH=1
  -sMAXIMUM_MEMORY=2GB
  -sTOTAL_STACK=1MB
  -sINCOMING_MODULE_JS_API=[wasmBinary,instantiateWasm,locateFile,print,printErr]
  -sEXPORTED_RUNTIME_METHODS=[]
  -sMALLOC=dlmalloc)

add_executable(leastdata_wasm ${CMAKE_SOURCE_DIR}/wasm/bindings/leastdata.cpp)
target_link_libraries(leastdata_wasm PRIVATE leastdata_core)
# The core's JSON string writer (ledger_text.hpp) is internal to it; the exports share it.
target_include_directories(leastdata_wasm PRIVATE ${CMAKE_SOURCE_DIR}/wasm/src)
set_target_properties(leastdata_wasm PROPERTIES OUTPUT_NAME leastdata SUFFIX .mjs)
target_link_options(leastdata_wasm PRIVATE ${LEASTDATA_MODULE_LINK_OPTIONS} -sEXPORT_NAME=createLeastDataModule)
# As the core's sources (CMakeLists.txt): nothing here catches, so no call needs a trampoline.
set_source_files_properties(${CMAKE_SOURCE_DIR}/wasm/bindings/leastdata.cpp PROPERTIES COMPILE_OPTIONS -fno-exceptions)

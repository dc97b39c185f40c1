# leastdata-endpoint (DESIGN §7), native builds only: included from CMakeLists.txt in the
# non-Emscripten branch. Output: ${CMAKE_BINARY_DIR}/server/leastdata-endpoint.
pkg_check_modules(LEASTDATA_SQLITE REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LEASTDATA_PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(LEASTDATA_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(Threads REQUIRED)

add_executable(leastdata_endpoint
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/access.cpp
  ${CMAKE_CURRENT_LIST_DIR}/connections.cpp
  ${CMAKE_CURRENT_LIST_DIR}/auth.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envelope.cpp
  ${CMAKE_CURRENT_LIST_DIR}/keys.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tenants.cpp
  ${CMAKE_CURRENT_LIST_DIR}/key_cache.cpp
  ${CMAKE_CURRENT_LIST_DIR}/certificates.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/zendesk.cpp
  ${CMAKE_CURRENT_LIST_DIR}/retention.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store/sql_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store/sqlite_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store/postgres_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store/migrations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store/quotas.cpp)
set_target_properties(leastdata_endpoint PROPERTIES
  OUTPUT_NAME leastdata-endpoint
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/server)
target_include_directories(leastdata_endpoint PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(leastdata_endpoint PRIVATE
  leastdata_core
  PkgConfig::LEASTDATA_HTTPLIB
  PkgConfig::LEASTDATA_SQLITE
  PkgConfig::LEASTDATA_PQXX
  Threads::Threads)

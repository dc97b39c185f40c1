// Schema migrations, applied in order at start (`serve`) and before every data subcommand.
// Each migration is one text for every dialect (migrations.cpp says which types it maps). Applied
// versions are recorded in `schema_migrations`; several processes may start at once
// (the migration transaction takes the exclusive lock first).
#pragma once

#include "sql.hpp"

#include <span>
#include <string>
#include <string_view>

namespace leastdata::server::migrations {

struct Migration {
      int version;
      std::string_view description;
      std::string_view schema;  // BINARY and INT64 stand for the dialect's types

      /// The statements, in the backend's column types.
      std::string render(const sql::ColumnTypes& types) const;
};

std::span<const Migration> all();

/// Applies the missing migrations; returns how many were applied. Refuses a database
/// whose schema is newer than this binary knows.
int run(sql::Database& db);

}  // namespace leastdata::server::migrations

// The rows and the transaction guard of the SQL layer (sql.hpp), shared by both backends.
#include "sql.hpp"

#include <string>

namespace leastdata::server {

namespace sql {

namespace {
thread_local bool t_in_transaction = false;
}

NestingGuard::NestingGuard() {
   if(t_in_transaction) {
      throw DatabaseError("nested transaction (a store call inside a store callback)");
   }
   t_in_transaction = true;
}

NestingGuard::~NestingGuard() {
   t_in_transaction = false;
}

std::int64_t Row::integer(std::size_t i) const {
   if(const auto* n = std::get_if<std::int64_t>(&m_values.at(i))) {
      return *n;
   }
   if(const auto* s = std::get_if<std::string>(&m_values.at(i))) {
      return std::stoll(*s);  // e.g. a PostgreSQL NUMERIC aggregate
   }
   throw DatabaseError("column " + std::to_string(i) + " is not an integer");
}

std::optional<std::int64_t> Row::optional_integer(std::size_t i) const {
   return is_null(i) ? std::nullopt : std::optional<std::int64_t>(integer(i));
}

std::string Row::text(std::size_t i) const {
   if(const auto* s = std::get_if<std::string>(&m_values.at(i))) {
      return *s;
   }
   throw DatabaseError("column " + std::to_string(i) + " is not text");
}

std::optional<std::string> Row::optional_text(std::size_t i) const {
   return is_null(i) ? std::nullopt : std::optional<std::string>(text(i));
}

Blob Row::blob(std::size_t i) const {
   if(const auto* b = std::get_if<Blob>(&m_values.at(i))) {
      return *b;
   }
   throw DatabaseError("column " + std::to_string(i) + " is not a blob");
}

}  // namespace sql

}  // namespace leastdata::server

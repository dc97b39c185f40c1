// The small SQL layer under the store: one transaction interface, two backends
// (sqlite_store.cpp, postgres_store.cpp). Statements use `?` placeholders; the
// PostgreSQL backend numbers them. The domain logic (sql_store.cpp) is written once over
// this interface, so both backends run the same statements and behave the same.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace leastdata::server::sql {

using Blob = std::vector<std::uint8_t>;
using Value = std::variant<std::nullptr_t, std::int64_t, std::string, Blob>;

class Row final {
   public:
      explicit Row(std::vector<Value> values) : m_values(std::move(values)) {}

      bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(m_values.at(i)); }
      std::int64_t integer(std::size_t i) const;
      std::optional<std::int64_t> optional_integer(std::size_t i) const;
      std::string text(std::size_t i) const;
      std::optional<std::string> optional_text(std::size_t i) const;
      Blob blob(std::size_t i) const;

   private:
      std::vector<Value> m_values;
};

using Rows = std::vector<Row>;

enum class Dialect { sqlite, postgres };

/// The backend's names for the column types the schema (migrations.cpp) writes as BINARY and
/// INT64.
struct ColumnTypes {
      std::string_view binary;  // a byte string
      std::string_view int64;   // a signed 64-bit integer
};

class Transaction {
   public:
      virtual ~Transaction() = default;
      virtual Rows query(std::string_view statement, const std::vector<Value>& params = {}) = 0;
      /// Runs a statement; returns the number of rows it changed.
      virtual std::int64_t execute(std::string_view statement, const std::vector<Value>& params = {}) = 0;
      /// Runs several statements without parameters (migrations).
      virtual void script(std::string_view statements) = 0;
      /// Serialises this transaction with every other one that calls it, across processes
      /// (migrations, master key rotation, tenant creation). SQLite write transactions are
      /// already serialised.
      virtual void lock_exclusive() = 0;
      virtual Dialect dialect() const = 0;
      virtual ColumnTypes column_types() const = 0;
};

class Database {
   public:
      virtual ~Database() = default;
      /// Runs `body` in one write transaction; commits if it returns, rolls back if it throws.
      /// Transactions do not nest: `body` must not call back into the store (that throws).
      virtual void transaction(const std::function<void(Transaction&)>& body) = 0;
      /// Runs one read-only statement on its own, outside an explicit transaction: a single
      /// statement sees one consistent snapshot in both databases, and this costs one round
      /// trip on PostgreSQL instead of three (BEGIN, statement, COMMIT) and no write lock on
      /// SQLite. For the per-request reads (tenant, settings); not inside `transaction`.
      virtual Rows read(std::string_view statement, const std::vector<Value>& params = {}) = 0;
      /// After deletions: lets no deleted bytes linger in the files (SQLite: WAL checkpoint
      /// with TRUNCATE; deleted content is already zeroed by secure_delete). True only when
      /// that was checked to have happened (the log is empty); PostgreSQL cannot say so.
      virtual bool reclaim() = 0;
      virtual Dialect dialect() const = 0;
};

/// The database failed (connection, constraint, syntax); the message names no values.
class DatabaseError : public std::runtime_error {
   public:
      using std::runtime_error::runtime_error;
};

/// The database's disk is full (SQLite: SQLITE_FULL or ENOSPC; PostgreSQL: disk_full). The
/// transaction was rolled back; reads still work, and writes work again once space returns.
class StorageFull final : public DatabaseError {
   public:
      using DatabaseError::DatabaseError;
};

/// Marks the calling thread as inside a transaction for its lifetime; throws DatabaseError
/// if it already is (a nested transaction would deadlock on SQLite's single connection).
class NestingGuard final {
   public:
      NestingGuard();
      ~NestingGuard();
      NestingGuard(const NestingGuard&) = delete;
      NestingGuard& operator=(const NestingGuard&) = delete;
};

std::unique_ptr<Database> open_sqlite(const std::string& path);
std::unique_ptr<Database> open_postgres(const std::string& url, std::size_t pool_size);

}  // namespace leastdata::server::sql

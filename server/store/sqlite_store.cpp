// The SQLite backend: one connection per process, serialised by a mutex (SQLite
// serialises writers anyway, and a single connection lets the WAL checkpoint after a
// deletion truncate the log: no other reader can pin old frames). Its prepared statements
// are kept for reuse; single-statement reads run without an explicit transaction.
//
// Pragmas (DESIGN §7): WAL; synchronous=FULL (a committed deletion survives power loss);
// secure_delete=ON (deleted content is overwritten with zeros, not left in free pages);
// foreign_keys=ON. The database file is created with mode 0600 (main sets umask 077).
#include "sql.hpp"

#include "../log.hpp"

#include <sqlite3.h>

#include <cerrno>
#include <mutex>
#include <string>
#include <unordered_map>

namespace leastdata::server::sql {

namespace {

// A full disk is its own error (StorageFull) so that the API can say so instead of
// "unavailable". SQLite reports it as SQLITE_FULL, or, for writes to the WAL and the
// shared-memory file, as an I/O error whose cause is ENOSPC.
[[noreturn]] void fail(sqlite3* db, int rc, const std::string& context) {
   const std::string message = context + sqlite3_errmsg(db);
   const int primary = rc & 0xff;
   if(primary == SQLITE_FULL || (primary == SQLITE_IOERR && sqlite3_system_errno(db) == ENOSPC)) {
      throw StorageFull(message);
   }
   throw DatabaseError(message);
}

// Prepared statements are kept per connection, keyed by their text: the store runs a small,
// fixed set of statements, and parsing one costs more than running it (profiled: preparing
// was 17% of a GET settings). SQLite re-prepares a kept statement itself after a schema change.
class StatementCache final {
   public:
      explicit StatementCache(sqlite3* db) : m_db(db) {}
      ~StatementCache() {
         for(auto& [text, stmt] : m_statements) {
            sqlite3_finalize(stmt);
         }
      }
      StatementCache(const StatementCache&) = delete;
      StatementCache& operator=(const StatementCache&) = delete;

      sqlite3* db() const { return m_db; }

      /// A reset statement; `kept` is false if the caller must finalize it (the cache is full).
      sqlite3_stmt* get(std::string_view text, bool& kept) {
         if(const auto it = m_statements.find(text); it != m_statements.end()) {
            kept = true;
            return it->second;
         }
         sqlite3_stmt* stmt = nullptr;
         kept = m_statements.size() < k_max_statements;
         const unsigned flags = kept ? SQLITE_PREPARE_PERSISTENT : 0;
         if(sqlite3_prepare_v3(m_db, text.data(), static_cast<int>(text.size()), flags, &stmt, nullptr) != SQLITE_OK) {
            throw DatabaseError(std::string("sqlite: ") + sqlite3_errmsg(m_db));
         }
         if(kept) {
            m_statements.emplace(std::string(text), stmt);
         }
         return stmt;
      }

   private:
      // Statement texts come from sql_store.cpp's constants, so this bound is never reached
      // in practice; it only keeps a future dynamic statement from growing the cache.
      static constexpr std::size_t k_max_statements = 256;

      struct Hash {
            using is_transparent = void;
            std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
      };
      sqlite3* m_db;
      std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> m_statements;
};

// One use of a (usually cached) statement: bound, stepped, then reset so that it holds no
// read snapshot and no bound pointers once the call returns.
class Statement final {
   public:
      Statement(StatementCache& cache, std::string_view text) : m_db(cache.db()), m_stmt(cache.get(text, m_kept)) {}
      ~Statement() {
         if(m_kept) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);
         } else {
            sqlite3_finalize(m_stmt);
         }
      }
      Statement(const Statement&) = delete;
      Statement& operator=(const Statement&) = delete;

      void bind(const std::vector<Value>& params) {
         for(std::size_t i = 0; i < params.size(); ++i) {
            const int at = static_cast<int>(i + 1);
            int rc = SQLITE_OK;
            if(std::holds_alternative<std::nullptr_t>(params[i])) {
               rc = sqlite3_bind_null(m_stmt, at);
            } else if(const auto* n = std::get_if<std::int64_t>(&params[i])) {
               rc = sqlite3_bind_int64(m_stmt, at, *n);
            } else if(const auto* s = std::get_if<std::string>(&params[i])) {
               rc = sqlite3_bind_text64(m_stmt, at, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
            } else {
               const auto& b = std::get<Blob>(params[i]);
               rc = sqlite3_bind_blob64(m_stmt, at, b.empty() ? "" : static_cast<const void*>(b.data()), b.size(),
                                        SQLITE_STATIC);
            }
            if(rc != SQLITE_OK) {
               throw DatabaseError(std::string("sqlite bind: ") + sqlite3_errmsg(m_db));
            }
         }
      }

      Rows run() {
         Rows rows;
         for(;;) {
            const int rc = sqlite3_step(m_stmt);
            if(rc == SQLITE_DONE) {
               return rows;
            }
            if(rc != SQLITE_ROW) {
               fail(m_db, rc, "sqlite: ");
            }
            const int n = sqlite3_column_count(m_stmt);
            std::vector<Value> values;
            values.reserve(static_cast<std::size_t>(n));
            for(int i = 0; i < n; ++i) {
               switch(sqlite3_column_type(m_stmt, i)) {
                  case SQLITE_NULL:
                     values.emplace_back(nullptr);
                     break;
                  case SQLITE_INTEGER:
                     values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(m_stmt, i)));
                     break;
                  case SQLITE_BLOB: {
                     const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, i));
                     values.emplace_back(Blob(p, p + sqlite3_column_bytes(m_stmt, i)));
                     break;
                  }
                  default: {
                     const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, i));
                     values.emplace_back(std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i))));
                  }
               }
            }
            rows.emplace_back(std::move(values));
         }
      }

   private:
      sqlite3* m_db;
      bool m_kept = false;
      sqlite3_stmt* m_stmt;
};

class SqliteTransaction final : public Transaction {
   public:
      explicit SqliteTransaction(StatementCache& cache) : m_cache(cache), m_db(cache.db()) {}

      Rows query(std::string_view text, const std::vector<Value>& params) override {
         Statement s(m_cache, text);
         s.bind(params);
         return s.run();
      }

      std::int64_t execute(std::string_view text, const std::vector<Value>& params) override {
         Statement s(m_cache, text);
         s.bind(params);
         s.run();
         return sqlite3_changes64(m_db);
      }

      void script(std::string_view statements) override {
         const std::string text(statements);
         if(const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK) {
            fail(m_db, rc, "sqlite: ");
         }
      }

      void lock_exclusive() override {}  // BEGIN IMMEDIATE already holds the write lock

      Dialect dialect() const override { return Dialect::sqlite; }
      ColumnTypes column_types() const override { return {"BLOB", "INTEGER"}; }

   private:
      StatementCache& m_cache;
      sqlite3* m_db;
};

class SqliteDatabase final : public Database {
   public:
      explicit SqliteDatabase(const std::string& path) {
         const int rc = sqlite3_open_v2(path.c_str(), &m_db,
                                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
         if(rc != SQLITE_OK) {
            const std::string error = m_db != nullptr ? sqlite3_errmsg(m_db) : "out of memory";
            sqlite3_close(m_db);
            throw DatabaseError("sqlite: cannot open database: " + error);
         }
         sqlite3_busy_timeout(m_db, 10000);
         m_statements = std::make_unique<StatementCache>(m_db);
         SqliteTransaction setup(*m_statements);
         const auto mode = setup.query("PRAGMA journal_mode=WAL", {});
         if(mode.empty() || mode.front().text(0) != "wal") {
            throw DatabaseError("sqlite: cannot switch the database to WAL mode");
         }
         setup.script("PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA foreign_keys=ON;");
      }

      ~SqliteDatabase() override {
         m_statements.reset();  // finalized before the connection closes
         sqlite3_close(m_db);
      }

      void transaction(const std::function<void(Transaction&)>& body) override {
         const NestingGuard guard;
         const std::lock_guard lock(m_mutex);
         SqliteTransaction tx(*m_statements);
         tx.execute("BEGIN IMMEDIATE", {});
         try {
            body(tx);
            tx.execute("COMMIT", {});
         } catch(...) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
         }
      }

      // A single statement in autocommit mode is its own read transaction: no BEGIN
      // IMMEDIATE, so no write lock taken and released around a read.
      Rows read(std::string_view statement, const std::vector<Value>& params) override {
         const NestingGuard guard;
         const std::lock_guard lock(m_mutex);
         return SqliteTransaction(*m_statements).query(statement, params);
      }

      // Copies the (zeroed) pages into the database and truncates the WAL to 0 bytes, so no
      // frame holding deleted content stays in the -wal file. A reader holding an older
      // snapshot (another instance, a backup in progress) blocks the truncation; the
      // checkpoint's own result says so. It is not waited for: this runs on request paths
      // (a token deleted, a job completed), no certificate claims it, and the next
      // checkpoint truncates what this one could not.
      bool reclaim() override {
         const std::lock_guard lock(m_mutex);
         const auto rows = SqliteTransaction(*m_statements).query("PRAGMA wal_checkpoint(TRUNCATE)", {});
         // (busy, frames in the log, frames checkpointed): truncated when not busy and empty.
         const bool truncated = !rows.empty() && rows.front().integer(0) == 0 && rows.front().integer(1) == 0;
         if(!truncated) {
            log::warn("wal_not_truncated", {{"detail", "a reader holds an older snapshot"}});
         }
         return truncated;
      }

      Dialect dialect() const override { return Dialect::sqlite; }

   private:
      sqlite3* m_db = nullptr;
      std::unique_ptr<StatementCache> m_statements;
      std::mutex m_mutex;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path) {
   return std::make_unique<SqliteDatabase>(path);
}

}  // namespace leastdata::server::sql

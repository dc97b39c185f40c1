// The PostgreSQL backend (libpqxx 6): a small pool of connections, one `pqxx::work`
// (READ COMMITTED) per transaction, single-statement reads in autocommit, named prepared
// statements. Row locks (SELECT ... FOR UPDATE) and conditional
// updates in sql_store.cpp make concurrent instances behind a load balancer safe; a
// transaction-scoped advisory lock serialises migrations, tenant creation and master key
// rotation across instances. Byte columns travel as hex text (`\x...`), which the bytea
// input function reads. When the server goes away (a restart, a failover), transactions
// fail with DatabaseError (the API's 503) until it is back; the pool then reconnects on
// its own - no restart of the endpoint.
#include "sql.hpp"

#include <pqxx/pqxx>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>

namespace leastdata::server::sql {

namespace {

constexpr std::int64_t k_exclusive_lock_id = 0x6c64656e64706e74;  // "ldendpnt"
constexpr pqxx::oid k_bytea_oid = 17;
constexpr pqxx::oid k_int8_oid = 20;
constexpr pqxx::oid k_int2_oid = 21;
constexpr pqxx::oid k_int4_oid = 23;

// The first line of a server error: PostgreSQL puts row values (which may be personal
// data) in the DETAIL line, and these messages reach the logs.
std::string first_line(const char* what) {
   const std::string text(what);
   return text.substr(0, text.find('\n'));
}

// A lost connection is told apart so that transaction() can drop it - and the other pooled
// connections to the same server, which a restart has broken just as well.
class ConnectionLost final : public DatabaseError {
   public:
      using DatabaseError::DatabaseError;
};

// Rethrows the pqxx::failure being handled as the store's error type.
[[noreturn]] void rethrow_as_database_error() {
   try {
      throw;
   } catch(const pqxx::broken_connection& e) {
      throw ConnectionLost("postgresql: connection lost: " + first_line(e.what()));
   } catch(const pqxx::in_doubt_error&) {
      throw ConnectionLost("postgresql: the connection broke during COMMIT; the outcome is unknown");
   } catch(const pqxx::disk_full& e) {
      throw StorageFull("postgresql: " + first_line(e.what()));
   } catch(const pqxx::failure& e) {
      throw DatabaseError("postgresql: " + first_line(e.what()));
   }
}

// `?` → `$1`, `$2`, ... The statements in this project hold no `?` inside literals.
std::string number_placeholders(std::string_view text) {
   std::string out;
   out.reserve(text.size() + 16);
   int n = 0;
   for(const char c : text) {
      if(c == '?') {
         out += '$' + std::to_string(++n);
      } else {
         out += c;
      }
   }
   return out;
}

std::string hex_bytea(const Blob& blob) {
   static constexpr char hex[] = "0123456789abcdef";
   std::string out = "\\x";
   out.reserve(2 + blob.size() * 2);
   for(const auto b : blob) {
      out += hex[b >> 4];
      out += hex[b & 15];
   }
   return out;
}

// Statements run as named prepared statements: PostgreSQL parses and plans each once per
// connection instead of once per call (it shares these 2 cores with the endpoint). A name
// stands for one text for the life of the process; libpqxx prepares it on a connection at
// its first use there (and again after a reconnection).
class StatementNames final {
   public:
      std::string name(std::string_view text) {
         const std::lock_guard lock(m_mutex);
         const auto [it, added] = m_names.try_emplace(std::string(text));
         if(added) {
            it->second = "ld" + std::to_string(m_names.size());
         }
         return it->second;
      }

   private:
      struct Hash {
            using is_transparent = void;
            std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
      };
      std::mutex m_mutex;
      std::unordered_map<std::string, std::string, Hash, std::equal_to<>> m_names;
};

class PostgresTransaction final : public Transaction {
   public:
      PostgresTransaction(pqxx::transaction_base& work, StatementNames& names) : m_work(work), m_names(names) {}

      Rows query(std::string_view text, const std::vector<Value>& params) override {
         return convert(run(text, params));
      }

      std::int64_t execute(std::string_view text, const std::vector<Value>& params) override {
         return static_cast<std::int64_t>(run(text, params).affected_rows());
      }

      void script(std::string_view statements) override {
         try {
            m_work.exec(std::string(statements));
         } catch(const pqxx::failure&) {
            rethrow_as_database_error();
         }
         ++m_completed;
      }

      void lock_exclusive() override { execute("SELECT pg_advisory_xact_lock(?)", {k_exclusive_lock_id}); }

      Dialect dialect() const override { return Dialect::postgres; }
      ColumnTypes column_types() const override { return {"BYTEA", "BIGINT"}; }

      /// Statements that have run; none means the server has seen nothing of this transaction.
      std::size_t completed() const { return m_completed; }

   private:
      pqxx::result run(std::string_view text, const std::vector<Value>& params) {
         std::vector<std::string> storage;
         storage.reserve(params.size());
         std::vector<const char*> pointers;
         pointers.reserve(params.size());
         for(const Value& v : params) {
            if(std::holds_alternative<std::nullptr_t>(v)) {
               storage.emplace_back();
            } else if(const auto* n = std::get_if<std::int64_t>(&v)) {
               storage.push_back(std::to_string(*n));
            } else if(const auto* s = std::get_if<std::string>(&v)) {
               storage.push_back(*s);
            } else {
               storage.push_back(hex_bytea(std::get<Blob>(v)));
            }
         }
         for(std::size_t i = 0; i < params.size(); ++i) {
            pointers.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr : storage[i].c_str());
         }
         try {
            const std::string name = m_names.name(text);
            m_work.conn().prepare(name, number_placeholders(text));  // a no-op once known to the connection
            pqxx::result result = m_work.exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
            ++m_completed;
            return result;
         } catch(const pqxx::failure&) {
            rethrow_as_database_error();
         }
      }

      static Rows convert(const pqxx::result& result) {
         Rows rows;
         rows.reserve(result.size());
         const auto columns = static_cast<std::size_t>(result.columns());
         for(const auto& row : result) {
            std::vector<Value> values;
            values.reserve(columns);
            for(std::size_t i = 0; i < columns; ++i) {
               const pqxx::field f = row[static_cast<pqxx::row::size_type>(i)];
               if(f.is_null()) {
                  values.emplace_back(nullptr);
                  continue;
               }
               const pqxx::oid type = result.column_type(static_cast<pqxx::row::size_type>(i));
               if(type == k_bytea_oid) {
                  const pqxx::binarystring bytes(f);
                  values.emplace_back(Blob(bytes.begin(), bytes.end()));
               } else if(type == k_int8_oid || type == k_int4_oid || type == k_int2_oid) {
                  values.emplace_back(f.as<std::int64_t>());
               } else {
                  values.emplace_back(std::string(f.c_str(), f.size()));
               }
            }
            rows.emplace_back(std::move(values));
         }
         return rows;
      }

      pqxx::transaction_base& m_work;
      StatementNames& m_names;
      std::size_t m_completed = 0;
};

class PostgresDatabase final : public Database {
   public:
      PostgresDatabase(std::string url, std::size_t pool_size) : m_url(std::move(url)), m_capacity(pool_size) {
         release(connect());  // fail at start, not at the first request
      }

      void transaction(const std::function<void(Transaction&)>& body) override {
         const NestingGuard guard;
         bool untouched = true;  // the server has run nothing of this transaction
         // A connection found broken before anything ran was stale (the server was restarted
         // since it was last used): begin once more on a new one. Later the body may have
         // run, or COMMIT gone through: the caller must know.
         on_connection([&](pqxx::connection& connection) {
            untouched = true;
            pqxx::work work(connection);
            PostgresTransaction tx(work, m_names);
            try {
               body(tx);
            } catch(...) {
               untouched = tx.completed() == 0;
               throw;
            }
            untouched = false;
            work.commit();
         }, [&] { return untouched; });
      }

      // Autocommit (pqxx::nontransaction): the statement is its own transaction.
      Rows read(std::string_view statement, const std::vector<Value>& params) override {
         const NestingGuard guard;
         Rows rows;
         // A read has changed nothing: it can run again on a new connection.
         on_connection([&](pqxx::connection& connection) {
            pqxx::nontransaction work(connection);
            rows = PostgresTransaction(work, m_names).query(statement, params);
         }, [] { return true; });
         return rows;
      }

      // Deleted tuples are reclaimed by autovacuum and the WAL by recycling (docs/operations.md):
      // nothing here can say they are gone now.
      bool reclaim() override { return false; }

      Dialect dialect() const override { return Dialect::postgres; }

   private:
      // Runs `work` on a pooled connection. A lost connection is dropped, with the idle ones
      // (the same server restart broke them); `work` then runs once more on a new connection
      // if `may_retry` says that is safe.
      template <class Work, class MayRetry>
      void on_connection(const Work& work, const MayRetry& may_retry) {
         for(int attempt = 1;; ++attempt) {
            auto connection = acquire();
            try {
               try {
                  work(*connection);
               } catch(const pqxx::failure&) {
                  rethrow_as_database_error();
               }
            } catch(const ConnectionLost&) {
               connection.reset();
               drop();
               drop_idle();
               if(attempt == 1 && may_retry()) {
                  continue;
               }
               throw;
            } catch(...) {
               release(std::move(connection));
               throw;
            }
            release(std::move(connection));
            return;
         }
      }

      std::unique_ptr<pqxx::connection> connect() {
         try {
            return std::make_unique<pqxx::connection>(m_url);
         } catch(const std::exception& e) {
            throw DatabaseError("postgresql: cannot connect: " + first_line(e.what()));
         }
      }

      std::unique_ptr<pqxx::connection> acquire() {
         std::unique_lock lock(m_mutex);
         m_available.wait(lock, [&] { return !m_idle.empty() || m_open < m_capacity; });
         if(!m_idle.empty()) {
            auto c = std::move(m_idle.back());
            m_idle.pop_back();
            return c;
         }
         ++m_open;
         lock.unlock();
         try {
            return connect();
         } catch(...) {
            drop();
            throw;
         }
      }

      void release(std::unique_ptr<pqxx::connection> c) {
         {
            const std::lock_guard lock(m_mutex);
            if(c->is_open()) {
               m_idle.push_back(std::move(c));
            } else {
               --m_open;
            }
         }
         m_available.notify_one();
      }

      void drop() {
         {
            const std::lock_guard lock(m_mutex);
            --m_open;
         }
         m_available.notify_one();
      }

      // Closes every idle connection: after one was found broken, the others most likely are.
      void drop_idle() {
         std::vector<std::unique_ptr<pqxx::connection>> idle;
         {
            const std::lock_guard lock(m_mutex);
            idle.swap(m_idle);
            m_open -= idle.size();
         }
         m_available.notify_all();
      }  // closed here, outside the lock

      std::string m_url;
      StatementNames m_names;
      std::size_t m_capacity;
      std::size_t m_open = 1;
      std::mutex m_mutex;
      std::condition_variable m_available;
      std::vector<std::unique_ptr<pqxx::connection>> m_idle;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, std::size_t pool_size) {
   // libpq waits for a new connection without limit by default: a database host that stopped
   // answering would hold every request that needs one. The URL or PGCONNECT_TIMEOUT may say
   // otherwise.
   std::string with_timeout = url;
   if(url.find("connect_timeout=") == std::string::npos && std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
      with_timeout += (url.find('?') == std::string::npos ? "?" : "&");
      with_timeout += "connect_timeout=5";
   }
   return std::make_unique<PostgresDatabase>(with_timeout, pool_size == 0 ? 1 : pool_size);
}

}  // namespace leastdata::server::sql

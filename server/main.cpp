// leastdata-endpoint: the thin endpoint of DESIGN §7 and its operator subcommands.
//
// Output: each subcommand prints one JSON document on stdout. Failures print
// {"error":{"code","message"}} on stderr; exit status 2 for usage errors, 1 otherwise.
#include "auth.hpp"
#include "certificates.hpp"
#include "clock.hpp"
#include "connections.hpp"
#include "envelope.hpp"
#include "http.hpp"
#include "keys.hpp"
#include "log.hpp"
#include "retention.hpp"
#include "sessions.hpp"
#include "store/sql.hpp"
#include "store/store.hpp"
#include "tenants.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <pthread.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace {

using namespace leastdata::server;
using nlohmann::json;

constexpr const char* k_usage = R"(usage: leastdata-endpoint <command> [options]

  keygen --keys DIR
  serve --db URL --keys DIR --listen HOST:PORT [--audience leastdata] [--issuer NAME]
        [--region eu-central-1] [--zendesk-public-key PEM|FILE] [--sweep-interval SECONDS]
        [--rate-limit PER_MINUTE] [--threads N] [--max-body BYTES] [--max-connections N]
        [--idle-timeout SECONDS] [--request-timeout SECONDS] [--quota CATEGORY.rows=N,CATEGORY.bytes=N,...]
        [--identity zendesk|claims] [--zendesk-url https://{subdomain}.zendesk.com] [--role-recheck SECONDS]
        --zendesk-oauth-client-id ID --zendesk-oauth-secret-file FILE --public-url URL --app-origin ORIGIN[,...]
  tenant add SUBDOMAIN --db URL --keys DIR
  tenant deactivate SUBDOMAIN --reason subscription_lapsed|uninstalled --db URL --keys DIR
  tenant activate SUBDOMAIN --db URL --keys DIR
  sweep [--now RFC3339] --db URL --keys DIR [--issuer NAME] [--region eu-central-1]
  rotate-master-key --db URL --keys DIR
  certificate list --db URL --keys DIR
  certificate show ID --db URL --keys DIR

URL is sqlite:PATH or postgresql://user@host:port/db. See docs/endpoint.md and docs/operations.md.
)";

constexpr const char* k_default_issuer = "leastdata endpoint";

class UsageError final : public std::runtime_error {
   public:
      using std::runtime_error::runtime_error;
};

class CommandError final : public std::runtime_error {
   public:
      CommandError(leastdata::ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
      leastdata::ErrorCode code() const { return m_code; }

   private:
      leastdata::ErrorCode m_code;
};

struct Args {
      std::vector<std::string> positional;
      std::map<std::string, std::string> options;

      bool has(const std::string& name) const { return options.count(name) > 0; }
      std::string get(const std::string& name, const std::string& fallback) const {
         const auto it = options.find(name);
         return it == options.end() ? fallback : it->second;
      }
      std::string required(const std::string& name) const {
         const auto it = options.find(name);
         if(it == options.end() || it->second.empty()) {
            throw UsageError("--" + name + " is required");
         }
         return it->second;
      }
      void allow(std::initializer_list<const char*> names) const {
         const std::set<std::string> allowed(names.begin(), names.end());
         for(const auto& [name, value] : options) {
            if(allowed.count(name) == 0) {
               throw UsageError("unknown option --" + name);
            }
         }
      }
};

Args parse_args(int argc, char** argv) {
   Args args;
   for(int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if(a.rfind("--", 0) == 0) {
         std::string name = a.substr(2);
         std::string value;
         if(const auto eq = name.find('='); eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
         } else if(name == "help") {
            value = "1";
         } else {
            if(i + 1 >= argc) {
               throw UsageError("--" + name + " needs a value");
            }
            value = argv[++i];
         }
         args.options[name] = value;
      } else {
         args.positional.push_back(std::move(a));
      }
   }
   return args;
}

void print(const json& value) {
   std::cout << value.dump() << std::endl;
}

std::unique_ptr<Store> open_migrated(const Args& args) {
   auto store = open_store(args.required("db"));
   store->migrate();
   return store;
}

std::uint64_t number_option(const Args& args, const std::string& name, std::uint64_t fallback, std::uint64_t max) {
   if(!args.has(name)) {
      return fallback;
   }
   const std::string v = args.get(name, "");
   if(v.empty() || v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos || std::stoull(v) > max) {
      throw UsageError("--" + name + " must be an integer from 0 to " + std::to_string(max));
   }
   return std::stoull(v);
}

// ---- keygen ------------------------------------------------------------------------------

int keygen(const Args& args) {
   args.allow({"keys"});
   const std::string dir = args.required("keys");
   const std::string key_id = keys::generate(dir);
   print({{"keys", dir}, {"master_key_version", 1}, {"signing_key_id", key_id}});
   return 0;
}

// ---- tenant ------------------------------------------------------------------------------

int tenant(const Args& args) {
   if(args.positional.size() != 3) {
      throw UsageError("tenant add|deactivate|activate SUBDOMAIN");
   }
   const std::string& action = args.positional[1];
   const std::string& subdomain = args.positional[2];
   if(action == "deactivate") {
      args.allow({"db", "keys", "reason"});
   } else {
      args.allow({"db", "keys"});
   }
   if(!tenants::valid_subdomain(subdomain)) {
      throw UsageError("a subdomain is 1-63 characters of [a-z0-9-], starting and ending with a letter or digit");
   }
   auto store = open_migrated(args);
   Keyring keyring(args.required("keys"));
   const auto clock = make_clock();
   const Millis now = clock->now();

   if(action == "add") {
      const auto created = tenants::add(*store, keyring, subdomain, now);
      if(!created) {
         const auto existing = store->tenant(subdomain, now);
         throw CommandError(leastdata::ErrorCode::conflict, existing ? "tenant " + subdomain + " exists"
                                                 : "tenant " + subdomain +
                                                      " is past its retention deadline and awaits deletion; run sweep first");
      }
      print({{"subdomain", created->subdomain}, {"jwt_secret", created->jwt_secret}});
      return 0;
   }

   auto t = store->tenant(subdomain, now);
   if(!t) {
      throw CommandError(leastdata::ErrorCode::not_found, store->tenant_any(subdomain)
                                         ? "tenant " + subdomain + " is past its retention deadline; the next sweep deletes it"
                                         : "no tenant " + subdomain);
   }
   if(action == "deactivate") {
      const std::string reason = args.required("reason");
      if(reason != "subscription_lapsed" && reason != "uninstalled") {
         throw UsageError("--reason must be subscription_lapsed or uninstalled");
      }
      // Already inactive: the reason may change, the date does not (retention is not postponed).
      const Millis since = t->inactive_since.value_or(now);
      store->set_tenant_status(t->id, "inactive", reason, since, now);
      log::info("tenant_deactivated", {{"reason", reason}});
      print({{"subdomain", subdomain},
             {"status", "inactive"},
             {"reason", reason},
             {"inactive_since", format_time(since)},
             {"deletion_due_at", format_time(since + k_inactive_tenant_retention)}});
      return 0;
   }
   if(action == "activate") {
      store->set_tenant_status(t->id, "active", std::nullopt, std::nullopt, now);
      log::info("tenant_activated");
      print({{"subdomain", subdomain}, {"status", "active"}});
      return 0;
   }
   throw UsageError("tenant add|deactivate|activate SUBDOMAIN");
}

// ---- sweep -------------------------------------------------------------------------------

int sweep(const Args& args) {
   args.allow({"db", "keys", "now", "issuer", "region"});
   std::optional<Millis> fixed;
   if(args.has("now")) {
      fixed = parse_time(args.get("now", ""));
      if(!fixed) {
         throw UsageError("--now must be an RFC 3339 time, e.g. 2024-05-02T09:00:00Z");
      }
   }
   auto store = open_migrated(args);
   Keyring keyring(args.required("keys"));
   const SigningIdentity signing = keys::load_signing_key(args.required("keys"));
   const auto clock = make_clock(fixed);
   CertificateIssuer issuer(*store, keyring, signing, *clock, args.get("issuer", k_default_issuer),
                            args.get("region", "eu-central-1"));
   print(retention::summary(retention::sweep(*store, issuer, clock->now())));
   return 0;
}

// ---- rotate-master-key -------------------------------------------------------------------

// Creates master key version N+1 and rewraps every tenant key under it (with the tenant's
// key file, which stays), then retires the versions no key uses. Every instance shares the
// keys directory (docs/operations.md): a running `serve` finds the new version on disk.
int rotate_master_key(const Args& args) {
   args.allow({"db", "keys"});
   const std::filesystem::path dir = args.required("keys");
   auto store = open_migrated(args);
   Keyring keyring(dir);
   const std::vector<std::uint32_t> old_versions = keys::master_versions(dir);
   const std::uint32_t next = old_versions.back() + 1;
   // The new key is on disk before any tenant key refers to it.
   keys::add_master_key(dir, next);
   const auto master = keyring.find(next);
   if(!master) {
      throw CommandError(leastdata::ErrorCode::key_error, "the new master key could not be read back");
   }
   std::int64_t erased = 0;
   const std::int64_t rewrapped = store->rewrap_tenant_keys([&](const TenantKey& k) {
      if(envelope::needs_tenant_key(k.wrapped_key) && !keyring.tenant_key(k.tenant_id)) {
         // Its key file was destroyed by a deletion whose transaction did not commit: the
         // key stays as it is, closed for good, until the tenant's rows are deleted.
         ++erased;
         return k;
      }
      const DataKey data_key = envelope::unwrap(keyring, k.wrapped_key, k.key_version, k.tenant_id);
      // A key from before per-tenant key files gets its file here (read back if a retried
      // transaction already made it).
      auto tenant_key = keyring.tenant_key(k.tenant_id);
      if(!tenant_key) {
         tenant_key = keys::add_tenant_key(dir, k.tenant_id);
      }
      TenantKey out = k;
      out.master_version = master->version;
      out.wrapped_key = envelope::wrap(*master, *tenant_key, data_key, k.tenant_id);
      return out;
   });
   // Retire only versions no tenant key uses any more (a concurrent `tenant add` that
   // committed under an old version keeps that version alive until the next rotation).
   const auto in_use = store->master_versions_in_use();
   json retired = json::array();
   for(const std::uint32_t v : old_versions) {
      if(std::find(in_use.begin(), in_use.end(), v) == in_use.end()) {
         keys::retire_master_key(dir, v);
         retired.push_back(v);
      }
   }
   log::info("master_key_rotated",
             {{"version", next}, {"rewrapped", rewrapped - erased}, {"erased", erased}, {"retired", retired}});
   print({{"master_key_version", next}, {"rewrapped", rewrapped - erased}, {"erased", erased}, {"retired", retired}});
   return 0;
}

// ---- certificate -------------------------------------------------------------------------

int certificate_command(const Args& args) {
   args.allow({"db", "keys"});
   if(args.positional.size() < 2) {
      throw UsageError("certificate list | certificate show ID");
   }
   args.required("keys");
   auto store = open_migrated(args);
   if(args.positional[1] == "list" && args.positional.size() == 2) {
      json out = json::array();
      for(const DeletionRecord& r : store->deletion_log()) {
         out.push_back({{"certificate_id", r.certificate_id},
                        {"subdomain", r.subdomain},
                        {"trigger", r.trigger},
                        {"completed_at", r.completed_at}});
      }
      print(out);
      return 0;
   }
   if(args.positional[1] == "show" && args.positional.size() == 3) {
      const auto r = store->deletion_record(args.positional[2]);
      if(!r) {
         throw CommandError(leastdata::ErrorCode::not_found, "no certificate " + args.positional[2]);
      }
      std::cout << r->certificate << std::endl;
      return 0;
   }
   throw UsageError("certificate list | certificate show ID");
}

// ---- serve -------------------------------------------------------------------------------

std::pair<std::string, int> parse_listen(const std::string& listen) {
   const auto colon = listen.rfind(':');
   if(colon == std::string::npos || colon == 0) {
      throw UsageError("--listen must be HOST:PORT");
   }
   std::string host = listen.substr(0, colon);
   if(host.size() > 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
   }
   const std::string port = listen.substr(colon + 1);
   if(port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535) {
      throw UsageError("--listen must be HOST:PORT");
   }
   return {host, std::stoi(port)};
}

// Each connection holds a file descriptor, and a default soft limit of 1024 would cap the
// server below --max-connections: raise the soft limit towards the hard one, and serve
// fewer connections if even that is too low. The margin is for the database and logs.
std::size_t raise_open_file_limit(std::size_t connections) {
   constexpr rlim_t margin = 256;
   rlimit limit{};
   if(::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
      return connections;
   }
   const rlim_t wanted = static_cast<rlim_t>(connections) + margin;
   if(limit.rlim_cur < wanted) {
      limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
      ::setrlimit(RLIMIT_NOFILE, &limit);
      ::getrlimit(RLIMIT_NOFILE, &limit);
   }
   if(limit.rlim_cur >= wanted) {
      return connections;
   }
   const std::size_t possible = limit.rlim_cur > 2 * margin ? static_cast<std::size_t>(limit.rlim_cur - margin) : 16;
   log::warn("connections_limited", {{"max_connections", possible}, {"open_file_limit", limit.rlim_cur}});
   return possible;
}

int serve(const Args& args) {
   args.allow({"db", "keys", "listen", "audience", "issuer", "region", "zendesk-public-key", "sweep-interval",
               "rate-limit", "auth-failure-limit", "threads", "max-body", "max-connections", "idle-timeout", "request-timeout",
               "quota", "identity", "zendesk-url", "zendesk-oauth-client-id", "zendesk-oauth-secret-file", "public-url",
               "app-origin", "role-recheck"});
   const auto [host, port] = parse_listen(args.required("listen"));
   const std::string keys_dir = args.required("keys");
   HttpConfig config;
   config.region = args.get("region", "eu-central-1");
   config.rate_limit_per_minute = static_cast<double>(number_option(args, "rate-limit", 600, 1000000));
   config.auth_failures_per_minute = static_cast<double>(number_option(args, "auth-failure-limit", 30, 1000000));
   config.max_body = number_option(args, "max-body", config.max_body, 64ull * 1024 * 1024);
   if(config.max_body < config.max_settings_body) {
      throw UsageError("--max-body must be at least 65536");
   }
   const auto sweep_interval = number_option(args, "sweep-interval", 3600, 7 * 86400);
   const auto threads = number_option(args, "threads", 8, 256);
   ConnectionLimits limits;
   limits.max_body = config.max_body;
   limits.max_pending_bodies = std::max(limits.max_pending_bodies, 4 * limits.max_body);
   limits.max_connections = number_option(args, "max-connections", limits.max_connections, 1000000);
   limits.idle_timeout = std::chrono::seconds(number_option(args, "idle-timeout", 5, 3600));
   limits.request_timeout = std::chrono::seconds(number_option(args, "request-timeout", 10, 3600));
   if(limits.max_connections == 0 || limits.idle_timeout.count() == 0 || limits.request_timeout.count() == 0) {
      throw UsageError("--max-connections, --idle-timeout and --request-timeout must be at least 1");
   }
   std::shared_ptr<const Botan::Public_Key> zendesk_key;
   if(args.has("zendesk-public-key")) {
      zendesk_key = Authenticator::load_rs256_key(args.get("zendesk-public-key", ""));
   }

   // Signals are taken by one thread (sigwait) so that every other thread, including
   // httplib's pool created later, inherits the blocked mask.
   sigset_t signals;
   sigemptyset(&signals);
   sigaddset(&signals, SIGINT);
   sigaddset(&signals, SIGTERM);
   pthread_sigmask(SIG_BLOCK, &signals, nullptr);

   Quotas quotas;
   try {
      quotas = Quotas::parse(args.get("quota", ""));
   } catch(const std::invalid_argument& e) {
      throw UsageError(e.what());
   }
   // Who a user is: from Zendesk (sign-in, sessions.hpp), or from the JWT's claims, which app
   // code in the browser writes (tests, and deployments that accept that: docs/security.md).
   const std::string identity = args.get("identity", "zendesk");
   if(identity != "zendesk" && identity != "claims") {
      throw UsageError("--identity is zendesk (the default) or claims");
   }
   ZendeskConfig zendesk;
   std::vector<std::string> app_origins;
   const auto role_recheck = number_option(args, "role-recheck", 300, 3600);
   if(identity == "zendesk") {
      if(!args.has("zendesk-oauth-client-id") || !args.has("zendesk-oauth-secret-file") || !args.has("public-url") ||
         !args.has("app-origin")) {
         throw UsageError("--identity zendesk needs --zendesk-oauth-client-id, --zendesk-oauth-secret-file, --public-url "
                          "and --app-origin (docs/operations.md, \"Sign-in with Zendesk\"); --identity claims trusts "
                          "the JWT's claims instead");
      }
      zendesk.url_template = args.get("zendesk-url", zendesk.url_template);
      try {
         ZendeskClient check(zendesk);
      } catch(const std::invalid_argument& e) {
         throw UsageError(e.what());
      }
      zendesk.client_id = args.get("zendesk-oauth-client-id", "");
      zendesk.client_secret = keys::read_secret_text(args.get("zendesk-oauth-secret-file", ""));
      std::string public_url = args.get("public-url", "");
      while(!public_url.empty() && public_url.back() == '/') {
         public_url.pop_back();
      }
      zendesk.redirect_uri = public_url + "/v1/oauth/callback";
      std::string origins = args.get("app-origin", "");
      for(std::size_t at = 0; at <= origins.size();) {
         const auto comma = std::min(origins.find(',', at), origins.size());
         app_origins.push_back(origins.substr(at, comma - at));
         at = comma + 1;
      }
   }

   auto store = open_migrated(args);
   store->set_quotas(quotas);
   Keyring keyring(keys_dir);
   const SigningIdentity signing = keys::load_signing_key(keys_dir);
   const auto clock = make_clock();
   if(std::getenv(std::string(k_test_clock_variable).c_str()) != nullptr) {
      log::warn("test_clock_enabled", {{"variable", k_test_clock_variable}});
   }
   CertificateIssuer issuer(*store, keyring, signing, *clock, args.get("issuer", k_default_issuer), config.region);
   Authenticator auth(*store, keyring, *clock, args.get("audience", "leastdata"), zendesk_key);
   std::unique_ptr<SessionService> sessions;
   if(identity == "zendesk") {
      try {
         sessions = std::make_unique<SessionService>(*store, ZendeskClient(zendesk), role_recheck * k_second, app_origins);
      } catch(const std::invalid_argument& e) {
         throw UsageError(e.what());
      }
   } else {
      log::warn("identity_from_claims", {{"detail", "users and roles come from JWT claims that app code writes; "
                                                    "use --identity zendesk in production"}});
   }
   Api api(*store, *clock, auth, issuer, sessions.get(), config);

   limits.max_connections = raise_open_file_limit(limits.max_connections);
   HttpServer server(limits, static_cast<std::size_t>(threads));
   api.install(server);

   const int bound = server.bind(host, port);
   if(bound < 0) {
      throw CommandError(leastdata::ErrorCode::listen_failed, "cannot listen on " + args.get("listen", ""));
   }

   std::mutex mutex;
   std::condition_variable wake;
   bool stopping = false;
   std::thread sweeper([&] {
      if(sweep_interval == 0) {
         return;
      }
      std::unique_lock lock(mutex);
      do {
         lock.unlock();
         try {
            retention::sweep(*store, issuer, clock->now());
         } catch(const std::exception& e) {
            log::error("sweep_failed", {{"detail", e.what()}});
         }
         lock.lock();
      } while(!wake.wait_for(lock, std::chrono::seconds(sweep_interval), [&] { return stopping; }));
   });
   // Drops the unwrapped keys of tenants without a request for TenantKeyCache::k_ttl.
   std::thread key_janitor([&] {
      std::unique_lock lock(mutex);
      while(!wake.wait_for(lock, TenantKeyCache::k_ttl / 2, [&] { return stopping; })) {
         auth.purge_keys();
      }
   });
   std::thread signal_waiter([&] {
      int signal = 0;
      sigwait(&signals, &signal);
      log::info("stopping", {{"signal", signal}});
      server.stop();
   });

   log::info("listening", {{"host", host},
                           {"port", bound},
                           {"backend", store->backend()},
                           {"region", config.region},
                           {"rs256", zendesk_key != nullptr},
                           {"sweep_interval_s", sweep_interval},
                           {"threads", threads},
                           {"max_connections", limits.max_connections}});
   const bool ok = server.serve();
   {
      const std::lock_guard lock(mutex);
      stopping = true;
   }
   wake.notify_all();
   sweeper.join();
   key_janitor.join();
   if(signal_waiter.joinable()) {
      // listen ended without a signal (error): wake the waiter so it can finish.
      pthread_kill(signal_waiter.native_handle(), SIGTERM);
      signal_waiter.join();
   }
   return ok ? 0 : 1;
}

int run(int argc, char** argv) {
   const Args args = parse_args(argc, argv);
   if(args.positional.empty() || args.has("help") || args.positional[0] == "help") {
      std::cout << k_usage;
      return args.positional.empty() && !args.has("help") ? 2 : 0;
   }
   const std::string& command = args.positional[0];
   using Command = int (*)(const Args&);
   static const std::map<std::string, Command> commands = {
      {"keygen", keygen}, {"serve", serve}, {"tenant", tenant}, {"sweep", sweep},
      {"rotate-master-key", rotate_master_key}, {"certificate", certificate_command},
   };
   if(const auto it = commands.find(command); it != commands.end()) {
      return it->second(args);
   }
   throw UsageError("unknown command " + command);
}

void print_error(leastdata::ErrorCode code, const std::string& message) {
   std::cerr << leastdata::Error(code, message).to_json() << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
   ::umask(077);  // database files, keys and logs of this process are private
   try {
      return run(argc, argv);
   } catch(const UsageError& e) {
      print_error(leastdata::ErrorCode::usage, e.what());
      std::cerr << k_usage;
      return 2;
   } catch(const std::invalid_argument& e) {
      print_error(leastdata::ErrorCode::invalid_argument, e.what());
      return 2;
   } catch(const CommandError& e) {
      print_error(e.code(), e.what());
      return 1;
   } catch(const KeyError& e) {
      print_error(leastdata::ErrorCode::key_error, e.what());
      return 1;
   } catch(const leastdata::server::sql::DatabaseError& e) {
      print_error(leastdata::ErrorCode::database_error, e.what());
      return 1;
   } catch(const std::exception& e) {
      print_error(leastdata::ErrorCode::internal_error, e.what());
      return 1;
   }
}

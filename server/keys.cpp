// Reading and writing the keys directory. Secret file contents pass through std::string
// only briefly; the core's operator delete zeroes every freed heap block.
#include "keys.hpp"

#include "clock.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace leastdata::server {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_signing_file = "ed25519-signing.key";

constexpr const char* k_tenant_dir = "tenants";

fs::path tenant_file(const fs::path& dir, std::string_view tenant_id) {
   if(!keys::valid_tenant_id(tenant_id)) {
      throw KeyError("not a tenant id: a key file name is t_ and base64url");
   }
   return dir / k_tenant_dir / (std::string(tenant_id) + ".key");
}

std::string master_file(std::uint32_t version) {
   return "master-v" + std::to_string(version) + ".key";
}

std::optional<std::uint32_t> master_version_of(const std::string& name) {
   if(name.size() < 13 || name.rfind("master-v", 0) != 0 || name.substr(name.size() - 4) != ".key") {
      return std::nullopt;
   }
   const std::string digits = name.substr(8, name.size() - 12);
   if(digits.empty() || digits.size() > 9 || digits[0] == '0' ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
   }
   return static_cast<std::uint32_t>(std::stoul(digits));
}

std::string read_secret_file(const fs::path& path) {
   struct stat st{};
   if(::stat(path.c_str(), &st) != 0) {
      throw KeyError("cannot read " + path.string() + ": " + std::strerror(errno));
   }
   if((st.st_mode & 077) != 0) {
      throw KeyError(path.string() + " is accessible by group or others; run: chmod 600 " + path.string());
   }
   std::ifstream in(path, std::ios::binary);
   std::ostringstream text;
   text << in.rdbuf();
   if(!in) {
      throw KeyError("cannot read " + path.string());
   }
   std::string content = text.str();
   while(!content.empty() && (content.back() == '\n' || content.back() == '\r')) {
      content.pop_back();
   }
   return content;
}

void fsync_dir(const fs::path& dir) {
   const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
   if(fd >= 0) {
      ::fsync(fd);
      ::close(fd);
   }
}

// Creates `path` exclusively with mode 0600 and writes `content` durably.
void write_secret_file(const fs::path& path, std::string_view content) {
   const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
   if(fd < 0) {
      throw KeyError("cannot create " + path.string() + ": " + std::strerror(errno));
   }
   std::size_t written = 0;
   while(written < content.size()) {
      const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
      if(n <= 0) {
         ::close(fd);
         throw KeyError("cannot write " + path.string() + ": " + std::strerror(errno));
      }
      written += static_cast<std::size_t>(n);
   }
   if(::fchmod(fd, 0600) != 0 || ::fsync(fd) != 0) {
      ::close(fd);
      throw KeyError("cannot sync " + path.string() + ": " + std::strerror(errno));
   }
   ::close(fd);
   fsync_dir(path.parent_path());
}

// Overwrites the file with zeros, fsyncs, unlinks it and fsyncs its directory. On a
// journaling or copy-on-write file system the overwrite may land elsewhere; the unlink is
// what counts, which is why the keys directory must not be snapshotted or backed up.
bool destroy_file(const fs::path& path) {
   const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
   if(fd < 0) {
      if(errno == ENOENT) {
         return false;
      }
      throw KeyError("cannot open " + path.string() + " to destroy it: " + std::strerror(errno));
   }
   struct stat st{};
   if(::fstat(fd, &st) == 0 && st.st_size > 0) {
      const std::string zeros(static_cast<std::size_t>(st.st_size), '\0');
      if(::pwrite(fd, zeros.data(), zeros.size(), 0) < 0) {
         // Unlinking below still removes the name; the overwrite is best effort.
      }
      ::fsync(fd);
   }
   ::close(fd);
   if(::unlink(path.c_str()) != 0) {
      if(errno == ENOENT) {
         return false;  // another process destroyed it first
      }
      throw KeyError("cannot remove " + path.string() + ": " + std::strerror(errno));
   }
   fsync_dir(path.parent_path());
   return true;
}

Botan::secure_vector<std::uint8_t> decode_key(const std::string& text, const fs::path& path) {
   auto bytes = crypto::base64url_decode(text);
   if(!bytes || bytes.value().size() != 32) {
      throw KeyError(path.string() + " does not hold the base64url of 32 bytes");
   }
   Botan::secure_vector<std::uint8_t> key(bytes.value().begin(), bytes.value().end());
   return key;
}

std::string new_key_id() {
   std::array<std::uint8_t, 4> suffix{};
   crypto::random_bytes(suffix);
   static constexpr char hex[] = "0123456789abcdef";
   std::string id = "ed25519-" + format_day(SystemClock().now()) + "-";
   for(const auto b : suffix) {
      id += hex[b >> 4];
      id += hex[b & 15];
   }
   return id;
}

}  // namespace

Keyring::Keyring(fs::path dir) : m_dir(std::move(dir)) {
   const std::lock_guard lock(m_mutex);
   load_locked();
}

void Keyring::load_locked() {
   std::map<std::uint32_t, Botan::secure_vector<std::uint8_t>> keys;
   for(const std::uint32_t version : keys::master_versions(m_dir)) {
      const fs::path path = m_dir / master_file(version);
      keys.emplace(version, decode_key(read_secret_file(path), path));
   }
   if(keys.empty()) {
      throw KeyError("no master key (master-v<N>.key) in " + m_dir.string() + "; run keygen");
   }
   m_keys = std::move(keys);
}

MasterKey Keyring::current() {
   const std::lock_guard lock(m_mutex);
   const auto& [version, bytes] = *m_keys.rbegin();
   return MasterKey{version, bytes};
}

std::optional<MasterKey> Keyring::find(std::uint32_t version) {
   const std::lock_guard lock(m_mutex);
   auto it = m_keys.find(version);
   if(it == m_keys.end()) {
      load_locked();
      it = m_keys.find(version);
      if(it == m_keys.end()) {
         return std::nullopt;
      }
   }
   return MasterKey{it->first, it->second};
}

void Keyring::reload() {
   const std::lock_guard lock(m_mutex);
   load_locked();
}

std::optional<Botan::secure_vector<std::uint8_t>> Keyring::tenant_key(std::string_view tenant_id) const {
   const fs::path path = tenant_file(m_dir, tenant_id);
   std::error_code ec;
   if(!fs::exists(path, ec)) {
      return std::nullopt;
   }
   return decode_key(read_secret_file(path), path);
}

namespace keys {

std::vector<std::uint32_t> master_versions(const fs::path& dir) {
   std::vector<std::uint32_t> versions;
   std::error_code ec;
   for(const auto& entry : fs::directory_iterator(dir, ec)) {
      if(const auto v = master_version_of(entry.path().filename().string()); v && entry.is_regular_file()) {
         versions.push_back(*v);
      }
   }
   if(ec) {
      throw KeyError("cannot list " + dir.string() + ": " + ec.message());
   }
   std::sort(versions.begin(), versions.end());
   return versions;
}

std::string generate(const fs::path& dir) {
   std::error_code ec;
   fs::create_directories(dir, ec);
   if(ec) {
      throw KeyError("cannot create " + dir.string() + ": " + ec.message());
   }
   ::chmod(dir.c_str(), 0700);
   if(!master_versions(dir).empty() || fs::exists(dir / k_signing_file)) {
      throw KeyError(dir.string() + " already holds keys; refusing to overwrite them");
   }
   add_master_key(dir, 1);
   const auto signing = crypto::SigningKey::generate();
   const std::string key_id = new_key_id();
   const nlohmann::json file = {{"kid", key_id}, {"seed", crypto::base64url_encode(signing.seed())}};
   write_secret_file(dir / k_signing_file, file.dump() + "\n");
   return key_id;
}

SigningIdentity load_signing_key(const fs::path& dir) {
   const fs::path path = dir / k_signing_file;
   const std::string text = read_secret_file(path);
   const auto file = nlohmann::json::parse(text, nullptr, false);
   if(!file.is_object() || !file.contains("kid") || !file["kid"].is_string() || !file.contains("seed") ||
      !file["seed"].is_string()) {
      throw KeyError(path.string() + " is not {\"kid\":...,\"seed\":...}");
   }
   const auto seed = decode_key(file["seed"].get<std::string>(), path);
   auto key = crypto::SigningKey::from_seed(seed);
   if(!key) {
      throw KeyError(path.string() + ": " + key.error().message());
   }
   return SigningIdentity{file["kid"].get<std::string>(), std::move(key).value()};
}

void add_master_key(const fs::path& dir, std::uint32_t version) {
   Botan::secure_vector<std::uint8_t> key(32);
   crypto::random_bytes(key);
   write_secret_file(dir / master_file(version), crypto::base64url_encode(key) + "\n");
}

void retire_master_key(const fs::path& dir, std::uint32_t version) {
   destroy_file(dir / master_file(version));
}

std::string read_secret_text(const fs::path& path) {
   return read_secret_file(path);
}

bool valid_tenant_id(std::string_view id) {
   return id.size() > 2 && id.size() <= 64 && id.substr(0, 2) == "t_" &&
          std::all_of(id.begin() + 2, id.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
          });
}

Botan::secure_vector<std::uint8_t> add_tenant_key(const fs::path& dir, std::string_view tenant_id) {
   const fs::path path = tenant_file(dir, tenant_id);
   std::error_code ec;
   if(fs::create_directory(path.parent_path(), ec)) {
      ::chmod(path.parent_path().c_str(), 0700);
      fsync_dir(dir);
   } else if(ec) {
      throw KeyError("cannot create " + path.parent_path().string() + ": " + ec.message());
   }
   Botan::secure_vector<std::uint8_t> key(32);
   crypto::random_bytes(key);
   write_secret_file(path, crypto::base64url_encode(key) + "\n");
   return key;
}

bool destroy_tenant_key(const fs::path& dir, std::string_view tenant_id) {
   return destroy_file(tenant_file(dir, tenant_id));
}

}  // namespace keys

}  // namespace leastdata::server

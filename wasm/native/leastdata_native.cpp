// The native build of the core as a command: `leastdata-native filter --policy FILE
// [--ledger FILE] [--repeat N] [INPUT]`. It is the ceiling the wasm build is measured
// against (bench/) and the harness fuzzers and profilers run; it prints what the npm
// CLI prints, and with --repeat it reports throughput on stderr.
#include <leastdata/filter.hpp>
#include <leastdata/policy.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace {

std::optional<std::string> read_file(const std::string& path) {
   std::ifstream in(path, std::ios::binary);
   if(!in) {
      return std::nullopt;
   }
   return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int usage() {
   std::cerr << "usage: leastdata-native filter --policy FILE [--ledger FILE] [--repeat N] [INPUT]\n";
   return 2;
}

int fail(const leastdata::Error& error) {
   std::cerr << error.to_json() << "\n";
   return 2;
}

}  // namespace

int main(int argc, char** argv) {
   std::vector<std::string> args(argv + 1, argv + argc);
   if(args.empty() || args[0] != "filter") {
      return usage();
   }
   std::string policy_path, ledger_path, input_path;
   long repeat = 1;
   for(std::size_t i = 1; i < args.size(); ++i) {
      if(args[i] == "--policy" && i + 1 < args.size()) {
         policy_path = args[++i];
      } else if(args[i] == "--ledger" && i + 1 < args.size()) {
         ledger_path = args[++i];
      } else if(args[i] == "--repeat" && i + 1 < args.size()) {
         repeat = std::stol(args[++i]);
      } else if(input_path.empty() && args[i].rfind("--", 0) != 0) {
         input_path = args[i];
      } else {
         return usage();
      }
   }
   if(policy_path.empty() || repeat < 1) {
      return usage();
   }
   const auto policy_text = read_file(policy_path);
   if(!policy_text) {
      return fail(leastdata::Error(leastdata::ErrorCode::invalid_argument, "cannot read " + policy_path));
   }
   auto policy = leastdata::Policy::compile(*policy_text);
   if(!policy) {
      return fail(policy.error());
   }
   std::string input;
   if(input_path.empty()) {
      input.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
   } else if(auto text = read_file(input_path)) {
      input = std::move(*text);
   } else {
      return fail(leastdata::Error(leastdata::ErrorCode::invalid_argument, "cannot read " + input_path));
   }

   const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
   leastdata::WipedBuffer output;
   leastdata::Ledger ledger;
   const auto start = std::chrono::steady_clock::now();
   for(long i = 0; i != repeat; ++i) {
      leastdata::Status status = leastdata::filter(policy.value(), bytes, output, ledger_path.empty() ? nullptr : &ledger);
      if(!status) {
         return fail(status.error());
      }
   }
   const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
   if(repeat > 1) {
      const double mb = static_cast<double>(input.size()) * static_cast<double>(repeat) / 1e6;
      std::fprintf(stderr, "%.1f MB/s (%ld runs of %zu bytes in %.3f s)\n", mb / elapsed.count(), repeat, input.size(),
                   elapsed.count());
   }
   std::fwrite(output.data(), 1, output.size(), stdout);
   std::fputc('\n', stdout);
   if(!ledger_path.empty()) {
      std::ofstream(ledger_path, std::ios::binary) << ledger.to_json() << "\n";
   }
   return 0;
}

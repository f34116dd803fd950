// Copyright 2026 The gralloc for Linux Authors.

#include "bench/rounds.h"

#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace gralloc::bench {
namespace {

// Passes the rounds' runs to the console and to one JSON reporter: the
// context once, every run, and the end (Finish()) once, after the last
// round rather than after each.
class RoundsReporter : public benchmark::BenchmarkReporter {
 public:
  RoundsReporter(benchmark::BenchmarkReporter* console,
                 benchmark::BenchmarkReporter* json)
      : console_(console), json_(json) {}

  bool ReportContext(const Context& context) override {
    if (context_reported_) return true;
    context_reported_ = true;
    const bool console_ok = console_->ReportContext(context);
    const bool json_ok = json_ == nullptr || json_->ReportContext(context);
    return console_ok && json_ok;
  }

  void ReportRuns(const std::vector<Run>& runs) override {
    console_->ReportRuns(runs);
    if (json_ != nullptr) json_->ReportRuns(runs);
  }

  void Finalize() override {}  // once, by Finish()

  void Finish() {
    console_->Finalize();
    if (json_ != nullptr) json_->Finalize();
  }

 private:
  benchmark::BenchmarkReporter* console_;
  benchmark::BenchmarkReporter* json_;
  bool context_reported_ = false;
};

}  // namespace

bool TakeRoundsOutput(int* argc, char** argv, RoundsOutput* output) {
  int kept = 1;
  for (int i = 1; i < *argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--benchmark_out=")) {
      output->path = std::string(arg);
    } else if (absl::ConsumePrefix(&arg, "--benchmark_out_format=")) {
      output->format = std::string(arg);
    } else {
      argv[kept++] = argv[i];
    }
  }
  *argc = kept;
  argv[kept] = nullptr;
  if (output->format != "json") {
    std::cerr << "allocation_bench: --rounds writes json only, not "
              << output->format << "\n";
    return false;
  }
  return true;
}

int RunRounds(int rounds, const RoundsOutput& output) {
  benchmark::ConsoleReporter console(benchmark::ConsoleReporter::OO_Tabular);
  std::ofstream file;
  std::unique_ptr<benchmark::JSONReporter> json;
  if (!output.path.empty()) {
    file.open(output.path, std::ios::out | std::ios::trunc);
    if (!file) {
      std::cerr << "allocation_bench: cannot write " << output.path << "\n";
      return -1;
    }
    json = std::make_unique<benchmark::JSONReporter>();
    json->SetOutputStream(&file);
    json->SetErrorStream(&std::cerr);
  }
  RoundsReporter reporter(&console, json.get());
  int runs = 0;
  for (int round = 1; round <= rounds; ++round) {
    std::cerr << "allocation_bench: round " << round << " of " << rounds
              << "\n";
    runs += static_cast<int>(benchmark::RunSpecifiedBenchmarks(&reporter));
  }
  reporter.Finish();
  file.close();
  if (!output.path.empty() && !file) {
    std::cerr << "allocation_bench: writing " << output.path << " failed\n";
    return -1;
  }
  return runs;
}

}  // namespace gralloc::bench

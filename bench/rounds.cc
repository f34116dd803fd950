// Copyright 2026 The gralloc for Linux Authors.

#include "bench/rounds.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

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

bool RunRounds(int rounds, const RoundsOutput& output) {
  benchmark::ConsoleReporter console(benchmark::ConsoleReporter::OO_Tabular);
  std::ofstream file;
  std::unique_ptr<benchmark::JSONReporter> json;
  if (!output.path.empty()) {
    file.open(output.path, std::ios::out | std::ios::trunc);
    if (!file) {
      std::cerr << "allocation_bench: cannot write " << output.path << "\n";
      return false;
    }
    json = std::make_unique<benchmark::JSONReporter>();
    json->SetOutputStream(&file);
    json->SetErrorStream(&std::cerr);
  }
  RoundsReporter reporter(&console, json.get());
  for (int round = 1; round <= rounds; ++round) {
    std::cerr << "allocation_bench: round " << round << " of " << rounds
              << "\n";
    benchmark::RunSpecifiedBenchmarks(&reporter);
  }
  reporter.Finish();
  file.close();
  if (!output.path.empty() && !file) {
    std::cerr << "allocation_bench: writing " << output.path << " failed\n";
    return false;
  }
  return true;
}

}  // namespace gralloc::bench

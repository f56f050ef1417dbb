// The measurement side of bench_throughput (bench/replay/throughput.cc): a stage's runs and
// their CPU, wall and kernel time, measured in interleaved rounds.
#ifndef TAPEDECK_BENCH_REPLAY_THROUGHPUT_STAGES_H_
#define TAPEDECK_BENCH_REPLAY_THROUGHPUT_STAGES_H_

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bench/replay/throughput_tapes.h"

namespace tapedeck::bench {


struct Stage {
  std::string name;
  std::string what;
  uint64_t events = 0;
  double best_s = 0;              // CPU seconds of the fastest run
  std::vector<double> runs_s;     // CPU seconds (user + system) of each run
  std::vector<double> wall_s;     // wall-clock seconds of each run
  std::vector<double> sys_s;      // of runs_s, the kernel's part (page faults, mapping)
  std::vector<int64_t> faults;    // page faults of each run (minor + major)
  size_t best = 0;                // index of the fastest run
  uint64_t check = 0;  // a value derived from the work, printed so it cannot be optimised away
  double rate() const { return best_s > 0 ? static_cast<double>(events) / best_s : 0; }
};

using Clock = std::chrono::steady_clock;

// CPU time of the process (user + system: page faults on the mapping count), in seconds. Rates
// use it rather than wall time because the machine is shared: a run that waits for a core does
// not charge the wait to tapedeck. The harness is single-threaded, so the two agree on an idle
// machine (both are in the JSON).
inline double CpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The process's system CPU seconds and page faults so far: what the kernel did for a run (fresh
// pages for the tape's mapping and for growing buffers) is the part of its time most likely to
// swing between runs on a shared VM, so each run's share is recorded next to its time.
struct KernelShare {
  double sys_s = 0;
  int64_t faults = 0;
};
inline KernelShare KernelSoFar() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return {static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) * 1e-6,
          static_cast<int64_t>(ru.ru_minflt) + static_cast<int64_t>(ru.ru_majflt)};
}

// One stage of the harness: its body runs the work once and returns (events, check) or an error.
struct StagePlan {
  std::string name;
  std::string what;
  std::function<absl::Status(uint64_t*, uint64_t*)> body;
};

// Runs every stage once per round, for `repeat` rounds, and keeps each stage's fastest run.
// Interleaved rather than stage after stage: the machine is shared, and a spell of load from a
// neighbour then slows one run of each stage rather than every run of one, which would skew
// the ratios between stages (the framework tax among them) that the harness exists to measure.
inline absl::StatusOr<std::vector<Stage>> MeasureInterleaved(const std::vector<StagePlan>& plans,
                                                             int repeat) {
  std::vector<Stage> stages(plans.size());
  for (size_t i = 0; i < plans.size(); ++i) {
    stages[i].name = plans[i].name;
    stages[i].what = plans[i].what;
  }
  for (int round = 0; round < repeat; ++round) {
    for (size_t i = 0; i < plans.size(); ++i) {
      Stage& st = stages[i];
      uint64_t events = 0, check = 0;
      const auto t0 = Clock::now();
      const KernelShare k0 = KernelSoFar();
      const double c0 = CpuSeconds();
      if (auto s = plans[i].body(&events, &check); !s.ok()) return Fail(st.name, s);
      st.runs_s.push_back(CpuSeconds() - c0);
      st.wall_s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
      const KernelShare k1 = KernelSoFar();
      st.sys_s.push_back(k1.sys_s - k0.sys_s);
      st.faults.push_back(k1.faults - k0.faults);
      st.events = events;
      st.check = check;
    }
    std::fprintf(stderr, "bench_throughput: round %d of %d done\n", round + 1, repeat);
  }
  for (Stage& st : stages) {
    st.best = static_cast<size_t>(std::min_element(st.runs_s.begin(), st.runs_s.end()) -
                                 st.runs_s.begin());
    st.best_s = st.runs_s[st.best];
    std::fprintf(stderr,
                 "  %-13s %8.1f M events/s  (%llu events, best of %d: %.3f s CPU, %.3f s of it "
                 "system, %lld page faults)\n",
                 st.name.c_str(), st.rate() / 1e6, static_cast<unsigned long long>(st.events),
                 repeat, st.best_s, st.sys_s[st.best], static_cast<long long>(st.faults[st.best]));
  }
  return stages;
}

}  // namespace tapedeck::bench

#endif  // TAPEDECK_BENCH_REPLAY_THROUGHPUT_STAGES_H_

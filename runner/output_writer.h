// The files a run writes, the same for `run`, `paper` and a replayed journal:
//   summary.json  run facts, PnL, per-instrument results, the strategy's report, the config
//   orders.csv    every request the strategy sent, in order (new orders, modifies and cancels)
//   fills.csv     every fill the strategy learnt of, in order
//   equity.csv    the equity curve, sampled at output.equity_interval of strategy time
//   prices.csv    last price, quote mid and position of every instrument at the equity.csv
//                 timestamps (backtests only: runner/series.h)
//   round_trips.csv  flat-to-flat position cycles per instrument (core/metrics.h)
//   account.csv   funding payments, settlements and liquidations made by the venue, in order
//   digest.txt    FNV-1a 64-bit digests of orders.csv and fills.csv (and account.csv when it has
//                 rows), and of them together
// The tables are written as the records come (OutputWriter is a RecordSink), into a directory
// that is not yet the output directory: the staging directory of runner/output_set.h, which
// replaces the output directory as a whole once everything is written. So a failed run (or, in
// a run of several strategies, a failure of any of them) leaves no output behind, and a crash
// never leaves a half-written file or a mix of two runs. Nothing here depends on the wall clock:
// same inputs, same bytes.
#ifndef TAPEDECK_RUNNER_OUTPUT_WRITER_H_
#define TAPEDECK_RUNNER_OUTPUT_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/instrument.h"
#include "nlohmann/json.hpp"
#include "runner/records.h"
#include "runner/series.h"

namespace tapedeck::runner {

// Writes `content` to `path` through a temporary file in the same directory and a rename; an
// interrupt (SIGINT, SIGTERM) removes the temporary (core/interrupt_cleanup.h).
absl::Status WriteFileAtomically(const std::string& path, std::string_view content);

// FNV-1a, 64 bits: the digest of order and fill lists (not a cryptographic hash).
uint64_t Fnv1a64(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ULL);
std::string Hex64(uint64_t v);

struct RunDigests {
  uint64_t orders = 0;
  uint64_t fills = 0;
  uint64_t account = 0;
  // orders.csv then fills.csv hashed as one stream, then account.csv when it has rows (runs
  // without account events, every run before they existed, keep their digests).
  uint64_t run = 0;
  bool has_account = false;

  std::string RunHex() const { return Hex64(run); }
  std::string Text() const;        // digest.txt
  nlohmann::json ToJson() const;   // summary.json's "digest"
};

// One CSV table: rows hashed as they are appended and, with a path, written through a buffer.
class TableFile {
 public:
  TableFile() = default;
  TableFile(const TableFile&) = delete;
  TableFile& operator=(const TableFile&) = delete;
  ~TableFile();

  // `path` empty: nothing is written; `keep` then holds the bytes in memory for Rehash.
  absl::Status Open(std::string path, std::string_view header, bool keep);
  void Append(std::string_view row);
  // Flushes and closes the file (fsync'd).
  absl::Status Close();
  uint64_t digest() const { return digest_; }
  bool has_rows() const { return rows_ > 0; }
  // The FNV-1a of the whole table started from `seed`, read back from the file (or memory).
  absl::StatusOr<uint64_t> Rehash(uint64_t seed) const;

 private:
  absl::Status Flush();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;  // bytes not yet written (all of them when there is no file)
  bool keep_ = false;
  uint64_t digest_ = 0xcbf29ce484222325ULL;
  uint64_t rows_ = 0;
  absl::Status status_;  // the first write error
};

class OutputWriter final : public RecordSink {
 public:
  // `dir` empty: no files, only the digests (a sweep point). `prices`: write prices.csv (from
  // OnSample). `dir` is a staging directory (runner/output_set.h) or a folder in one; it is
  // created when missing.
  static absl::StatusOr<std::unique_ptr<OutputWriter>> Open(const std::string& dir,
                                                            const InstrumentTable& instruments,
                                                            bool prices);
  ~OutputWriter() override;

  void OnOrder(const OrderLogEntry& o) override;
  void OnFill(const FillLogEntry& f) override;
  void OnAccount(const AccountLogEntry& a) override;
  void OnEquity(const EquityPoint& e) override;
  void OnSample(const SeriesSample& s);

  // Ends the tables and returns their digests.
  absl::StatusOr<RunDigests> FinishTables();
  // Writes round_trips.csv, digest.txt and summary.json.
  absl::Status FinishFiles(std::string_view round_trips_csv, const nlohmann::json& summary);

  const std::string& dir() const { return dir_; }

 private:
  OutputWriter(std::string dir, const InstrumentTable& instruments);
  std::string PathOf(std::string_view name) const;

  std::string dir_;
  const InstrumentTable* instruments_;
  TableFile orders_, fills_, equity_, account_, prices_;
  bool prices_enabled_ = false;
  std::string row_;  // reused row buffer
  RunDigests digests_;
};

}  // namespace tapedeck::runner

#endif  // TAPEDECK_RUNNER_OUTPUT_WRITER_H_

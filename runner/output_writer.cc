#include "runner/output_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/interrupt_cleanup.h"
#include "core/status.h"
#include "runner/csv_tables.h"

namespace tapedeck::runner {
namespace {

constexpr size_t kFlushBytes = 1 << 20;  // a table's buffer is written out past this

std::string TempName(const std::string& path) { return absl::StrCat(path, ".tmp.", ::getpid()); }

// Writes `content` to `tmp` and syncs it to disk.
absl::Status WriteWhole(const std::string& tmp, std::string_view content) {
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(tmp, ": cannot create: ", std::strerror(errno)));
  }
  const size_t n = std::fwrite(content.data(), 1, content.size(), f);
  const bool flushed = std::fflush(f) == 0 && ::fsync(::fileno(f)) == 0;
  const bool closed = std::fclose(f) == 0;
  if (n != content.size() || !flushed || !closed) {
    std::remove(tmp.c_str());
    return absl::DataLossError(absl::StrCat(tmp, ": write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status Rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    std::remove(from.c_str());
    return absl::DataLossError(absl::StrCat(to, ": rename failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t Fnv1a64(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string Hex64(uint64_t v) { return absl::StrFormat("%016x", v); }

absl::Status WriteFileAtomically(const std::string& path, std::string_view content) {
  const std::string tmp = TempName(path);
  InterruptCleanup cleanup(tmp);
  TAPEDECK_RETURN_IF_ERROR(WriteWhole(tmp, content));
  return Rename(tmp, path);
}

std::string RunDigests::Text() const {
  return absl::StrCat("orders ", Hex64(orders), "\nfills ", Hex64(fills),
                      has_account ? absl::StrCat("\naccount ", Hex64(account)) : std::string(),
                      "\nrun ", Hex64(run), "\n");
}

nlohmann::json RunDigests::ToJson() const {
  nlohmann::json j = {{"orders", Hex64(orders)}, {"fills", Hex64(fills)}, {"run", Hex64(run)}};
  if (has_account) j["account"] = Hex64(account);
  return j;
}

// --- TableFile ---

TableFile::~TableFile() {
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status TableFile::Open(std::string path, std::string_view header, bool keep) {
  path_ = std::move(path);
  keep_ = keep || !path_.empty();
  if (!path_.empty()) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) {
      return absl::PermissionDeniedError(
          absl::StrCat(path_, ": cannot create: ", std::strerror(errno)));
    }
  }
  Append(header);
  rows_ = 0;
  return absl::OkStatus();
}

void TableFile::Append(std::string_view row) {
  digest_ = Fnv1a64(row, digest_);
  ++rows_;
  if (!keep_) return;
  buffer_.append(row);
  if (file_ != nullptr && buffer_.size() >= kFlushBytes) status_.Update(Flush());
}

absl::Status TableFile::Flush() {
  if (file_ == nullptr || buffer_.empty()) return absl::OkStatus();
  const size_t size = buffer_.size();
  const size_t n = std::fwrite(buffer_.data(), 1, size, file_);
  buffer_.clear();
  if (n != size) {
    return absl::DataLossError(absl::StrCat(path_, ": write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status TableFile::Close() {
  if (file_ == nullptr) return status_;
  status_.Update(Flush());
  const bool synced = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!synced || !closed) {
    status_.Update(absl::DataLossError(absl::StrCat(path_, ": write failed: ", std::strerror(errno))));
  }
  return status_;
}

absl::StatusOr<uint64_t> TableFile::Rehash(uint64_t seed) const {
  if (path_.empty()) return Fnv1a64(buffer_, seed);
  std::FILE* f = std::fopen(path_.c_str(), "rb");
  if (f == nullptr) {
    return absl::DataLossError(absl::StrCat(path_, ": cannot read back: ", std::strerror(errno)));
  }
  std::string chunk(1 << 16, '\0');
  uint64_t h = seed;
  for (size_t n; (n = std::fread(chunk.data(), 1, chunk.size(), f)) > 0;) {
    h = Fnv1a64(std::string_view(chunk.data(), n), h);
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return absl::DataLossError(absl::StrCat(path_, ": read back failed"));
  return h;
}

// --- OutputWriter ---

OutputWriter::OutputWriter(std::string dir, const InstrumentTable& instruments)
    : dir_(std::move(dir)), instruments_(&instruments) {}

OutputWriter::~OutputWriter() = default;

std::string OutputWriter::PathOf(std::string_view name) const {
  return dir_.empty() ? std::string() : absl::StrCat(dir_, "/", std::string(name));
}

absl::StatusOr<std::unique_ptr<OutputWriter>> OutputWriter::Open(
    const std::string& dir, const InstrumentTable& instruments, bool prices) {
  std::unique_ptr<OutputWriter> w(new OutputWriter(dir, instruments));
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return absl::PermissionDeniedError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  }
  // fills and account are read again for the run digest, so they are kept even without files.
  TAPEDECK_RETURN_IF_ERROR(w->orders_.Open(w->PathOf("orders.csv"), kOrdersHeader, false));
  TAPEDECK_RETURN_IF_ERROR(w->fills_.Open(w->PathOf("fills.csv"), kFillsHeader, true));
  TAPEDECK_RETURN_IF_ERROR(w->account_.Open(w->PathOf("account.csv"), kAccountHeader, true));
  if (!dir.empty()) {
    TAPEDECK_RETURN_IF_ERROR(w->equity_.Open(w->PathOf("equity.csv"), kEquityHeader, false));
    w->prices_enabled_ = prices;
    if (prices) {
      TAPEDECK_RETURN_IF_ERROR(w->prices_.Open(w->PathOf("prices.csv"), kPricesHeader, false));
    }
  }
  return w;
}

void OutputWriter::OnOrder(const OrderLogEntry& o) {
  row_.clear();
  AppendOrderRow(*instruments_, o, &row_);
  orders_.Append(row_);
}

void OutputWriter::OnFill(const FillLogEntry& f) {
  row_.clear();
  AppendFillRow(*instruments_, f, &row_);
  fills_.Append(row_);
}

void OutputWriter::OnAccount(const AccountLogEntry& a) {
  row_.clear();
  AppendAccountRow(*instruments_, a, &row_);
  account_.Append(row_);
}

void OutputWriter::OnEquity(const EquityPoint& e) {
  if (dir_.empty()) return;  // no digest covers it
  row_.clear();
  AppendEquityRow(e, &row_);
  equity_.Append(row_);
}

void OutputWriter::OnSample(const SeriesSample& s) {
  if (dir_.empty() || !prices_enabled_) return;
  row_.clear();
  AppendPriceRows(*instruments_, s, &row_);
  prices_.Append(row_);
}

absl::StatusOr<RunDigests> OutputWriter::FinishTables() {
  for (TableFile* t : {&orders_, &fills_, &account_, &equity_, &prices_}) {
    TAPEDECK_RETURN_IF_ERROR(t->Close());
  }
  digests_.orders = orders_.digest();
  digests_.fills = fills_.digest();
  digests_.account = account_.digest();
  digests_.has_account = account_.has_rows();
  TAPEDECK_ASSIGN_OR_RETURN(digests_.run, fills_.Rehash(digests_.orders));
  if (digests_.has_account) {
    TAPEDECK_ASSIGN_OR_RETURN(digests_.run, account_.Rehash(digests_.run));
  }
  return digests_;
}

absl::Status OutputWriter::FinishFiles(std::string_view round_trips_csv,
                                       const nlohmann::json& summary) {
  if (dir_.empty()) return absl::OkStatus();
  // Strings from data files (symbols) may hold bytes that are not UTF-8: replaced, not thrown.
  const std::string summary_text =
      summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::string digest_text = digests_.Text();
  const std::pair<const char*, std::string_view> files[] = {
      {"round_trips.csv", round_trips_csv},
      {"digest.txt", digest_text},
      {"summary.json", summary_text},
  };
  for (const auto& [name, content] : files) {
    TAPEDECK_RETURN_IF_ERROR(WriteWhole(PathOf(name), content));
  }
  return absl::OkStatus();
}

}  // namespace tapedeck::runner

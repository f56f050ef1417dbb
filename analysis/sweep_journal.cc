#include "analysis/sweep_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace tapedeck::analysis {
namespace {

constexpr char kSchema[] = "tapedeck.sweep-journal/1";

nlohmann::json Header(const SweepTable& table) {
  return {{"schema", kSchema},
          {"grid_digest", table.grid_digest},
          {"points", table.points},
          {"shard", table.shard}};
}

absl::Status Errno(const std::string& path, const char* what) {
  return absl::InternalError(absl::StrCat(path, ": ", what, ": ", std::strerror(errno)));
}

// The journal's complete lines (each ends in '\n') and the byte length they take.
struct JournalText {
  std::vector<std::string> lines;
  size_t complete_bytes = 0;
};

absl::StatusOr<JournalText> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": no journal to resume (run the sweep without --resume)"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  JournalText j;
  size_t begin = 0;
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', begin)) {
    j.lines.push_back(text.substr(begin, nl - begin));
    begin = nl + 1;
  }
  j.complete_bytes = begin;
  return j;
}

// The first line must name this very sweep.
absl::Status CheckHeader(const std::string& path, const std::vector<std::string>& lines,
                         const SweepTable& table) {
  nlohmann::json h = nlohmann::json::parse(lines.empty() ? "" : lines[0], nullptr, false);
  if (!h.is_object() || h.value("schema", "") != kSchema) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":1: not a sweep journal"));
  }
  const nlohmann::json want = Header(table);
  for (const char* key : {"grid_digest", "points", "shard"}) {
    if (h[key] != want[key]) {
      return absl::FailedPreconditionError(absl::StrCat(
          path, ":1: ", key, ": the journal is of another sweep (", h[key].dump(), ", this one ",
          want[key].dump(), "): a changed grid, config or --shard cannot resume it"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string SweepJournalPath(const std::string& out_dir) { return out_dir + "/sweep.journal"; }

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::unique_ptr<SweepJournal>> SweepJournal::Create(const std::string& path,
                                                                   const SweepTable& table) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Errno(path, "cannot create the sweep journal");
  std::unique_ptr<SweepJournal> j(new SweepJournal(path, fd, table.params));
  TAPEDECK_RETURN_IF_ERROR(j->WriteLine(Header(table).dump()));
  return j;
}

absl::StatusOr<std::unique_ptr<SweepJournal>> SweepJournal::Resume(const std::string& path,
                                                                   const SweepTable& table,
                                                                   std::vector<SweepRow>* done) {
  TAPEDECK_ASSIGN_OR_RETURN(const JournalText text, ReadLines(path));
  TAPEDECK_RETURN_IF_ERROR(CheckHeader(path, text.lines, table));
  for (size_t i = 1; i < text.lines.size(); ++i) {
    const nlohmann::json row = nlohmann::json::parse(text.lines[i], nullptr, false);
    absl::StatusOr<SweepRow> r =
        SweepRowFromJson(row, table.params, absl::StrCat(path, ":", i + 1));
    if (!r.ok()) return r.status();
    if (r->index >= table.points) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", i + 1, ": index: ", r->index, " is not a point of this sweep"));
    }
    done->push_back(*std::move(r));
  }
  // Drop a torn last line, then append after the complete ones.
  if (::truncate(path.c_str(), static_cast<off_t>(text.complete_bytes)) != 0) {
    return Errno(path, "cannot truncate the sweep journal");
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Errno(path, "cannot open the sweep journal");
  return std::unique_ptr<SweepJournal>(new SweepJournal(path, fd, table.params));
}

absl::Status SweepJournal::Append(const SweepRow& row) {
  return WriteLine(SweepRowJson(row, params_).dump());
}

absl::Status SweepJournal::WriteLine(const std::string& line) {
  const std::string text = line + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  // One write: with O_APPEND the line lands whole after the previous ones, or (a kill inside the
  // call, a full disk) as a torn last line that Resume ignores.
  const ssize_t n = ::write(fd_, text.data(), text.size());
  if (n != static_cast<ssize_t>(text.size())) return Errno(path_, "cannot write the sweep journal");
  return absl::OkStatus();
}

}  // namespace tapedeck::analysis

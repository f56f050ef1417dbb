#include "runner/output_set.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status.h"
#include "runner/output_writer.h"

namespace tapedeck::runner {
namespace {

namespace fs = std::filesystem;

constexpr char kStagingTag[] = ".tapedeck-staging-";

absl::Status ErrnoError(const std::string& path, std::string_view what) {
  return absl::PermissionDeniedError(
      absl::StrCat(path, ": ", std::string(what), ": ", std::strerror(errno)));
}

// fsync of a directory, so that the renames and files in it reach the disk in order.
void SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Removes the `.tapedeck-staging-<pid>-<n>` folders in `parent` whose process is gone (a kill -9
// left them). Those of live processes, this one included, may be in use.
void RemoveLeftovers(const fs::path& parent) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kStagingTag, 0) != 0) continue;
    const std::string rest = name.substr(sizeof(kStagingTag) - 1);
    char* end = nullptr;
    const long pid = std::strtol(rest.c_str(), &end, 10);
    if (pid <= 0 || end == rest.c_str() || *end != '-') continue;
    if (pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      RemoveTreeSignalSafe(e.path().c_str());
    }
  }
}

// Whether every entry of `target` is one of `names`.
bool OnlyHolds(const fs::path& target, const std::vector<std::string>& names) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(target, ec)) {
    if (std::find(names.begin(), names.end(), e.path().filename().string()) == names.end()) {
      return false;
    }
  }
  return !ec;
}

// Whether `target` may be replaced: absent, an empty directory, one with the marker, or one that
// holds only files of this run (`adopt`).
absl::Status CheckReplaceable(const std::string& dir, const fs::path& target,
                              const std::vector<std::string>& adopt) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(target, ec);
  if (!fs::exists(st)) return absl::OkStatus();
  if (!fs::is_directory(st)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": exists and is not a directory; choose another output directory"));
  }
  if (OnlyHolds(target, adopt) || fs::exists(target / kCompleteMarker, ec)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      dir, ": exists, is not empty and is not a tapedeck output directory (it has no ",
      kCompleteMarker, "); nothing in it was changed. Choose another output directory, or empty "
      "it (a run by an earlier tapedeck has no marker: remove it once)"));
}

}  // namespace

void KillPointForTest(const char* name) {
  const char* at = std::getenv("TAPEDECK_TEST_KILL_AT");
  if (at != nullptr && std::strcmp(at, name) == 0) ::kill(::getpid(), SIGKILL);
}

absl::Status ReplaceInFile(const std::string& path, std::string_view from, std::string_view to) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError(path, "cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (from.empty() || text.find(from) == std::string::npos) return absl::OkStatus();
  std::string out;
  size_t at = 0;
  for (size_t hit; (hit = text.find(from, at)) != std::string::npos; at = hit + from.size()) {
    out.append(text, at, hit - at);
    out.append(to);
  }
  out.append(text, at, std::string::npos);
  return WriteFileAtomically(path, out);
}

absl::Status PrepareLiveOutputDir(const std::string& dir, const std::string& live) {
  std::error_code ec;
  const fs::path target(dir);
  if (fs::exists(target / kCompleteMarker, ec)) {
    // An earlier finished run: it is replaced by this one from the start.
    if (!RemoveTreeSignalSafe(target.c_str())) return ErrnoError(dir, "cannot remove the earlier run");
  } else if (fs::exists(target / live, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, ": holds ", live, " of a session that did not finish (no ", kCompleteMarker,
        "); replay it (`tapedeck run --journal ", dir, "/", live,
        "`) or move it away, then run again"));
  } else {
    TAPEDECK_RETURN_IF_ERROR(CheckReplaceable(dir, fs::absolute(target, ec), {}));
  }
  fs::create_directories(target, ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  return absl::OkStatus();
}

bool IsCompleteOutputDir(const std::string& dir) {
  std::error_code ec;
  return fs::exists(fs::path(dir) / kCompleteMarker, ec);
}

absl::StatusOr<std::unique_ptr<OutputSet>> OutputSet::Begin(const std::string& dir,
                                                            std::vector<std::string> adopt) {
  std::unique_ptr<OutputSet> set(new OutputSet());
  set->dir_ = dir;
  set->adopt_ = std::move(adopt);
  std::error_code ec;
  fs::path target = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat(dir, ": ", ec.message()));
  if (!target.has_filename()) target = target.parent_path();
  if (!target.has_filename() || target == target.root_path()) {
    return absl::InvalidArgumentError(absl::StrCat(dir, ": cannot replace the root directory"));
  }
  set->target_ = target.string();
  TAPEDECK_RETURN_IF_ERROR(CheckReplaceable(dir, target, set->adopt_));
  for (fs::path q = target.parent_path(); !q.empty() && !fs::exists(q, ec); q = q.parent_path()) {
    set->created_parents_.push_back(q.string());
  }
  fs::create_directories(target.parent_path(), ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat(dir, ": cannot create: ", ec.message()));
  RemoveLeftovers(target.parent_path());
  // Several sets of one process (a sweep's windows) may share a parent: each has its own folder.
  static std::atomic<uint64_t> next_set{0};
  set->staging_root_ = (target.parent_path() /
                        absl::StrCat(kStagingTag, ::getpid(), "-", next_set.fetch_add(1)))
                           .string();
  set->staging_ = (fs::path(set->staging_root_) / target.filename()).string();
  set->staging_cleanup_ = InterruptCleanup(set->staging_root_);
  if (::mkdir(set->staging_root_.c_str(), 0755) != 0 || ::mkdir(set->staging_.c_str(), 0755) != 0) {
    return ErrnoError(set->staging_, "cannot create the staging directory");
  }
  return set;
}

OutputSet::~OutputSet() {
  if (!done_) Abort();
}

absl::Status OutputSet::Commit() {
  // Files this run wrote into the output folder itself join the set as hard links: they stay
  // where they are until the exchange puts the set (with them) in place.
  std::error_code ec;
  for (const std::string& name : adopt_) {
    const std::string from = target_ + "/" + name;
    if (!fs::exists(from, ec)) continue;
    if (::link(from.c_str(), (staging_ + "/" + name).c_str()) != 0) {
      return ErrnoError(from, "cannot link into the finished outputs");
    }
  }
  KillPointForTest("before-marker");
  // The marker last: a directory without it is not a finished run.
  const std::string marker = staging_ + "/" + kCompleteMarker;
  const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(marker, "cannot create");
  constexpr std::string_view kText = "tapedeck: this run's outputs are complete\n";
  const bool written = ::write(fd, kText.data(), kText.size()) == static_cast<ssize_t>(kText.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced) return ErrnoError(marker, "cannot write");
  SyncDir(staging_);
  KillPointForTest("before-swap");
  if (!fs::exists(fs::symlink_status(target_, ec))) {
    if (::rename(staging_.c_str(), target_.c_str()) != 0) {
      return ErrnoError(dir_, "cannot rename the finished outputs into place");
    }
  } else if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(),
                         RENAME_EXCHANGE) != 0) {
    // No atomic exchange here (an old kernel or file system): the earlier run moves aside
    // first, so the output directory is briefly absent, never mixed.
    if (errno != EINVAL && errno != ENOSYS) {
      return ErrnoError(dir_, "cannot exchange the finished outputs with the earlier run");
    }
    const std::string aside = staging_root_ + "/previous";
    if (::rename(target_.c_str(), aside.c_str()) != 0) {
      return ErrnoError(dir_, "cannot move the earlier run aside");
    }
    if (::rename(staging_.c_str(), target_.c_str()) != 0) {
      return ErrnoError(dir_, "cannot rename the finished outputs into place");
    }
  }
  SyncDir(fs::path(target_).parent_path().string());
  done_ = true;
  // The hidden folder now holds the earlier run (or nothing); it stays registered for an
  // interrupt until it is gone.
  KillPointForTest("after-swap");
  if (const char* at = std::getenv("TAPEDECK_TEST_KILL_AT");
      at != nullptr && std::strcmp(at, "during-remove") == 0) {
    // The removal of the earlier run begun: its marker gone, the rest still there.
    ::unlink((staging_ + "/" + kCompleteMarker).c_str());
    ::kill(::getpid(), SIGKILL);
  }
  RemoveTreeSignalSafe(staging_root_.c_str());
  staging_cleanup_.Release();
  return absl::OkStatus();
}

void OutputSet::Abort() {
  if (!staging_root_.empty()) RemoveTreeSignalSafe(staging_root_.c_str());
  staging_cleanup_.Release();
  std::error_code ec;
  for (const std::string& d : created_parents_) fs::remove(d, ec);  // only when empty
  created_parents_.clear();
  done_ = true;
}

}  // namespace tapedeck::runner

#include "core/interrupt_cleanup.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace tapedeck {
namespace {

constexpr int kSlots = 64;
enum SlotState : int { kFree = 0, kWriting = 1, kLive = 2 };

// Fixed storage: the handler never reads memory that the program may free.
std::atomic<int> g_state[kSlots];
char g_paths[kSlots][PATH_MAX];

// Directory trees deeper than this below a registered temporary are left (ours are 2 deep).
constexpr int kMaxDepth = 8;

// The kernel's struct linux_dirent64: ino (8 bytes), off (8), reclen (2), type (1), then the
// name, NUL-terminated.
constexpr size_t kDirentReclenAt = 16;
constexpr size_t kDirentNameAt = 19;

// Removes everything inside the directory `dir_fd`; true when it is empty afterwards. Entries
// removed while the directory is read may make the reading skip others, so passes repeat until
// one finds nothing (or fails).
bool EmptyDirectory(int dir_fd, int depth) {
  if (depth > kMaxDepth) return false;
  alignas(8) char buf[4096];
  while (true) {
    bool found = false, ok = true;
    ::lseek(dir_fd, 0, SEEK_SET);
    long n;
    while ((n = ::syscall(SYS_getdents64, dir_fd, buf, sizeof(buf))) > 0) {
      for (long off = 0; off < n;) {
        unsigned short reclen;
        std::memcpy(&reclen, buf + off + kDirentReclenAt, sizeof(reclen));
        const char* name = buf + off + kDirentNameAt;
        off += reclen;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        found = true;
        if (::unlinkat(dir_fd, name, 0) == 0) continue;
        const int sub = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) {
          ok = false;
          continue;
        }
        ok = EmptyDirectory(sub, depth + 1) && ok;
        ::close(sub);
        if (::unlinkat(dir_fd, name, AT_REMOVEDIR) != 0) ok = false;
      }
    }
    if (n < 0 || !ok) return false;
    if (!found) return true;
  }
}

void RemoveAll() {
  char path[PATH_MAX];
  for (int i = 0; i < kSlots; ++i) {
    if (g_state[i].load(std::memory_order_acquire) != kLive) continue;
    std::memcpy(path, g_paths[i], sizeof(path));
    path[PATH_MAX - 1] = '\0';
    // A slot reused meanwhile holds another temporary: removing either is right.
    RemoveTreeSignalSafe(path);
  }
}

extern "C" void OnInterrupt(int sig) {
  RemoveAll();
  ::_exit(128 + sig);
}

}  // namespace

InterruptCleanup::InterruptCleanup(const std::string& path) {
  if (path.empty() || path.size() >= PATH_MAX) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (g_state[i].compare_exchange_strong(expected, kWriting, std::memory_order_acq_rel)) {
      std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
      g_state[i].store(kLive, std::memory_order_release);
      slot_ = i;
      return;
    }
  }
}

InterruptCleanup& InterruptCleanup::operator=(InterruptCleanup&& other) noexcept {
  if (this != &other) {
    Release();
    slot_ = other.slot_;
    other.slot_ = -1;
  }
  return *this;
}

void InterruptCleanup::Release() {
  if (slot_ >= 0) g_state[slot_].store(kFree, std::memory_order_release);
  slot_ = -1;
}

void InstallInterruptCleanup() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof(sa));
  sa.sa_handler = &OnInterrupt;
  sigemptyset(&sa.sa_mask);
  // Both signals blocked while either runs: the cleanup runs once.
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

bool RemoveTreeSignalSafe(const char* path) {
  if (::unlink(path) == 0) return true;
  const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  const bool emptied = EmptyDirectory(fd, 0);
  ::close(fd);
  return ::rmdir(path) == 0 && emptied;
}

}  // namespace tapedeck

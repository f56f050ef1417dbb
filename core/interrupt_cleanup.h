// Temporary files and directories that an interrupted process removes. A command that writes
// its results under temporary names (a tape being converted, a run's staging directory, a
// sweep's tables) registers each temporary while it exists; SIGINT or SIGTERM then removes every
// registered path and ends the process with exit status 130 or 143 (128 + the signal), so an
// interrupted command leaves nothing behind. kill -9 cannot be caught: what it leaves is a
// temporary name that the next run into the same place removes (runner/output_set.h).
//
// The handler uses only async-signal-safe calls (unlink, rmdir, openat, getdents64, _exit) on
// paths copied into fixed slots at registration, so it can run at any instant of the program.
#ifndef TAPEDECK_CORE_INTERRUPT_CLEANUP_H_
#define TAPEDECK_CORE_INTERRUPT_CLEANUP_H_

#include <string>

namespace tapedeck {

// Registers `path` (a file, or a directory removed with everything in it) for the lifetime of
// the object; the destructor unregisters it without removing anything. Paths longer than
// PATH_MAX or beyond the 64 slots are not registered (the command still works; an interrupt
// then leaves that temporary).
class InterruptCleanup {
 public:
  InterruptCleanup() = default;
  explicit InterruptCleanup(const std::string& path);
  ~InterruptCleanup() { Release(); }
  InterruptCleanup(InterruptCleanup&& other) noexcept : slot_(other.slot_) { other.slot_ = -1; }
  InterruptCleanup& operator=(InterruptCleanup&& other) noexcept;
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;

  // Unregisters now (the path was renamed into place, or removed).
  void Release();

 private:
  int slot_ = -1;
};

// Installs the SIGINT and SIGTERM handlers described above (the command line does, once).
void InstallInterruptCleanup();

// Removes `path` and everything under it with the same async-signal-safe calls as the handler;
// false when something remains. For a process that removes a temporary tree itself.
bool RemoveTreeSignalSafe(const char* path);

}  // namespace tapedeck

#endif  // TAPEDECK_CORE_INTERRUPT_CLEANUP_H_

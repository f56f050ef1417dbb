#include "adapters/fix_listen.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "quickfix/Utility.h"

namespace tapedeck::adapters {
namespace {

struct PortState {
  uint32_t address = INADDR_ANY;
  std::optional<ListenRecord> opened;
};

std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}

// Keyed by the port as a 16-bit number: QuickFIX 1.15.1 keeps ports in a `short`, so it passes
// ports above 32767 to socket_createAcceptor as negative ints.
absl::flat_hash_map<uint16_t, PortState>& Ports() {
  static auto* ports = new absl::flat_hash_map<uint16_t, PortState>();
  return *ports;
}

uint16_t Key(int port) { return static_cast<uint16_t>(port); }

// A TCP socket listening on address:port, with SO_REUSEADDR when `reuse`, and QuickFIX's
// backlog; -1 on failure, with nothing left open and the failed step in `record`.
int OpenListener(uint16_t port, uint32_t address, bool reuse, ListenRecord* record) {
  record->address = address;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto fail = [&](const char* step) {
    record->error = errno;
    record->step = step;
    if (fd >= 0) ::close(fd);
    return -1;
  };
  if (fd < 0) return fail("socket");
  const int on = 1;
  if (reuse && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0) {
    return fail("setsockopt");
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = address;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) return fail("bind");
  if (::listen(fd, 4096) != 0) return fail("listen");
  return fd;
}

}  // namespace

void SetListenAddress(int port, uint32_t address) {
  std::lock_guard<std::mutex> lock(Mu());
  Ports()[Key(port)] = PortState{address, std::nullopt};
}

void ClearListenAddress(int port) {
  std::lock_guard<std::mutex> lock(Mu());
  Ports().erase(Key(port));
}

std::optional<ListenRecord> ListenedOn(int port) {
  std::lock_guard<std::mutex> lock(Mu());
  const auto it = Ports().find(Key(port));
  return it == Ports().end() ? std::nullopt : it->second.opened;
}

ListenRecord ProbeListen(int port, uint32_t address) {
  ListenRecord record;
  const int fd = OpenListener(Key(port), address, /*reuse=*/true, &record);
  if (fd >= 0) ::close(fd);
  return record;
}

}  // namespace tapedeck::adapters

namespace FIX {

// Replaces QuickFIX's function of the same signature (see fix_listen.h): a TCP socket
// listening on the address set for `port` (taken modulo 2^16, as QuickFIX's own htons does),
// with SO_REUSEADDR when `reuse`; -1 on failure, with nothing left open.
int socket_createAcceptor(int port, bool reuse) {
  std::lock_guard<std::mutex> lock(tapedeck::adapters::Mu());
  tapedeck::adapters::PortState& state =
      tapedeck::adapters::Ports()[tapedeck::adapters::Key(port)];
  tapedeck::adapters::ListenRecord record;
  const int fd = tapedeck::adapters::OpenListener(tapedeck::adapters::Key(port), state.address,
                                                  reuse, &record);
  state.opened = record;
  return fd;
}

}  // namespace FIX

// The address QuickFIX's acceptors in this process listen on.
//
// QuickFIX 1.15.1 has no setting for it: SocketAcceptor, ThreadedSocketAcceptor and their SSL
// twins all open their listening socket with FIX::socket_createAcceptor(port, reuse), which
// binds INADDR_ANY. fix_listen.cc defines that function for the process. libquickfix.so calls
// it through its PLT, so the definition in the executable takes precedence (ELF symbol
// interposition) and binds the address set here for the port; a port with no address set is
// bound to every interface, as QuickFIX does. The definition only takes where tapedeck links
// QuickFIX as a shared library that calls through its PLT (Debian's does); ListenedOn() tells
// whether it took (where it did not, fixsim refuses to start: see fix_sim.h).
#ifndef TAPEDECK_ADAPTERS_FIX_LISTEN_H_
#define TAPEDECK_ADAPTERS_FIX_LISTEN_H_

#include <cstdint>
#include <optional>
#include <string>

namespace tapedeck::adapters {

// Listening sockets opened for `port` from now on bind `address`, an IPv4 address in network
// byte order (INADDR_ANY for every interface).
void SetListenAddress(int port, uint32_t address);
// Forgets `port`'s address and what was opened for it.
void ClearListenAddress(int port);

struct ListenRecord {
  uint32_t address = 0;  // network order
  int error = 0;         // errno of the failed step, 0 when the socket listens
  std::string step;      // "socket", "setsockopt", "bind" or "listen" when error != 0
};
// What the last attempt through this file to open a listening socket for `port` did; nullopt
// when none was made (none yet, or QuickFIX's own function ran instead).
std::optional<ListenRecord> ListenedOn(int port);
// Opens and closes a socket listening on `address`:`port` (SO_REUSEADDR, as fixsim's acceptor
// sets it): whether an acceptor could listen there, asked before starting one, since a
// QuickFIX acceptor whose start fails leaks its socket server.
ListenRecord ProbeListen(int port, uint32_t address);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_LISTEN_H_

// FIX session settings, read from a run config (typed, unknown keys are errors) and turned into
// QuickFIX SessionSettings. One reader serves both sides: `paper`'s initiator and `fixsim`'s
// acceptor.
//
// Initiator ("venue" in a paper config):
//   {"host": "127.0.0.1", "port": 9878, "sender_comp_id": "PAPER", "target_comp_id": "FIXSIM",
//    "heartbeat_s": 30, "store": "memory" | "<dir>", "reset_on_logon": true,
//    "dictionary": "" (the embedded one), "username": "", "password": "",
//    "reconnect_interval_s": 1, "log": "" (no FIX log) | "<dir>",
//    "tls": {"enabled": false, "ca_file": "", "cert_file": "", "key_file": "", "verify_peer": false}}
// Acceptor ("fix" in a fixsim config): the same keys except that "sender_comp_id",
//   "target_comp_id", "username", "password" move into "sessions": [{"sender_comp_id": "FIXSIM",
//   "target_comp_id": "PAPER", "password": "..."}], and "host" is the local IPv4 address to
//   listen on ("0.0.0.0": every interface; see fix_listen.h).
// Both: "venue_profile": "generic_fix44" (adapters/venue_profile.h: the FIX version, the
// dictionaries, the Logon's authentication and the order dialect), "symbol_map": {"<instrument
// symbol>": "<venue symbol>"} (over the profile's spelling), and "credentials" (venue_auth.h;
// the initiator's in "fix", each admitted session's in "sessions"). Secrets are never written in
// a config: real venue profiles refuse "username"/"password" and read credentials from the
// environment or files; generic_fix44 still takes an inline "password" for a simulator on
// loopback.
#ifndef TAPEDECK_ADAPTERS_FIX_SESSION_CONFIG_H_
#define TAPEDECK_ADAPTERS_FIX_SESSION_CONFIG_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/venue_auth.h"
#include "adapters/venue_profile.h"
#include "core/config.h"
#include "quickfix/MessageStore.h"
#include "quickfix/SessionID.h"
#include "quickfix/SessionSettings.h"

namespace tapedeck::adapters {

struct FixTlsConfig {
  bool enabled = false;
  std::string ca_file;    // initiator: trusted certificates; acceptor: client CAs (verify_peer)
  std::string cert_file;  // acceptor: required; initiator: optional client certificate
  std::string key_file;
  bool verify_peer = false;
};

// One admitted counterparty (acceptor) or our own identity (initiator).
struct FixSessionIdentity {
  std::string sender_comp_id;  // ours
  std::string target_comp_id;  // theirs
  std::string username;        // Logon 553 (generic_fix44); initiator sends it, acceptor checks
  std::string password;        // Logon 554 (generic_fix44); likewise
  // The profile's credentials (generic_fix44: username and password copied in).
  Credentials credentials;
};

struct FixSessionConfig {
  std::string host = "127.0.0.1";
  int port = 0;
  int heartbeat_s = 30;
  // "memory" (QuickFIX's MemoryStore: grows with every message sent), "null" (keeps nothing:
  // no resends; for benchmarks) or a directory for QuickFIX's FileStore.
  std::string store = "memory";
  bool reset_on_logon = true;
  std::string dictionary;        // empty: the embedded adapters/fix/FIX44.xml
  int reconnect_interval_s = 1;
  std::string log;               // empty: no FIX message log; else a directory for FileLog
  FixTlsConfig tls;
  std::vector<FixSessionIdentity> sessions;  // initiator: exactly one
  const VenueProfile* profile = &GetVenueProfile(VenueProfileId::kGenericFix44);
  std::map<std::string, std::string> symbol_map;  // instrument symbol -> venue symbol
};

// The QuickFIX session id of `id` in `config`'s FIX version.
FIX::SessionID SessionIdOf(const FixSessionConfig& config, const FixSessionIdentity& id);

enum class FixRole { kInitiator, kAcceptor };

// Reads the keys above from `obj` and calls obj.Finish().
absl::StatusOr<FixSessionConfig> ParseFixSessionConfig(ConfigObject& obj, FixRole role);

// QuickFIX settings for `config`: one [SESSION] per identity, the profile's BeginString and
// dictionaries (written out from the embedded copies when none is configured; FIXT sessions get
// their transport and application dictionaries and DefaultApplVerID), SocketNodelay=Y
// always (QuickFIX's default N stalls ~44 ms per order), a non-stop session schedule.
absl::StatusOr<FIX::SessionSettings> ToSessionSettings(const FixSessionConfig& config, FixRole role);

// MemoryStore or FileStore, as configured.
std::unique_ptr<FIX::MessageStoreFactory> MakeStoreFactory(const FixSessionConfig& config,
                                                           const FIX::SessionSettings& settings);

// A free TCP port on 127.0.0.1 (bound to port 0 and released); for tests and "port": 0.
absl::StatusOr<int> PickFreePort();

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_FIX_SESSION_CONFIG_H_

// Logon authentication of each venue profile: the credentials (read from environment variables
// or files named in the config, never from the config itself), the Logon fields the initiator
// signs, and the acceptor's check of them (fixsim). The prehash strings follow the venues'
// documents (docs/venues.md); tests pin the published example values.
//
// Config ("credentials" in paper's "fix" section and in each of fixsim's "sessions"): for each
// item either "<item>_env": "VARIABLE" or "<item>_file": "path" (the file's whole content,
// a trailing newline dropped); items: api_key, secret, passphrase, password, private_key,
// public_key. Which items a profile needs: docs/venues.md.
#ifndef TAPEDECK_ADAPTERS_VENUE_AUTH_H_
#define TAPEDECK_ADAPTERS_VENUE_AUTH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/venue_profile.h"
#include "core/config.h"
#include "quickfix/Message.h"

namespace tapedeck::adapters {

struct Credentials {
  std::string api_key;      // Username(553); Coinbase also SenderCompID
  std::string secret;       // HMAC secret (Coinbase and Kraken: Base64 text); Deribit's secret
  std::string passphrase;   // Coinbase
  std::string password;     // generic FIX 4.4: Password(554)
  std::string private_key;  // PEM: Ed25519 (Binance) or RSA (Bybit); the initiator signs
  std::string public_key;   // PEM: the acceptor (fixsim) verifies with it
  // Every value that must never be printed (secret, passphrase, password, private key and the
  // Base64 body lines of the key), for redaction and for the tests that search outputs.
  std::vector<std::string> Secrets() const;
  bool empty() const;
};

// Reads "credentials" of `obj` (absent: none) and finishes that object.
absl::Status ParseCredentials(ConfigObject& obj, Credentials* out);

// What each profile's initiator needs, checked when the config is read: an error naming
// the config path and the missing items.
absl::Status CheckInitiatorCredentials(const VenueProfile& profile, const Credentials& c,
                                       const std::string& where);
absl::Status CheckAcceptorCredentials(const VenueProfile& profile, const Credentials& c,
                                      const std::string& where);

// The initiator's keys tried once when a session is built: a private key that cannot sign, or
// a secret that is not Base64, would otherwise only show as refused logons, one a second.
absl::Status ProbeCredentials(const VenueProfile& profile, const Credentials& c);

// --- the signing schemes, one function per documented formula ---
// Binance: MsgType, SenderCompID, TargetCompID, MsgSeqNum, SendingTime joined by SOH.
std::string BinancePayload(std::string_view sender, std::string_view target,
                           std::string_view seq, std::string_view sending_time);
// Coinbase: SendingTime, MsgType, MsgSeqNum, SenderCompID, TargetCompID, Password (the
// passphrase) joined by SOH; RawData = Base64(HMAC-SHA256(Base64-decoded secret, prehash)).
std::string CoinbasePrehash(std::string_view sending_time, std::string_view seq,
                            std::string_view sender, std::string_view target,
                            std::string_view passphrase);
// Kraken: "35=A|34=<seq>|49=<sender>|56=<target>|553=<api key>|" (| = SOH);
// Password = Base64(HMAC-SHA512(Base64-decoded secret, SHA256(input + nonce))).
std::string KrakenMessageInput(std::string_view seq, std::string_view sender,
                               std::string_view target, std::string_view api_key);
absl::StatusOr<std::string> KrakenPassword(std::string_view secret_base64,
                                           std::string_view message_input,
                                           std::string_view nonce);
// Deribit: RawData "<ms>.<Base64 nonce>", Password = Base64(SHA256(RawData + secret)).
std::string DeribitPassword(std::string_view raw_data, std::string_view secret);
// Bybit: "GET/realtime<expires ms>", signed RSA-SHA256, Base64 in RawData.
std::string BybitPlaintext(int64_t expires_ms);

// Initiator: completes an outgoing Logon whose header QuickFIX has filled (34, 49, 52, 56):
// the profile's fixed fields, cancel-on-disconnect as asked, and the credentials with the
// signature. `now_ns` is the wall clock (nonces, expiry).
absl::Status SignLogon(const VenueProfile& profile, const Credentials& c,
                       bool cancel_on_disconnect, int64_t now_ns, FIX::Message* logon);

// Acceptor: checks an incoming Logon against `c`. OK, or a refusal whose message says why in
// words that never contain a credential.
struct LogonState {
  int64_t last_nonce = 0;             // Kraken: nonces only increase
  std::vector<std::string> raw_data;  // Deribit: RawData values seen (replay refused)
};
absl::Status VerifyLogon(const VenueProfile& profile, const Credentials& c,
                         const FIX::Message& logon, int64_t now_ns, LogonState* state);
// Whether the Logon asks for cancel-on-disconnect (the profile's tag and value).
bool LogonRequestsCancelOnDisconnect(const VenueProfile& profile, const FIX::Message& logon);

}  // namespace tapedeck::adapters

#endif  // TAPEDECK_ADAPTERS_VENUE_AUTH_H_

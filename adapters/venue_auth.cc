#include "adapters/venue_auth.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/fix_crypto.h"
#include "core/status.h"

namespace tapedeck::adapters {
namespace {

constexpr char kSoh = '\x01';
constexpr int kRawDataLength = 95, kRawData = 96, kUsername = 553, kPassword = 554;
constexpr int kKrakenNonce = 5025, kBybitExpires = 30023, kDefaultApplVerID = 1137;
constexpr int64_t kNanosPerMilli = 1'000'000;

struct Item {
  const char* name;
  std::string Credentials::*value;
};
constexpr Item kItems[] = {
    {"api_key", &Credentials::api_key},         {"secret", &Credentials::secret},
    {"passphrase", &Credentials::passphrase},   {"password", &Credentials::password},
    {"private_key", &Credentials::private_key}, {"public_key", &Credentials::public_key},
};

absl::StatusOr<std::string> ReadItemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  std::ostringstream s;
  s << in.rdbuf();
  std::string v = s.str();
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

absl::Status ReadItem(ConfigObject& c, const Item& item, Credentials* out) {
  const std::string env_key = absl::StrCat(item.name, "_env");
  const std::string file_key = absl::StrCat(item.name, "_file");
  if (c.Has(item.name)) {
    (void)c.Raw(item.name);
    return c.Error(item.name, absl::StrCat("secrets are never written in a config: name an "
                                           "environment variable (\"", env_key,
                                           "\") or a file (\"", file_key, "\")"));
  }
  std::string env, file;
  TAPEDECK_RETURN_IF_ERROR(c.String(env_key, &env));
  TAPEDECK_RETURN_IF_ERROR(c.String(file_key, &file));
  if (!env.empty() && !file.empty()) {
    return c.Error(env_key, absl::StrCat("give ", env_key, " or ", file_key, ", not both"));
  }
  if (!env.empty()) {
    const char* v = std::getenv(env.c_str());
    if (v == nullptr || *v == '\0') {
      return c.Error(env_key, absl::StrCat("the environment variable ", env, " is not set"));
    }
    out->*item.value = v;
  } else if (!file.empty()) {
    absl::StatusOr<std::string> v = ReadItemFile(file);
    if (!v.ok()) return c.Error(file_key, std::string(v.status().message()));
    if (v->empty()) return c.Error(file_key, absl::StrCat(file, " is empty"));
    out->*item.value = *std::move(v);
  }
  return absl::OkStatus();
}

std::string Field(const FIX::FieldMap& m, int tag) {
  return m.isSetField(tag) ? m.getField(tag) : std::string();
}

void SetRawData(FIX::Message* logon, const std::string& value) {
  logon->setField(kRawDataLength, std::to_string(value.size()));
  logon->setField(kRawData, value);
}

absl::Status Refuse(std::string why) { return absl::PermissionDeniedError(std::move(why)); }

bool ParseMillis(const std::string& text, int64_t* out) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
         absl::SimpleAtoi(text, out);
}

struct Header {
  std::string sender, target, seq, sending_time;
};

Header HeaderOf(const FIX::Message& m) {
  const FIX::Header& h = m.getHeader();
  return Header{Field(h, 49), Field(h, 56), Field(h, 34), Field(h, 52)};
}

absl::Status Need(const std::string& where, const VenueProfile& p,
                  std::initializer_list<std::pair<const char*, const std::string*>> items) {
  std::vector<std::string> missing;
  for (const auto& [name, value] : items) {
    if (value->empty()) missing.push_back(name);
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      where, ": venue profile ", std::string(p.name), " needs credentials ",
      absl::StrJoin(missing, ", "), " (each as <item>_env or <item>_file)"));
}

absl::Status SignBody(const VenueProfile& p, const Credentials& c, const Header& h,
                      int64_t now_ns, FIX::Message* logon) {
  const int64_t now_ms = now_ns / kNanosPerMilli;
  switch (p.auth) {
    case LogonAuth::kPlain:
      if (!c.api_key.empty()) logon->setField(kUsername, c.api_key);
      if (!c.password.empty()) logon->setField(kPassword, c.password);
      return absl::OkStatus();
    case LogonAuth::kEd25519RawData: {
      logon->setField(kUsername, c.api_key);
      TAPEDECK_ASSIGN_OR_RETURN(
          std::string sig, crypto::Sign(crypto::KeyType::kEd25519, c.private_key,
                                        BinancePayload(h.sender, h.target, h.seq, h.sending_time)));
      SetRawData(logon, crypto::Base64Encode(sig));
      return absl::OkStatus();
    }
    case LogonAuth::kHmacSha256Passphrase: {
      TAPEDECK_ASSIGN_OR_RETURN(std::string key, crypto::Base64Decode(c.secret));
      logon->setField(kUsername, c.api_key);
      logon->setField(kPassword, c.passphrase);
      SetRawData(logon, crypto::Base64Encode(crypto::HmacSha256(
                            key, CoinbasePrehash(h.sending_time, h.seq, h.sender, h.target,
                                                 c.passphrase))));
      return absl::OkStatus();
    }
    case LogonAuth::kHmacSha512Nonce: {
      const std::string nonce = std::to_string(now_ms);
      TAPEDECK_ASSIGN_OR_RETURN(
          std::string password,
          KrakenPassword(c.secret, KrakenMessageInput(h.seq, h.sender, h.target, c.api_key),
                         nonce));
      logon->setField(kUsername, c.api_key);
      logon->setField(kPassword, password);
      logon->setField(kKrakenNonce, nonce);
      return absl::OkStatus();
    }
    case LogonAuth::kSha256RawDataNonce: {
      const std::string raw =
          absl::StrCat(now_ms, ".", crypto::Base64Encode(crypto::RandomBytes(32)));
      SetRawData(logon, raw);
      logon->setField(kUsername, c.api_key);
      logon->setField(kPassword, DeribitPassword(raw, c.secret));
      return absl::OkStatus();
    }
    case LogonAuth::kRsaSha256RawData: {
      const int64_t expires = now_ms + 5000;  // the documented validity window
      TAPEDECK_ASSIGN_OR_RETURN(std::string sig, crypto::Sign(crypto::KeyType::kRsa,
                                                              c.private_key,
                                                              BybitPlaintext(expires)));
      logon->setField(kUsername, c.api_key);
      SetRawData(logon, crypto::Base64Encode(sig));
      logon->setField(kBybitExpires, std::to_string(expires));
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::Status VerifySignature(crypto::KeyType type, const Credentials& c, std::string_view data,
                             const std::string& raw_data) {
  absl::StatusOr<std::string> sig = crypto::Base64Decode(raw_data);
  if (!sig.ok()) return Refuse("RawData(96) is not Base64");
  std::string public_key = c.public_key;
  if (public_key.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(public_key, crypto::PublicKeyOf(c.private_key));
  }
  TAPEDECK_ASSIGN_OR_RETURN(bool ok, crypto::Verify(type, public_key, data, *sig));
  return ok ? absl::OkStatus() : Refuse("the signature in RawData(96) does not verify");
}

absl::Status VerifyBody(const VenueProfile& p, const Credentials& c, const FIX::Message& m,
                        const Header& h, int64_t now_ns, LogonState* state) {
  const int64_t now_ms = now_ns / kNanosPerMilli;
  const std::string user = Field(m, kUsername);
  if (p.auth != LogonAuth::kPlain && !crypto::ConstantTimeEqual(user, c.api_key)) {
    return Refuse("unknown API key in Username(553)");
  }
  switch (p.auth) {
    case LogonAuth::kPlain:
      if (!c.api_key.empty() && user != c.api_key) return Refuse("wrong username");
      if (!c.password.empty() && !crypto::ConstantTimeEqual(Field(m, kPassword), c.password)) {
        return Refuse("wrong password");
      }
      return absl::OkStatus();
    case LogonAuth::kEd25519RawData:
      return VerifySignature(crypto::KeyType::kEd25519, c,
                             BinancePayload(h.sender, h.target, h.seq, h.sending_time),
                             Field(m, kRawData));
    case LogonAuth::kHmacSha256Passphrase: {
      if (h.sender != c.api_key) return Refuse("SenderCompID(49) must be the API key");
      if (Field(m, kDefaultApplVerID) != p.default_appl_ver_id) {
        return Refuse("DefaultApplVerID(1137) must be 9 (FIX 5.0 SP2)");
      }
      const std::string passphrase = Field(m, kPassword);
      if (!crypto::ConstantTimeEqual(passphrase, c.passphrase)) return Refuse("wrong passphrase");
      TAPEDECK_ASSIGN_OR_RETURN(std::string key, crypto::Base64Decode(c.secret));
      const std::string want = crypto::Base64Encode(crypto::HmacSha256(
          key, CoinbasePrehash(h.sending_time, h.seq, h.sender, h.target, passphrase)));
      return crypto::ConstantTimeEqual(Field(m, kRawData), want)
                 ? absl::OkStatus()
                 : Refuse("the signature in RawData(96) does not verify");
    }
    case LogonAuth::kHmacSha512Nonce: {
      int64_t nonce = 0;
      const std::string nonce_text = Field(m, kKrakenNonce);
      if (!ParseMillis(nonce_text, &nonce)) return Refuse("Nonce(5025) missing or not ms");
      if (nonce > now_ms + 5000 || nonce < now_ms - 5000) {
        return Refuse("Nonce(5025) more than 5 s away from the venue's clock");
      }
      if (nonce <= state->last_nonce) return Refuse("Nonce(5025) did not increase");
      TAPEDECK_ASSIGN_OR_RETURN(
          std::string want,
          KrakenPassword(c.secret, KrakenMessageInput(h.seq, h.sender, h.target, c.api_key),
                         nonce_text));
      if (!crypto::ConstantTimeEqual(Field(m, kPassword), want)) {
        return Refuse("the password signature in Password(554) does not verify");
      }
      state->last_nonce = nonce;
      return absl::OkStatus();
    }
    case LogonAuth::kSha256RawDataNonce: {
      const std::string raw = Field(m, kRawData);
      const std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('.', 1));
      int64_t ts = 0;
      if (parts.size() != 2 || !ParseMillis(parts[0], &ts) ||
          !crypto::Base64Decode(parts[1]).ok() || parts[1].empty()) {
        return Refuse("RawData(96) must be <timestamp ms>.<Base64 nonce>");
      }
      if (ts > now_ms + 60'000 || ts < now_ms - 60'000) return Refuse("stale RawData timestamp");
      for (const std::string& seen : state->raw_data) {
        if (seen == raw) return Refuse("RawData(96) nonce used before");
      }
      if (!crypto::ConstantTimeEqual(Field(m, kPassword), DeribitPassword(raw, c.secret))) {
        return Refuse("Password(554) does not match RawData and the secret");
      }
      state->raw_data.push_back(raw);
      return absl::OkStatus();
    }
    case LogonAuth::kRsaSha256RawData: {
      int64_t expires = 0;
      if (!ParseMillis(Field(m, kBybitExpires), &expires)) {
        return Refuse("Expires(30023) missing or not ms");
      }
      if (expires <= now_ms) return Refuse("the signature has expired (Expires(30023))");
      if (expires > now_ms + 60'000) return Refuse("Expires(30023) more than 60 s ahead");
      return VerifySignature(crypto::KeyType::kRsa, c, BybitPlaintext(expires), Field(m, kRawData));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<std::string> Credentials::Secrets() const {
  std::vector<std::string> out;
  for (const std::string* s : {&secret, &passphrase, &password, &private_key}) {
    if (!s->empty()) out.push_back(*s);
  }
  // A PEM key also leaks line by line (a log wraps or cuts it): each Base64 line of its body.
  for (absl::string_view line : absl::StrSplit(private_key, '\n')) {
    if (line.size() >= 16 && line.find("-----") == absl::string_view::npos) {
      out.emplace_back(line.data(), line.size());
    }
  }
  return out;
}

bool Credentials::empty() const {
  return api_key.empty() && secret.empty() && passphrase.empty() && password.empty() &&
         private_key.empty() && public_key.empty();
}

absl::Status ParseCredentials(ConfigObject& obj, Credentials* out) {
  if (!obj.Has("credentials")) return absl::OkStatus();
  TAPEDECK_ASSIGN_OR_RETURN(ConfigObject c, obj.Object("credentials"));
  for (const Item& item : kItems) TAPEDECK_RETURN_IF_ERROR(ReadItem(c, item, out));
  return c.Finish();
}

absl::Status CheckInitiatorCredentials(const VenueProfile& p, const Credentials& c,
                                       const std::string& where) {
  switch (p.auth) {
    case LogonAuth::kPlain: return absl::OkStatus();
    case LogonAuth::kEd25519RawData:
    case LogonAuth::kRsaSha256RawData:
      return Need(where, p, {{"api_key", &c.api_key}, {"private_key", &c.private_key}});
    case LogonAuth::kHmacSha256Passphrase:
      return Need(where, p, {{"api_key", &c.api_key}, {"secret", &c.secret},
                             {"passphrase", &c.passphrase}});
    case LogonAuth::kHmacSha512Nonce:
    case LogonAuth::kSha256RawDataNonce:
      return Need(where, p, {{"api_key", &c.api_key}, {"secret", &c.secret}});
  }
  return absl::OkStatus();
}

absl::Status CheckAcceptorCredentials(const VenueProfile& p, const Credentials& c,
                                      const std::string& where) {
  if (p.auth == LogonAuth::kEd25519RawData || p.auth == LogonAuth::kRsaSha256RawData) {
    const std::string& key = c.public_key.empty() ? c.private_key : c.public_key;
    return Need(where, p, {{"api_key", &c.api_key}, {"public_key", &key}});
  }
  return CheckInitiatorCredentials(p, c, where);
}

std::string BinancePayload(std::string_view sender, std::string_view target,
                           std::string_view seq, std::string_view sending_time) {
  return absl::StrCat("A", std::string(1, kSoh), std::string(sender), std::string(1, kSoh),
                      std::string(target), std::string(1, kSoh), std::string(seq),
                      std::string(1, kSoh), std::string(sending_time));
}

std::string CoinbasePrehash(std::string_view sending_time, std::string_view seq,
                            std::string_view sender, std::string_view target,
                            std::string_view passphrase) {
  const std::string soh(1, kSoh);
  return absl::StrCat(std::string(sending_time), soh, "A", soh, std::string(seq), soh,
                      std::string(sender), soh, std::string(target), soh,
                      std::string(passphrase));
}

std::string KrakenMessageInput(std::string_view seq, std::string_view sender,
                               std::string_view target, std::string_view api_key) {
  const std::string soh(1, kSoh);
  return absl::StrCat("35=A", soh, "34=", std::string(seq), soh, "49=", std::string(sender), soh,
                      "56=", std::string(target), soh, "553=", std::string(api_key), soh);
}

absl::StatusOr<std::string> KrakenPassword(std::string_view secret_base64,
                                           std::string_view message_input,
                                           std::string_view nonce) {
  absl::StatusOr<std::string> key = crypto::Base64Decode(secret_base64);
  if (!key.ok()) return absl::InvalidArgumentError("the Kraken API secret is not Base64");
  const std::string digest =
      crypto::Sha256(absl::StrCat(std::string(message_input), std::string(nonce)));
  return crypto::Base64Encode(crypto::HmacSha512(*key, digest));
}

std::string DeribitPassword(std::string_view raw_data, std::string_view secret) {
  return crypto::Base64Encode(
      crypto::Sha256(absl::StrCat(std::string(raw_data), std::string(secret))));
}

std::string BybitPlaintext(int64_t expires_ms) { return absl::StrCat("GET/realtime", expires_ms); }

absl::Status SignLogon(const VenueProfile& profile, const Credentials& c,
                       bool cancel_on_disconnect, int64_t now_ns, FIX::Message* logon) {
  for (const FixTagValue& f : profile.logon_fields) {
    if (!logon->isSetField(f.tag)) logon->setField(f.tag, std::string(f.value));
  }
  if (const CancelOnDisconnectSpec& cod = profile.cancel_on_disconnect; cod.tag != 0) {
    logon->setField(cod.tag, std::string(cancel_on_disconnect ? cod.on : cod.off));
  }
  return SignBody(profile, c, HeaderOf(*logon), now_ns, logon);
}

absl::Status VerifyLogon(const VenueProfile& profile, const Credentials& c,
                         const FIX::Message& logon, int64_t now_ns, LogonState* state) {
  for (const FixTagValue& f : profile.logon_fields) {
    const std::string v = Field(logon, f.tag);
    // Binance's MessageHandling(25035) is 1 (unordered) or 2 (sequential); the others are fixed.
    const bool ok = f.tag == 25035 ? (v == "1" || v == "2") : v == f.value;
    if (!ok) {
      return Refuse(absl::StrCat("Logon field ", f.tag, " must be ", std::string(f.value)));
    }
  }
  if (const CancelOnDisconnectSpec& cod = profile.cancel_on_disconnect;
      cod.tag != 0 && logon.isSetField(cod.tag)) {
    const std::string v = logon.getField(cod.tag);
    if (v != cod.on && v != cod.off) {
      return Refuse(absl::StrCat("Logon field ", cod.tag, " must be ", std::string(cod.on),
                                 " or ", std::string(cod.off)));
    }
  }
  return VerifyBody(profile, c, logon, HeaderOf(logon), now_ns, state);
}

bool LogonRequestsCancelOnDisconnect(const VenueProfile& profile, const FIX::Message& logon) {
  const CancelOnDisconnectSpec& cod = profile.cancel_on_disconnect;
  if (cod.tag == 0) return false;
  // Kraken's default (tag absent) is to cancel; the others default to keeping orders.
  if (!logon.isSetField(cod.tag)) return profile.id == VenueProfileId::kKraken;
  return logon.getField(cod.tag) == cod.on;
}

absl::Status ProbeCredentials(const VenueProfile& profile, const Credentials& c) {
  std::optional<crypto::KeyType> type;
  if (profile.auth == LogonAuth::kEd25519RawData) type = crypto::KeyType::kEd25519;
  if (profile.auth == LogonAuth::kRsaSha256RawData) type = crypto::KeyType::kRsa;
  if (type) {
    if (absl::StatusOr<std::string> s = crypto::Sign(*type, c.private_key, "probe"); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("fix.credentials.private_key: ",
                                                     s.status().message()));
    }
  }
  if (profile.auth == LogonAuth::kHmacSha256Passphrase ||
      profile.auth == LogonAuth::kHmacSha512Nonce) {
    if (!crypto::Base64Decode(c.secret).ok()) {
      return absl::InvalidArgumentError("fix.credentials.secret: the venue's API secret is Base64 "
                                        "text, and this one is not");
    }
  }
  return absl::OkStatus();
}

}  // namespace tapedeck::adapters

#include "adapters/fix_session_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <exception>

#include "absl/strings/str_cat.h"
#include "adapters/fix_dictionary.h"
#include "core/status.h"
#include "quickfix/FileStore.h"
#include "quickfix/NullStore.h"
#include "quickfix/SessionID.h"

namespace tapedeck::adapters {
namespace {

absl::Status ReadIdentity(ConfigObject& obj, const VenueProfile& profile, FixRole role,
                          FixSessionIdentity* id) {
  TAPEDECK_RETURN_IF_ERROR(obj.String("sender_comp_id", &id->sender_comp_id, true));
  TAPEDECK_RETURN_IF_ERROR(obj.String("target_comp_id", &id->target_comp_id, true));
  if (id->sender_comp_id.empty()) return obj.Error("sender_comp_id", "must not be empty");
  if (id->target_comp_id.empty()) return obj.Error("target_comp_id", "must not be empty");
  const bool generic = profile.id == VenueProfileId::kGenericFix44;
  for (const char* key : {"username", "password"}) {
    if (!generic && obj.Has(key)) {
      (void)obj.Raw(key);
      return obj.Error(key, absl::StrCat("venue profile ", std::string(profile.name),
                                         " reads its credentials from \"credentials\" (each item "
                                         "from an environment variable or a file), never from a "
                                         "config"));
    }
  }
  TAPEDECK_RETURN_IF_ERROR(obj.String("username", &id->username));
  TAPEDECK_RETURN_IF_ERROR(obj.String("password", &id->password));
  TAPEDECK_RETURN_IF_ERROR(ParseCredentials(obj, &id->credentials));
  Credentials& c = id->credentials;
  if (c.api_key.empty()) c.api_key = id->username;
  if (c.password.empty()) c.password = id->password;
  id->username = c.api_key;
  id->password = c.password;
  const std::string where = obj.PathOf("credentials");
  return role == FixRole::kInitiator ? CheckInitiatorCredentials(profile, c, where)
                                     : CheckAcceptorCredentials(profile, c, where);
}

absl::Status ReadProfile(ConfigObject& obj, FixSessionConfig* c) {
  std::string name(c->profile->name);
  TAPEDECK_RETURN_IF_ERROR(obj.Enum("venue_profile", VenueProfileNames(), &name));
  TAPEDECK_ASSIGN_OR_RETURN(c->profile, FindVenueProfile(name));
  if (const nlohmann::json* m = obj.Raw("symbol_map"); m != nullptr) {
    if (!m->is_object()) return obj.Error("symbol_map", "must map instrument symbols to venue symbols");
    for (const auto& [from, to] : m->items()) {
      if (!to.is_string() || to.get<std::string>().empty()) {
        return obj.Error("symbol_map", absl::StrCat("'", from, "' must map to a non-empty string"));
      }
      c->symbol_map[from] = to.get<std::string>();
    }
  }
  // Venues that require ResetSeqNumFlag=Y on every Logon: QuickFIX must reset before it sends
  // it, or the signature would cover a sequence number the reset then changes.
  for (const FixTagValue& f : c->profile->logon_fields) {
    if (f.tag == 141 && f.value == "Y") c->reset_on_logon = true;
  }
  return absl::OkStatus();
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

}  // namespace

absl::StatusOr<FixSessionConfig> ParseFixSessionConfig(ConfigObject& obj, FixRole role) {
  FixSessionConfig c;
  TAPEDECK_RETURN_IF_ERROR(obj.String("host", &c.host));
  TAPEDECK_RETURN_IF_ERROR(obj.Int("port", &c.port, role == FixRole::kInitiator));
  if (c.port < 0 || c.port > 65535) return obj.Error("port", "must be in 0..65535");
  if (role == FixRole::kInitiator && c.port == 0) return obj.Error("port", "must not be 0");
  TAPEDECK_RETURN_IF_ERROR(obj.Int("heartbeat_s", &c.heartbeat_s));
  if (c.heartbeat_s < 1 || c.heartbeat_s > 3600) return obj.Error("heartbeat_s", "must be in 1..3600");
  TAPEDECK_RETURN_IF_ERROR(obj.String("store", &c.store));
  if (c.store.empty()) return obj.Error("store", "must be \"memory\", \"null\" or a directory");
  TAPEDECK_RETURN_IF_ERROR(obj.Bool("reset_on_logon", &c.reset_on_logon));
  TAPEDECK_RETURN_IF_ERROR(obj.InputPath("dictionary", &c.dictionary));
  TAPEDECK_RETURN_IF_ERROR(obj.Int("reconnect_interval_s", &c.reconnect_interval_s));
  if (c.reconnect_interval_s < 1) return obj.Error("reconnect_interval_s", "must be at least 1");
  TAPEDECK_RETURN_IF_ERROR(obj.String("log", &c.log));
  {
    TAPEDECK_ASSIGN_OR_RETURN(ConfigObject tls, obj.Object("tls"));
    TAPEDECK_RETURN_IF_ERROR(tls.Bool("enabled", &c.tls.enabled));
    TAPEDECK_RETURN_IF_ERROR(tls.InputPath("ca_file", &c.tls.ca_file));
    TAPEDECK_RETURN_IF_ERROR(tls.InputPath("cert_file", &c.tls.cert_file));
    TAPEDECK_RETURN_IF_ERROR(tls.InputPath("key_file", &c.tls.key_file));
    TAPEDECK_RETURN_IF_ERROR(tls.Bool("verify_peer", &c.tls.verify_peer));
    TAPEDECK_RETURN_IF_ERROR(tls.Finish());
    if (c.tls.enabled && role == FixRole::kAcceptor &&
        (c.tls.cert_file.empty() || c.tls.key_file.empty())) {
      return tls.Error("cert_file", "an acceptor over TLS needs cert_file and key_file");
    }
    if (c.tls.enabled && c.tls.verify_peer && c.tls.ca_file.empty()) {
      return tls.Error("ca_file", "verify_peer needs ca_file");
    }
  }
  TAPEDECK_RETURN_IF_ERROR(ReadProfile(obj, &c));
  if (role == FixRole::kInitiator && c.profile->tls_required && !c.tls.enabled &&
      !IsLoopback(c.host)) {
    return obj.Error("tls", absl::StrCat(std::string(c.profile->display),
                                         " accepts FIX over TLS only: set tls.enabled (plain "
                                         "TCP is for a simulator on loopback)"));
  }
  if (role == FixRole::kInitiator) {
    FixSessionIdentity id;
    TAPEDECK_RETURN_IF_ERROR(ReadIdentity(obj, *c.profile, role, &id));
    c.sessions.push_back(id);
  } else {
    TAPEDECK_ASSIGN_OR_RETURN(std::vector<ConfigObject> sessions, obj.ObjectArray("sessions", true));
    if (sessions.empty()) return obj.Error("sessions", "must name at least one session");
    for (ConfigObject& s : sessions) {
      FixSessionIdentity id;
      TAPEDECK_RETURN_IF_ERROR(ReadIdentity(s, *c.profile, role, &id));
      TAPEDECK_RETURN_IF_ERROR(s.Finish());
      for (const FixSessionIdentity& other : c.sessions) {
        if (other.sender_comp_id == id.sender_comp_id && other.target_comp_id == id.target_comp_id) {
          return s.Error("target_comp_id", "names the same session twice");
        }
      }
      c.sessions.push_back(id);
    }
  }
  TAPEDECK_RETURN_IF_ERROR(obj.Finish());
  return c;
}

absl::StatusOr<FIX::SessionSettings> ToSessionSettings(const FixSessionConfig& config,
                                                       FixRole role) {
  const VenueProfile& profile = *config.profile;
  std::string dictionary = config.dictionary;
  if (dictionary.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(dictionary, EmbeddedDictionaryPath(profile.app_dictionary));
  }
  std::string transport;
  if (!profile.transport_dictionary.empty()) {
    TAPEDECK_ASSIGN_OR_RETURN(transport, EmbeddedDictionaryPath(profile.transport_dictionary));
  }
  try {
    FIX::SessionSettings settings;
    FIX::Dictionary defaults;
    defaults.setString(FIX::CONNECTION_TYPE, role == FixRole::kInitiator ? "initiator" : "acceptor");
    defaults.setString(FIX::BEGINSTRING, std::string(profile.begin_string));
    defaults.setString(FIX::START_TIME, "00:00:00");
    defaults.setString(FIX::END_TIME, "00:00:00");
    defaults.setInt(FIX::HEARTBTINT, config.heartbeat_s);
    defaults.setBool(FIX::USE_DATA_DICTIONARY, true);
    if (transport.empty()) {
      defaults.setString(FIX::DATA_DICTIONARY, dictionary);
    } else {
      // FIXT.1.1: the session layer's dictionary, and the application's for FIX.5.0SP2.
      defaults.setString(FIX::TRANSPORT_DATA_DICTIONARY, transport);
      defaults.setString(FIX::APP_DATA_DICTIONARY, dictionary);
      defaults.setString(FIX::DEFAULT_APPLVERID, "FIX.5.0SP2");
    }
    defaults.setBool(FIX::SOCKET_NODELAY, true);
    defaults.setBool(FIX::SOCKET_REUSE_ADDRESS, true);
    defaults.setBool(FIX::RESET_ON_LOGON, config.reset_on_logon);
    defaults.setBool(FIX::RESET_ON_LOGOUT, false);
    defaults.setBool(FIX::RESET_ON_DISCONNECT, false);
    defaults.setBool(FIX::REFRESH_ON_LOGON, config.store != "memory" && config.store != "null");
    // Clocks of two machines disagree; a stale SendingTime must not reject an order.
    defaults.setBool(FIX::CHECK_LATENCY, false);
    // Foreign venues add fields of their own; they are ignored, never rejected.
    defaults.setBool(FIX::VALIDATE_USER_DEFINED_FIELDS, false);
    defaults.setBool(FIX::ALLOW_UNKNOWN_MSG_FIELDS, true);
    defaults.setBool(FIX::VALIDATE_FIELDS_OUT_OF_ORDER, false);
    defaults.setInt(FIX::LOGON_TIMEOUT, 5);
    defaults.setInt(FIX::LOGOUT_TIMEOUT, 1);
    // Our resends are refused (FixVenue::toApp: an order resent after a reconnect would
    // duplicate one the strategy has settled), so the initiator keeps no copy of what it sent:
    // QuickFIX answers a ResendRequest with a gap fill, and its message store (memory or file)
    // no longer grows with every order. fixsim keeps its copies; its resends are its own.
    if (role == FixRole::kInitiator) defaults.setBool(FIX::PERSIST_MESSAGES, false);
    if (config.store != "memory" && config.store != "null") defaults.setString(FIX::FILE_STORE_PATH, config.store);
    if (!config.log.empty()) defaults.setString(FIX::FILE_LOG_PATH, config.log);
    if (role == FixRole::kInitiator) {
      defaults.setString(FIX::SOCKET_CONNECT_HOST, config.host);
      defaults.setInt(FIX::SOCKET_CONNECT_PORT, config.port);
      defaults.setInt(FIX::RECONNECT_INTERVAL, config.reconnect_interval_s);
    } else {
      defaults.setInt(FIX::SOCKET_ACCEPT_PORT, config.port);
    }
    if (config.tls.enabled) {
      if (role == FixRole::kAcceptor) {
        defaults.setString(FIX::SERVER_CERT_FILE, config.tls.cert_file);
        defaults.setString(FIX::SERVER_CERT_KEY_FILE, config.tls.key_file);
      } else if (!config.tls.cert_file.empty()) {
        defaults.setString(FIX::CLIENT_CERT_FILE, config.tls.cert_file);
        defaults.setString(FIX::CLIENT_CERT_KEY_FILE, config.tls.key_file);
      }
      if (!config.tls.ca_file.empty()) defaults.setString(FIX::CERT_AUTH_FILE, config.tls.ca_file);
      defaults.setInt(FIX::VERIFY_LEVEL, config.tls.verify_peer ? 3 : 0);
      defaults.setString(FIX::SSL_PROTOCOL, "+TLSv1_2 +TLSv1_3");
    }
    settings.set(defaults);
    for (const FixSessionIdentity& id : config.sessions) {
      FIX::Dictionary d;
      settings.set(SessionIdOf(config, id), d);
    }
    return settings;
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("FIX session settings: ", e.what()));
  }
}

FIX::SessionID SessionIdOf(const FixSessionConfig& config, const FixSessionIdentity& id) {
  return FIX::SessionID(std::string(config.profile->begin_string), id.sender_comp_id,
                        id.target_comp_id);
}

std::unique_ptr<FIX::MessageStoreFactory> MakeStoreFactory(const FixSessionConfig& config,
                                                           const FIX::SessionSettings& settings) {
  if (config.store == "memory") return std::make_unique<FIX::MemoryStoreFactory>();
  if (config.store == "null") return std::make_unique<FIX::NullStoreFactory>();
  return std::make_unique<FIX::FileStoreFactory>(settings);
}

absl::StatusOr<int> PickFreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return absl::InternalError("cannot bind a free port on 127.0.0.1");
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace tapedeck::adapters

#include "adapters/fix_redact.h"

namespace tapedeck::adapters {
namespace {

constexpr std::string_view kSecretTags[] = {"554=", "95=", "96=", "9005="};

bool IsDelimiter(char c) { return c == '\x01' || c == '|'; }

// Replaces the value of every field whose "tag=" is in kSecretTags. A field starts at the
// beginning of the text or after a delimiter, so "1554=" or "96=" inside a value is left alone.
std::string RedactTags(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const bool field_start = i == 0 || IsDelimiter(text[i - 1]);
    bool redacted = false;
    if (field_start) {
      for (std::string_view tag : kSecretTags) {
        if (text.substr(i, tag.size()) != tag) continue;
        out.append(tag);
        out.append(kRedacted);
        size_t end = i + tag.size();
        while (end < text.size() && !IsDelimiter(text[end])) ++end;
        i = end;
        redacted = true;
        break;
      }
    }
    if (!redacted) out.push_back(text[i++]);
  }
  return out;
}

void ReplaceAll(std::string* text, const std::string& secret) {
  if (secret.empty()) return;
  for (size_t at = text->find(secret); at != std::string::npos;
       at = text->find(secret, at + kRedacted.size())) {
    text->replace(at, secret.size(), kRedacted);
  }
}

}  // namespace

std::string RedactFixText(std::string_view text, const std::vector<std::string>& secrets) {
  std::string out = RedactTags(text);
  for (const std::string& s : secrets) ReplaceAll(&out, s);
  return out;
}

class RedactingLogFactory::Log final : public FIX::Log {
 public:
  Log(FIX::Log* inner, const std::vector<std::string>* secrets)
      : inner_(inner), secrets_(secrets) {}
  void clear() override {
    if (inner_ != nullptr) inner_->clear();
  }
  void backup() override {
    if (inner_ != nullptr) inner_->backup();
  }
  void onIncoming(const std::string& s) override {
    if (inner_ != nullptr) inner_->onIncoming(RedactFixText(s, *secrets_));
  }
  void onOutgoing(const std::string& s) override {
    if (inner_ != nullptr) inner_->onOutgoing(RedactFixText(s, *secrets_));
  }
  void onEvent(const std::string& s) override {
    if (inner_ != nullptr) inner_->onEvent(RedactFixText(s, *secrets_));
  }
  FIX::Log* inner() const { return inner_; }

 private:
  FIX::Log* inner_;  // owned by the inner factory
  const std::vector<std::string>* secrets_;
};

FIX::Log* RedactingLogFactory::create() {
  return new Log(inner_ ? inner_->create() : nullptr, &secrets_);
}

FIX::Log* RedactingLogFactory::create(const FIX::SessionID& id) {
  return new Log(inner_ ? inner_->create(id) : nullptr, &secrets_);
}

void RedactingLogFactory::destroy(FIX::Log* log) {
  auto* own = static_cast<Log*>(log);
  if (inner_ && own->inner() != nullptr) inner_->destroy(own->inner());
  delete own;
}

}  // namespace tapedeck::adapters

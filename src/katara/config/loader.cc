// YAML → Config. Every mistake is collected with its path; nothing here throws to the caller.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "katara/config/config.h"
#include "katara/config/observability_loader.h"
#include "katara/config/provider_kinds.h"
#include "katara/config/yaml_reader.h"

namespace katara::config {
namespace {

constexpr std::int64_t kMaxMillis = 24LL * 3600 * 1000;

void readTimeouts(YamlReader& r, const YAML::Node& node, const std::string& path,
                  TimeoutOverrides& out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expectMap(node, path, {"connect_ms", "first_byte_ms", "first_token_ms", "idle_ms", "total_ms"})) return;
  auto ms = [&](const char* key, std::optional<Millis>& field) {
    if (auto v = r.integer(node[key], YamlReader::join(path, key), 1, kMaxMillis)) field = Millis(*v);
  };
  ms("connect_ms", out.connect);
  ms("first_byte_ms", out.first_byte);
  ms("first_token_ms", out.first_token);
  ms("idle_ms", out.idle);
  ms("total_ms", out.total);
}

// A loopback or private-network host in the URL: a model on the user's own hardware.
bool isPrivateHost(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return false;
  std::string host = url.substr(start + 3);
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);
    return host == "::1" || host.rfind("fc", 0) == 0 || host.rfind("fd", 0) == 0;
  }
  host = host.substr(0, host.find_first_of(":/"));
  if (host == "localhost" || host.rfind("127.", 0) == 0 || host.rfind("10.", 0) == 0 || host.rfind("192.168.", 0) == 0) return true;
  if (host.rfind("172.", 0) == 0) {
    const int second = std::atoi(host.c_str() + 4);
    return second >= 16 && second <= 31;
  }
  return false;
}

bool validBaseUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

void readProvider(YamlReader& r, const std::string& name, const YAML::Node& node,
                  const std::string& path, Config& cfg) {
  if (!r.expectMap(node, path, {"kind", "base_url", "api_key", "api_version", "timeouts", "probe_interval_ms", "prefill", "local"})) return;
  ProviderConfig p;
  p.name = name;
  if (auto kind = r.string(node["kind"], YamlReader::join(path, "kind"))) p.kind = *kind;
  const ProviderKind* kind = findProviderKind(p.kind);
  if (!kind) {
    r.error(YamlReader::join(path, "kind"),
            "unknown provider kind \"" + p.kind + "\" (supported: " + providerKindNames() + ")");
  }
  if (auto url = r.string(node["base_url"], YamlReader::join(path, "base_url"))) {
    p.base_url = *url;
  } else if (kind && !kind->default_base_url.empty()) {
    p.base_url = kind->default_base_url;
  } else if (kind) {
    r.error(YamlReader::join(path, "base_url"), "required for kind " + p.kind);
    return;
  }
  while (!p.base_url.empty() && p.base_url.back() == '/') p.base_url.pop_back();
  if (!validBaseUrl(p.base_url)) {
    r.error(YamlReader::join(path, "base_url"), "expected an http:// or https:// URL, got \"" + p.base_url + "\"");
  }
  if (auto version = r.string(node["api_version"], YamlReader::join(path, "api_version"))) {
    if (p.kind != "azure") r.error(YamlReader::join(path, "api_version"), "only kind azure takes an api_version");
    p.api_version = *version;
  } else if (p.kind == "azure") {
    p.api_version = "2024-10-21";  // the current GA version of the Azure OpenAI data plane
  }
  std::vector<std::string> unset;
  if (auto key = r.string(node["api_key"], YamlReader::join(path, "api_key"), &unset)) {
    if (!unset.empty()) {
      p.enabled = false;
      p.disabled_reason = "environment variable " + unset.front() + " is not set";
    } else if (key->empty()) {
      p.enabled = false;
      p.disabled_reason = "api_key is empty";
    } else {
      p.api_key = *key;
    }
  }
  if (kind) p.prefill = kind->prefill;
  if (auto v = r.boolean(node["prefill"], YamlReader::join(path, "prefill"))) p.prefill = *v;
  p.local = p.kind == "ollama" || isPrivateHost(p.base_url);
  if (auto v = r.boolean(node["local"], YamlReader::join(path, "local"))) p.local = *v;
  if (auto v = r.integer(node["probe_interval_ms"], YamlReader::join(path, "probe_interval_ms"), 0, kMaxMillis)) {
    p.probe_interval = Millis(*v);
  }
  TimeoutOverrides o;
  readTimeouts(r, node["timeouts"], YamlReader::join(path, "timeouts"), o);
  applyOverrides(o, p.timeouts);
  cfg.providers.emplace(name, std::move(p));
}

// `balanced`'s weights and constraints (only that strategy reads them).
void readBalanced(YamlReader& r, const YAML::Node& node, const std::string& path, RouteConfig& route) {
  auto nonNegative = [&](const YAML::Node& n, const std::string& p) -> std::optional<double> {
    auto v = r.number(n, p);
    if (v && *v < 0) {
      r.error(p, "expected a number ≥ 0");
      return std::nullopt;
    }
    return v;
  };
  if (auto w = node["weights"]; w.IsDefined() && !w.IsNull()) {
    const auto wpath = YamlReader::join(path, "weights");
    if (r.expectMap(w, wpath, {"cost", "latency", "errors"})) {
      if (auto v = nonNegative(w["cost"], YamlReader::join(wpath, "cost"))) route.balanced.cost = *v;
      if (auto v = nonNegative(w["latency"], YamlReader::join(wpath, "latency"))) route.balanced.latency = *v;
      if (auto v = nonNegative(w["errors"], YamlReader::join(wpath, "errors"))) route.balanced.errors = *v;
    }
  }
  if (auto c = node["constraints"]; c.IsDefined() && !c.IsNull()) {
    const auto cpath = YamlReader::join(path, "constraints");
    if (r.expectMap(c, cpath, {"max_ttft_ms", "max_cost_usd"})) {
      route.balanced.max_ttft_ms = nonNegative(c["max_ttft_ms"], YamlReader::join(cpath, "max_ttft_ms"));
      route.balanced.max_cost_usd = nonNegative(c["max_cost_usd"], YamlReader::join(cpath, "max_cost_usd"));
    }
  }
  if (route.strategy != Strategy::Balanced && (node["weights"].IsDefined() || node["constraints"].IsDefined())) {
    r.error(YamlReader::join(path, node["weights"].IsDefined() ? "weights" : "constraints"), "only strategy balanced takes it");
  }
}

void readPricing(YamlReader& r, const YAML::Node& node, Config& cfg) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    r.error("pricing", "expected a mapping of \"<provider>/<model>\" to prices");
    return;
  }
  for (const auto& kv : node) {
    auto key = r.key(kv.first, "pricing");
    if (!key) continue;
    const auto path = "pricing." + *key;
    if (key->find('/') == std::string::npos) r.error(path, "expected \"<provider>/<model>\"");
    if (!r.expectMap(kv.second, path, {"input_per_mtok", "output_per_mtok", "cached_input_per_mtok"})) continue;
    PriceConfig price;
    auto read = [&](const char* field, bool required) -> std::optional<double> {
      auto v = r.number(kv.second[field], YamlReader::join(path, field));
      if (!v && required && !kv.second[field].IsDefined()) r.error(YamlReader::join(path, field), "required");
      if (v && *v < 0) r.error(YamlReader::join(path, field), "expected a price ≥ 0");
      return v;
    };
    if (auto v = read("input_per_mtok", true)) price.input_per_mtok = *v;
    if (auto v = read("output_per_mtok", true)) price.output_per_mtok = *v;
    price.cached_input_per_mtok = read("cached_input_per_mtok", false);
    cfg.pricing.emplace(*key, price);
  }
}

void readRoute(YamlReader& r, const std::string& alias, const YAML::Node& node,
               const std::string& path, Config& cfg) {
  if (!r.expectMap(node, path, {"strategy", "targets", "timeouts", "retry", "context_fallback", "hedge", "weights",
                                "constraints"})) return;
  RouteConfig route;
  route.alias = alias;
  if (auto s = r.string(node["strategy"], YamlReader::join(path, "strategy"))) {
    if (auto strategy = parseStrategy(*s)) route.strategy = *strategy;
    else r.error(YamlReader::join(path, "strategy"), "unknown strategy \"" + *s + "\" (supported: " + strategyNames() + ")");
  }
  readBalanced(r, node, path, route);
  readTimeouts(r, node["timeouts"], YamlReader::join(path, "timeouts"), route.timeouts);
  if (auto f = r.string(node["context_fallback"], YamlReader::join(path, "context_fallback"))) {
    if (*f == alias) r.error(YamlReader::join(path, "context_fallback"), "a route cannot be its own fallback");
    else route.context_fallback = *f;
  }
  if (auto hedge = node["hedge"]; hedge.IsDefined() && !hedge.IsNull()) {
    const auto hpath = YamlReader::join(path, "hedge");
    if (r.expectMap(hedge, hpath, {"after_ms", "percentile", "budget_percent"})) {
      if (auto v = r.number(hedge["percentile"], YamlReader::join(hpath, "percentile"))) {
        if (*v <= 0 || *v >= 100) r.error(YamlReader::join(hpath, "percentile"), "expected a number in (0, 100)");
        else route.hedge.percentile = *v;
      }
      if (auto v = r.integer(hedge["after_ms"], YamlReader::join(hpath, "after_ms"), 1, kMaxMillis)) route.hedge.after = Millis(*v);
      else if (!hedge["after_ms"].IsDefined() && !route.hedge.percentile) r.error(YamlReader::join(hpath, "after_ms"), "required (or percentile)");
      else if (!hedge["after_ms"].IsDefined()) route.hedge.after = Millis(2000);
      if (auto v = r.number(hedge["budget_percent"], YamlReader::join(hpath, "budget_percent"))) {
        if (*v <= 0 || *v > 100) r.error(YamlReader::join(hpath, "budget_percent"), "expected a number in (0, 100]");
        else route.hedge.budget_percent = *v;
      }
    }
  }
  if (auto retry = node["retry"]; retry.IsDefined() && !retry.IsNull()) {
    const auto rpath = YamlReader::join(path, "retry");
    if (r.expectMap(retry, rpath, {"same_target", "backoff_ms", "max_attempts"})) {
      if (auto v = r.integer(retry["same_target"], YamlReader::join(rpath, "same_target"), 0, 5)) route.retry.same_target = static_cast<int>(*v);
      if (auto v = r.integer(retry["backoff_ms"], YamlReader::join(rpath, "backoff_ms"), 1, 60000)) route.retry.backoff = Millis(*v);
      if (auto v = r.integer(retry["max_attempts"], YamlReader::join(rpath, "max_attempts"), 1, 100)) route.retry.max_attempts = static_cast<int>(*v);
    }
  }
  auto targets = node["targets"];
  auto tpath = YamlReader::join(path, "targets");
  if (!targets.IsDefined() || !targets.IsSequence() || targets.size() == 0) {
    r.error(tpath, "expected a non-empty list of { provider, model }");
  } else {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      auto ipath = YamlReader::index(tpath, i);
      if (!r.expectMap(targets[i], ipath, {"provider", "model", "prefill", "weight", "max_concurrency"})) continue;
      TargetConfig t;
      auto prov = r.string(targets[i]["provider"], YamlReader::join(ipath, "provider"));
      auto model = r.string(targets[i]["model"], YamlReader::join(ipath, "model"));
      if (!prov) r.error(YamlReader::join(ipath, "provider"), "required");
      if (!model || model->empty()) r.error(YamlReader::join(ipath, "model"), "required");
      if (prov && !cfg.providers.contains(*prov)) {
        r.error(YamlReader::join(ipath, "provider"), "no provider named \"" + *prov + "\"");
      }
      const auto prefill = r.boolean(targets[i]["prefill"], YamlReader::join(ipath, "prefill"));
      TargetConfig target{prov.value_or(""), model.value_or(""), prefill};
      if (auto w = r.number(targets[i]["weight"], YamlReader::join(ipath, "weight"))) {
        if (*w < 0) r.error(YamlReader::join(ipath, "weight"), "expected a number ≥ 0");
        else target.weight = *w;
      }
      if (auto c = r.integer(targets[i]["max_concurrency"], YamlReader::join(ipath, "max_concurrency"), 1, 1000000)) {
        target.max_concurrency = static_cast<int>(*c);
      }
      if (prov && model) route.targets.push_back(std::move(target));
    }
  }
  cfg.models.emplace(alias, std::move(route));
}

void readLimits(YamlReader& r, const YAML::Node& node, Config& cfg) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expectMap(node, "limits", {"max_body_bytes", "max_header_bytes", "header_timeout_ms",
                                    "body_timeout_ms", "write_timeout_ms"})) return;
  auto& l = cfg.limits;
  if (auto v = r.integer(node["max_body_bytes"], "limits.max_body_bytes", 1024, 1LL << 32)) l.max_body_bytes = *v;
  if (auto v = r.integer(node["max_header_bytes"], "limits.max_header_bytes", 1024, 1 << 24)) l.max_header_bytes = *v;
  if (auto v = r.integer(node["header_timeout_ms"], "limits.header_timeout_ms", 1, kMaxMillis)) l.header_timeout = Millis(*v);
  if (auto v = r.integer(node["body_timeout_ms"], "limits.body_timeout_ms", 1, kMaxMillis)) l.body_timeout = Millis(*v);
  if (auto v = r.integer(node["write_timeout_ms"], "limits.write_timeout_ms", 1, kMaxMillis)) l.write_timeout = Millis(*v);
}

void readCircuit(YamlReader& r, const YAML::Node& node, Config& cfg) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expectMap(node, "circuit", {"enabled", "consecutive_failures", "failure_ratio", "min_samples", "window_ms", "open_ms",
                                     "max_open_ms"})) return;
  auto& c = cfg.circuit;
  if (auto v = r.boolean(node["enabled"], "circuit.enabled")) c.enabled = *v;
  if (auto v = r.integer(node["consecutive_failures"], "circuit.consecutive_failures", 1, 1000)) c.consecutive_failures = static_cast<int>(*v);
  if (auto v = r.number(node["failure_ratio"], "circuit.failure_ratio")) {
    if (*v <= 0 || *v > 1) r.error("circuit.failure_ratio", "expected a number in (0, 1]");
    else c.failure_ratio = *v;
  }
  if (auto v = r.integer(node["min_samples"], "circuit.min_samples", 1, 100000)) c.min_samples = static_cast<int>(*v);
  if (auto v = r.integer(node["window_ms"], "circuit.window_ms", 100, kMaxMillis)) c.window = Millis(*v);
  if (auto v = r.integer(node["open_ms"], "circuit.open_ms", 1, kMaxMillis)) c.open = Millis(*v);
  if (auto v = r.integer(node["max_open_ms"], "circuit.max_open_ms", 1, kMaxMillis)) c.max_open = Millis(*v);
  if (c.max_open < c.open) r.error("circuit.max_open_ms", "must be at least open_ms");
}

}  // namespace

void applyOverrides(const TimeoutOverrides& o, TimeoutsConfig& t) {
  if (o.connect) t.connect = *o.connect;
  if (o.first_byte) t.first_byte = *o.first_byte;
  if (o.first_token) t.first_token = *o.first_token;
  if (o.idle) t.idle = *o.idle;
  if (o.total) t.total = *o.total;
}

bool Config::hasEnabledTarget() const {
  for (const auto& [alias, route] : models) {
    for (const auto& t : route.targets) {
      auto it = providers.find(t.provider);
      if (it != providers.end() && it->second.enabled) return true;
    }
  }
  return false;
}

bool splitHostPort(const std::string& text, std::string& host, std::uint16_t& port) {
  std::size_t colon;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return false;
    host = text.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = text.substr(0, colon);
  }
  auto digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  auto v = std::stoul(digits);
  if (v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

namespace {

LoadResult parseConfigUnchecked(const std::string& yaml_text) {
  LoadResult result;
  auto loaded = loadYaml(yaml_text, result.errors);
  if (!loaded) return result;
  const YAML::Node& root = *loaded;
  YamlReader r(processEnv);
  Config cfg;
  if (!r.expectMap(root, "", {"listen", "workers", "api_keys", "providers", "models", "limits", "circuit",
                              "shutdown_grace_ms", "pricing", "store", "admin", "tracing"})) {
    result.errors = r.errors();
    return result;
  }
  if (auto listen = r.string(root["listen"], "listen")) {
    if (!splitHostPort(*listen, cfg.listen_host, cfg.listen_port)) {
      r.error("listen", "expected host:port, got \"" + *listen + "\"");
    }
  }
  if (auto w = r.integer(root["workers"], "workers", 1, 256)) cfg.workers = static_cast<unsigned>(*w);
  if (auto g = r.integer(root["shutdown_grace_ms"], "shutdown_grace_ms", 0, kMaxMillis)) cfg.shutdown_grace = Millis(*g);
  if (auto keys = root["api_keys"]; keys.IsDefined() && !keys.IsNull()) {
    if (!keys.IsSequence()) {
      r.error("api_keys", "expected a list of strings");
    } else {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        auto path = YamlReader::index("api_keys", i);
        if (auto k = r.string(keys[i], path)) {
          if (k->empty()) r.error(path, "an empty key would let anybody in");
          else cfg.api_keys.push_back(*k);
        }
      }
    }
  }
  readLimits(r, root["limits"], cfg);
  readCircuit(r, root["circuit"], cfg);
  readPricing(r, root["pricing"], cfg);
  readObservability(r, root, cfg);
  auto providers = root["providers"];
  if (!providers.IsDefined() || !providers.IsMap() || providers.size() == 0) {
    r.error("providers", "expected a mapping of at least one provider");
  } else {
    for (const auto& kv : providers) {
      auto key = r.key(kv.first, "providers");
      if (!key) continue;
      const std::string& name = *key;
      readProvider(r, name, kv.second, "providers." + name, cfg);
    }
  }
  auto models = root["models"];
  if (!models.IsDefined() || !models.IsMap() || models.size() == 0) {
    r.error("models", "expected a mapping of at least one model alias");
  } else {
    for (const auto& kv : models) {
      auto key = r.key(kv.first, "models");
      if (!key) continue;
      const std::string& alias = *key;
      readRoute(r, alias, kv.second, "models." + alias, cfg);
    }
    for (const auto& [alias, route] : cfg.models) {
      if (!route.context_fallback.empty() && !cfg.models.contains(route.context_fallback)) {
        r.error("models." + alias + ".context_fallback", "no model alias \"" + route.context_fallback + "\"");
      }
    }
  }
  result.errors = r.errors();
  if (result.errors.empty()) result.config = std::move(cfg);
  return result;
}

}  // namespace

LoadResult parseConfig(const std::string& yaml_text) {
  return guardYaml<LoadResult>([&] { return parseConfigUnchecked(yaml_text); });
}

LoadResult loadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    LoadResult r;
    r.errors.push_back(path + ": cannot open file");
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto result = parseConfig(ss.str());
  if (result.config) {
    const auto folder = std::filesystem::path(path).parent_path();
    auto& store = result.config->store;
    if (std::filesystem::path(store.sqlite).is_relative()) store.sqlite = (folder / store.sqlite).string();
    if (!store.journal.empty() && std::filesystem::path(store.journal).is_relative()) {
      store.journal = (folder / store.journal).string();
    }
  }
  return result;
}

}  // namespace katara::config

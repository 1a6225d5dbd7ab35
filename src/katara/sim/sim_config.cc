#include "katara/sim/sim_config.h"

#include <boost/json.hpp>
#include <yaml-cpp/yaml.h>

#include "katara/config/config.h"
#include "katara/config/env_subst.h"
#include "katara/config/yaml_reader.h"

namespace katara::sim {

using config::YamlReader;

double Distribution::sample(std::mt19937_64& rng) const {
  if (jitter <= 0) return std::max(0.0, mean);
  std::uniform_real_distribution<double> d(mean - jitter, mean + jitter);
  return std::max(0.0, d(rng));
}

namespace {

// Faults are written the same way in YAML and in the control API's JSON: one parser for both.
boost::json::value toJson(const YAML::Node& node) {
  if (node.IsMap()) {
    boost::json::object o;
    for (const auto& kv : node) {
      if (kv.first.IsScalar()) o[kv.first.Scalar()] = toJson(kv.second);
    }
    return o;
  }
  if (node.IsSequence()) {
    boost::json::array a;
    for (const auto& n : node) a.push_back(toJson(n));
    return a;
  }
  if (node.IsScalar()) {
    const auto& s = node.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size()) {
      if (d == static_cast<double>(static_cast<std::int64_t>(d)) && s.find('.') == std::string::npos)
        return static_cast<std::int64_t>(d);
      return d;
    }
    return boost::json::string(s);
  }
  return nullptr;
}

void readDistribution(YamlReader& r, const YAML::Node& node, const std::string& path, Distribution& out) {
  if (!node.IsDefined()) return;
  if (node.IsScalar()) {
    if (auto v = r.number(node, path)) out = {*v, 0};
    return;
  }
  if (!r.expectMap(node, path, {"mean", "jitter"})) return;
  if (auto v = r.number(node["mean"], path + ".mean")) out.mean = *v;
  if (auto v = r.number(node["jitter"], path + ".jitter")) out.jitter = *v;
}

std::vector<std::string> faultErrors(const YAML::Node& node, const std::string& path, Faults& f) {
  std::vector<std::string> errors;
  mergeFaults(toJson(node), path, f, errors);
  return errors;
}

}  // namespace

namespace {

SimConfigResult parseUnchecked(const std::string& yaml_text) {
  SimConfigResult result;
  auto loaded = config::loadYaml(yaml_text, result.errors);
  if (!loaded) return result;
  const YAML::Node& root = *loaded;
  YamlReader r(config::processEnv);
  SimConfig cfg;
  std::vector<std::string> errors;
  if (r.expectMap(root, "", {"control", "seed", "providers"})) {
    if (auto c = r.string(root["control"], "control")) {
      if (!config::splitHostPort(*c, cfg.control_host, cfg.control_port)) r.error("control", "expected host:port");
    }
    if (auto s = r.integer(root["seed"], "seed", 0, INT64_MAX)) cfg.seed = static_cast<std::uint64_t>(*s);
    auto providers = root["providers"];
    if (!providers.IsMap() || providers.size() == 0) r.error("providers", "expected a mapping of simulated providers");
    else for (const auto& kv : providers) {
      SimProvider p;
      auto pname = r.key(kv.first, "providers");
      if (!pname) continue;
      p.name = *pname;
      std::string path = "providers." + p.name;
      const auto& node = kv.second;
      if (!r.expectMap(node, path, {"listen", "api_key", "models", "faults"})) continue;
      if (auto k = r.string(node["api_key"], path + ".api_key")) p.api_key = *k;
      if (auto l = r.string(node["listen"], path + ".listen")) {
        if (!config::splitHostPort(*l, p.host, p.port)) r.error(path + ".listen", "expected host:port");
      } else {
        r.error(path + ".listen", "required");
      }
      if (node["faults"].IsDefined()) {
        auto e = faultErrors(node["faults"], path + ".faults", p.faults);
        errors.insert(errors.end(), e.begin(), e.end());
      }
      auto models = node["models"];
      if (!models.IsMap() || models.size() == 0) r.error(path + ".models", "expected a mapping of models");
      else for (const auto& mkv : models) {
        SimModel m;
        auto mname = r.key(mkv.first, path + ".models");
        if (!mname) continue;
        m.name = *mname;
        std::string mpath = path + ".models." + m.name;
        const auto& mn = mkv.second;
        if (mn.IsNull()) { p.models.emplace(m.name, m); continue; }
        if (!r.expectMap(mn, mpath, {"ttft_ms", "tokens_per_second", "answer_tokens", "context_tokens", "faults"})) continue;
        readDistribution(r, mn["ttft_ms"], mpath + ".ttft_ms", m.ttft_ms);
        readDistribution(r, mn["tokens_per_second"], mpath + ".tokens_per_second", m.tokens_per_second);
        readDistribution(r, mn["answer_tokens"], mpath + ".answer_tokens", m.answer_tokens);
        if (auto v = r.integer(mn["context_tokens"], mpath + ".context_tokens", 0, 100000000)) m.context_tokens = static_cast<int>(*v);
        if (mn["faults"].IsDefined()) {
          Faults f = p.faults;
          auto e = faultErrors(mn["faults"], mpath + ".faults", f);
          errors.insert(errors.end(), e.begin(), e.end());
          m.faults = f;
        }
        p.models.emplace(m.name, m);
      }
      cfg.providers.push_back(std::move(p));
    }
  }
  result.errors = r.errors();
  result.errors.insert(result.errors.end(), errors.begin(), errors.end());
  if (result.errors.empty()) result.config = std::move(cfg);
  return result;
}

}  // namespace

SimConfigResult parseSimConfig(const std::string& yaml_text) {
  return config::guardYaml<SimConfigResult>([&] { return parseUnchecked(yaml_text); });
}

}  // namespace katara::sim

#include "katara/config/observability_loader.h"

namespace katara::config {

namespace {

void readStore(YamlReader& r, const YAML::Node& node, StoreConfig& s) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expectMap(node, "store", {"enabled", "sqlite", "flush_interval_ms", "queue_rows", "journal", "retention_days", "max_mb",
                                   "capture_bodies", "capture_max_bytes"})) return;
  if (auto v = r.boolean(node["enabled"], "store.enabled")) s.enabled = *v;
  if (auto v = r.string(node["sqlite"], "store.sqlite")) {
    if (v->empty()) r.error("store.sqlite", "expected a file path");
    else s.sqlite = *v;
  }
  if (auto v = r.integer(node["flush_interval_ms"], "store.flush_interval_ms", 1, 60000)) s.flush_interval = Millis(*v);
  if (auto v = r.integer(node["queue_rows"], "store.queue_rows", 1, 10000000)) s.queue_rows = *v;
  if (auto v = r.string(node["journal"], "store.journal")) s.journal = *v;
  if (auto v = r.integer(node["retention_days"], "store.retention_days", 0, 36500)) s.retention_days = *v;
  if (auto v = r.integer(node["max_mb"], "store.max_mb", 0, 1LL << 30)) s.max_mb = *v;
  if (auto v = r.boolean(node["capture_bodies"], "store.capture_bodies")) s.capture_bodies = *v;
  if (auto v = r.integer(node["capture_max_bytes"], "store.capture_max_bytes", 1, 64LL << 20)) s.capture_max_bytes = *v;
}

void readAdmin(YamlReader& r, const YAML::Node& node, AdminConfig& a) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expectMap(node, "admin", {"api_key", "listen"})) return;
  if (auto v = r.string(node["api_key"], "admin.api_key")) {
    if (v->empty()) r.error("admin.api_key", "an empty key would let anybody in");
    else a.api_key = *v;
  }
  if (auto v = r.string(node["listen"], "admin.listen")) {
    if (!splitHostPort(*v, a.listen_host, a.listen_port)) r.error("admin.listen", "expected host:port, got \"" + *v + "\"");
  }
}

void readTracing(YamlReader& r, const YAML::Node& node, TracingConfig& t) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expectMap(node, "tracing", {"otlp_endpoint", "service_name"})) return;
  if (auto v = r.string(node["otlp_endpoint"], "tracing.otlp_endpoint")) {
    if (!v->empty() && v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0) {
      r.error("tracing.otlp_endpoint", "expected an http:// or https:// URL, got \"" + *v + "\"");
    } else {
      t.otlp_endpoint = *v;
    }
  }
  if (auto v = r.string(node["service_name"], "tracing.service_name")) t.service_name = *v;
}

}  // namespace

void readObservability(YamlReader& r, const YAML::Node& root, Config& cfg) {
  readStore(r, root["store"], cfg.store);
  readAdmin(r, root["admin"], cfg.admin);
  readTracing(r, root["tracing"], cfg.tracing);
}

}  // namespace katara::config

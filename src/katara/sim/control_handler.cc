#include "katara/sim/control_handler.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

namespace katara::sim {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object stateJson(const SimState& s) {
  json::array providers;
  for (std::size_t i = 0; i < s.current.providers.size(); ++i) {
    const auto& p = s.current.providers[i];
    json::object models;
    for (const auto& [name, m] : p.models) {
      models[name] = {{"ttft_ms", {{"mean", m.ttft_ms.mean}, {"jitter", m.ttft_ms.jitter}}},
                      {"tokens_per_second", {{"mean", m.tokens_per_second.mean}, {"jitter", m.tokens_per_second.jitter}}},
                      {"answer_tokens", {{"mean", m.answer_tokens.mean}, {"jitter", m.answer_tokens.jitter}}},
                      {"faults", toJson(m.faults ? *m.faults : p.faults)}};
    }
    providers.push_back({{"name", p.name}, {"listen", p.host + ":" + std::to_string(p.port)},
                         {"refusing", static_cast<bool>(s.refusing[i])}, {"faults", toJson(p.faults)}, {"models", models}});
  }
  return {{"uptime_s", s.elapsedSeconds()}, {"providers", providers}};
}

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> parts;
  while (!path.empty()) {
    auto slash = path.find('/');
    if (slash != 0) parts.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// Plain function, one co_await in handle(): GCC 12 miscompiles initializer lists inside
// co_await expressions, and this keeps every JSON literal outside the coroutine.
std::pair<int, json::value> respond(SimState& state_, const http::Request& request) {
  auto reply = [](int status, json::value body) { return std::pair<int, json::value>(status, std::move(body)); };
  auto parts = split(request.path());
  const auto& method = request.method;

  if (parts.size() == 2 && parts[1] == "state" && method == "GET") {
    return reply(200, stateJson(state_));

  }
  if (parts.size() == 2 && parts[1] == "log") {
    if (method == "DELETE") {
      state_.log.clear();
      return reply(200, json::object{{"cleared", true}});
    }
    std::string provider, model;
    if (auto url = boost::urls::parse_origin_form(request.target)) {
      for (auto p : url->params()) {
        if (p.key == "provider") provider = p.value;
        if (p.key == "model") model = p.value;
      }
    }
    json::array rows;
    for (const auto& e : state_.log) {
      if (!provider.empty() && e->provider != provider) continue;
      if (!model.empty() && e->model != model) continue;
      rows.push_back(e->toJson());
    }
    return reply(200, json::object{{"requests", rows}});

  }
  if (parts.size() == 2 && parts[1] == "reset" && method == "POST") {
    state_.current = state_.initial;
    state_.started = std::chrono::steady_clock::now();
    state_.log.clear();
    state_.request_times.clear();
    state_.applyRefusals();
    return reply(200, stateJson(state_));

  }
  // PUT /_sim/providers/{p}/faults and PUT /_sim/providers/{p}/models/{m}/faults
  if ((parts.size() == 4 || parts.size() == 6) && parts[1] == "providers" && parts.back() == "faults" &&
      (method == "PUT" || method == "POST")) {
    SimProvider* provider = nullptr;
    for (auto& p : state_.current.providers) if (p.name == parts[2]) provider = &p;
    if (!provider) {
      return reply(404, json::object{{"error", "no simulated provider named " + parts[2]}});
    }
    boost::system::error_code ec;
    auto body = json::parse(request.body, ec);
    std::vector<std::string> errors;
    if (ec) errors.push_back("body: " + ec.message());
    if (parts.size() == 4) {
      Faults f = provider->faults;
      if (!ec) mergeFaults(body, "faults", f, errors);
      if (errors.empty()) provider->faults = f;
    } else {
      auto it = provider->models.find(parts[4]);
      if (parts[3] != "models" || it == provider->models.end()) {
        return reply(404, json::object{{"error", "no simulated model named " + parts[4]}});
        }
      Faults f = it->second.faults ? *it->second.faults : provider->faults;
      if (!ec) mergeFaults(body, "faults", f, errors);
      if (errors.empty()) it->second.faults = f;
    }
    if (!errors.empty()) {
      json::array list;
      for (auto& e : errors) list.push_back(json::string(e));
      return reply(400, json::object{{"errors", list}});
    }
    state_.applyRefusals();
    return reply(200, stateJson(state_));

  }
  return reply(404, json::object{{"error", "unknown control endpoint " + request.target}});
}

}  // namespace

asio::awaitable<void> ControlHandler::handle(http::Request& request, http::ResponseWriter& writer) {
  auto [status, body] = respond(state_, request);
  http::Headers headers;
  headers.push_back({"content-type", "application/json"});
  co_await writer.send(status, std::move(headers), json::serialize(body));
}

}  // namespace katara::sim

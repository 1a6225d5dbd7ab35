#include "katara/config/price_catalogue.h"

#include <yaml-cpp/yaml.h>

#include <spdlog/spdlog.h>

namespace katara::config {

std::map<std::pair<std::string, std::string>, CatalogueEntry, std::less<>> parsePriceCatalogue(std::string_view text,
                                                                                               std::vector<std::string>& errors) {
  std::map<std::pair<std::string, std::string>, CatalogueEntry, std::less<>> out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    errors.push_back(std::string("the price catalogue is not YAML: ") + e.what());
    return out;
  }
  if (!root.IsMap()) {
    errors.push_back("the price catalogue: expected a mapping of provider kinds");
    return out;
  }
  for (const auto& kind : root) {
    const auto kind_name = kind.first.as<std::string>("");
    if (!kind.second.IsMap()) {
      errors.push_back("the price catalogue: " + kind_name + ": expected a mapping of models");
      continue;
    }
    for (const auto& model : kind.second) {
      const auto name = model.first.as<std::string>("");
      const auto& v = model.second;
      const std::string where = "the price catalogue: " + kind_name + "/" + name;
      try {
        CatalogueEntry e;
        if (!v.IsMap() || !v["input"] || !v["output"]) throw YAML::Exception(YAML::Mark::null_mark(), "needs input and output");
        e.price.input_per_mtok = v["input"].as<double>();
        e.price.output_per_mtok = v["output"].as<double>();
        if (v["cached"]) e.price.cached_input_per_mtok = v["cached"].as<double>();
        if (v["context"]) e.context_tokens = v["context"].as<std::int64_t>();
        if (e.price.input_per_mtok < 0 || e.price.output_per_mtok < 0 || e.context_tokens < 0) {
          throw YAML::Exception(YAML::Mark::null_mark(), "negative figure");
        }
        out.emplace(std::make_pair(kind_name, name), e);
      } catch (const YAML::Exception& ex) {
        errors.push_back(where + ": " + ex.msg);
      }
    }
  }
  return out;
}

const std::map<std::pair<std::string, std::string>, CatalogueEntry, std::less<>>& priceCatalogue() {
  static const auto catalogue = [] {
    std::vector<std::string> errors;
    auto parsed = parsePriceCatalogue(priceCatalogueText(), errors);
    for (const auto& e : errors) spdlog::error("{}", e);  // a broken shipped file fails its unit test first
    return parsed;
  }();
  return catalogue;
}

const CatalogueEntry* catalogueEntry(std::string_view kind, std::string_view model) {
  const auto& c = priceCatalogue();
  auto it = c.find(std::make_pair(std::string(kind), std::string(model)));
  return it == c.end() ? nullptr : &it->second;
}

}  // namespace katara::config

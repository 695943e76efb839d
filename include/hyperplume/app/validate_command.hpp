#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume validate --out DIR ...: the known-truth benchmark. Synthetic campaigns over a
// grid of conditions, run through the campaign (pass 1, then --reprocess) with markers at the
// true sources, every estimate against its truth: validation.csv and validation.txt.
class ValidateCommand : public Command {
 public:
  std::string name() const override { return "validate"; }
  std::string summary() const override {
    return "known-truth benchmark: synthetic plumes through both passes, estimates against truth";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
  bool stops_on_signal() const override { return true; }
};

}  // namespace hyperplume::app

#include "testing/memory_probe.hpp"

#include <fstream>
#include <string>

namespace milkyhoop::rag::testing {
namespace {

// A "Vm…:  1234 kB" line of /proc/self/status, in bytes.
std::size_t StatusField(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(name + ":", 0) == 0) return std::stoull(line.substr(name.size() + 1)) * 1024;
  }
  return 0;
}

}  // namespace

MemoryProbe::MemoryProbe() {
  // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.close();
  reset_ = !clear.fail();
  baseline_ = StatusField("VmRSS");
}

std::size_t MemoryProbe::PeakGrowth() const {
  const std::size_t peak = StatusField("VmHWM");
  return peak > baseline_ ? peak - baseline_ : 0;
}

}  // namespace milkyhoop::rag::testing

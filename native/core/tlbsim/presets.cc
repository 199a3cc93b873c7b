// Machine presets. Each cites where its figures come from: the vendors' manuals and talks,
// public microarchitecture write-ups (WikiChip, AnandTech), ChampSim's default configuration,
// and for zen4-vm the CPUID of the build machine (docs/measured-facts.md). [S] marks a figure
// from a secondary source, [U] one we could not confirm in any primary source, and [A] a
// modelling assumption of ours (no public figure found). Every field can be overridden
// from TypeScript.
#include "core/tlbsim/presets.h"

#include <utility>

namespace thp::tlbsim {

namespace {

constexpr uint8_t k4K = SizeBit(PageSize::k4K);
constexpr uint8_t k2M = SizeBit(PageSize::k2M);
constexpr uint8_t k1G = SizeBit(PageSize::k1G);

TlbArrayConfig Array(uint32_t entries, uint32_t ways, uint8_t sizes) { return TlbArrayConfig{ArrayShape{entries, ways}, sizes}; }

// Intel-style translation caches (Intel SDM vol. 3A, 4.10.3): PDE, PDPTE and PML4 caches.
// Their sizes are not published; [A] 32 PDE, 4 PDPTE, 2 PML4 entries.
void IntelWalkCaches(SimConfig* c) {
  c->pwc[1] = ArrayShape{32, 4};
  c->pwc[2] = ArrayShape{4, 0};
  c->pwc[3] = ArrayShape{2, 0};
  c->pwc[4] = ArrayShape{2, 0};
}

// AMD keeps PDEs in the unified L2 TLB (WikiChip, Zen 2); modelled as a separate PDE cache
// of [A] 64 entries plus small upper-level caches [A].
void AmdWalkCaches(SimConfig* c) {
  c->pwc[1] = ArrayShape{64, 0};
  c->pwc[2] = ArrayShape{16, 0};
  c->pwc[3] = ArrayShape{4, 0};
  c->pwc[4] = ArrayShape{2, 0};
}

// Page-table lines the caches keep: [A] 2 MiB worth (32768 lines of 64 B), roughly an L2 plus a
// slice of a shared L3 that data does not evict. This is the knob the fidelity bench calibrates.
void CommonCache(SimConfig* c) { c->pt_cache = ArrayShape{32768, 16}; }

// The parts every preset has: its TLB arrays, walk caches, the page-table line cache and the L2 hit cost.
SimConfig Machine(const char* name, std::vector<TlbArrayConfig> l1, std::vector<TlbArrayConfig> l2,
                  void (*walk_caches)(SimConfig*), double l2_hit_cycles) {
  SimConfig c;
  c.name = name;
  c.l1.arrays = std::move(l1);
  c.l2.arrays = std::move(l2);
  walk_caches(&c);
  CommonCache(&c);
  c.cost.l2_hit_cycles = l2_hit_cycles;
  return c;
}

// The AMD EPYC (Zen 4) Firecracker VM this project is built and measured on
// (docs/measured-facts.md): CPUID 0x80000005/6 reports a 72-entry fully associative L1 dTLB for 4 KiB and
// 2 MiB pages and a 3072-entry L2 dTLB for 4 KiB and 2 MiB (Zen 4 layout), no 1 GiB entries.
// L2 associativity 12 [U] (WikiChip, Zen 4); L2 hit 7-8 cycles [U]. The machine is a VM:
// nested paging with [A] 4 KiB host pages, a [A] 64-entry nested TLB and host walk caches like
// the guest's.
SimConfig Zen4Vm() {
  SimConfig c = Machine("zen4-vm", {Array(72, 0, k4K | k2M)}, {Array(3072, 12, k4K | k2M)}, AmdWalkCaches, 7.5);
  c.nested.enabled = true;
  c.nested.host_page = PageSize::k4K;
  c.nested.nested_tlb = ArrayShape{64, 0};
  for (int l = 0; l < 5; ++l) c.nested.host_pwc[l] = c.pwc[l];
  return c;
}

// WikiChip, Zen 2: L1 64 fully associative, 4K/2M/1G; L2 2048 for 4K/2M with PDEs,
// 1 GiB smashed to 2 MiB. The listed 12 ways do not divide 2048 (the array is skewed by page
// size, as WikiChip notes), so we use 16 ways x 128 sets [A].
SimConfig Zen2() { return Machine("zen2", {Array(64, 0, k4K | k2M | k1G)}, {Array(2048, 16, k4K | k2M)}, AmdWalkCaches, 7); }

// AnandTech, Zen 3: L1 64, L2 2048 -- the TLB sizes are Zen 2's; 6 walkers (not
// modelled: walks are serial here).
SimConfig Zen3() { return Zen2(); }

// AMD, Hot Chips 2024 (Zen 5): L1 DTLB 96, L2 DTLB 4096 "everything but 1G"; ways [A] 16.
SimConfig Zen5() { return Machine("zen5", {Array(96, 0, k4K | k2M | k1G)}, {Array(4096, 16, k4K | k2M)}, AmdWalkCaches, 7.5); }

// Intel optimization manual and WikiChip, Golden Cove: L1 96 entries for 4K loads [S] (6 ways [A]), 32 x 2M [U] (4 ways [A]), 8 x 1G [U]
// fully associative; STLB 2048 4K/2M [U] (16 ways [A]) and 1024 1G [U] (8 ways [A]); L2 hit [A] 8.
// Sapphire Rapids uses the same core.
SimConfig GoldenCove() {
  return Machine("golden-cove", {Array(96, 6, k4K), Array(32, 4, k2M), Array(8, 0, k1G)},
                 {Array(2048, 16, k4K | k2M), Array(1024, 8, k1G)}, IntelWalkCaches, 8);
}

// Intel optimization manual, Haswell: L1 64 x 4K 4-way, 32 x 2M (4 ways [A]), 4 x 1G; STLB 1024 shared 4K/2M [U]
// (8 ways [A]); L2 hit ~12 cycles and ~20 cycles for a walk whose leaf is cached (published
// latency measurements; the latter is the default cache_ref_cycles).
SimConfig Haswell() {
  return Machine("haswell", {Array(64, 4, k4K), Array(32, 4, k2M), Array(4, 0, k1G)}, {Array(1024, 8, k4K | k2M)},
                 IntelWalkCaches, 12);
}

// ChampSim's default configuration (champsim_config.json): DTLB 16 sets x 4 ways, STLB 128 sets x 12 ways
// (8 cycles), 4 KiB pages only, 5-level tables, page-structure caches PSCL5 1x2, PSCL4 1x4,
// PSCL3 2x4, PSCL2 4x8.
void ChampSimWalkCaches(SimConfig* c) {
  c->pwc[1] = ArrayShape{32, 8};
  c->pwc[2] = ArrayShape{8, 4};
  c->pwc[3] = ArrayShape{4, 4};
  c->pwc[4] = ArrayShape{2, 2};
}

SimConfig ChampSim() {
  SimConfig c = Machine("champsim", {Array(64, 4, k4K)}, {Array(1536, 12, k4K)}, ChampSimWalkCaches, 8);
  c.levels = 5;
  return c;
}

struct Entry {
  const char* name;
  SimConfig (*make)();
};

const Entry kPresets[] = {
    {"zen4-vm", Zen4Vm},
    {"zen2", Zen2},
    {"zen3", Zen3},
    {"zen5", Zen5},
    {"golden-cove", GoldenCove},
    {"sapphire-rapids", GoldenCove},
    {"haswell", Haswell},
    {"champsim", ChampSim},
};

}  // namespace

const std::vector<std::string>& PresetNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& e : kPresets) v.emplace_back(e.name);
    return v;
  }();
  return names;
}

bool LoadPreset(const std::string& name, SimConfig* out) {
  for (const auto& e : kPresets) {
    if (name == e.name) {
      *out = e.make();
      out->name = name;
      if (out->nested.nested_tlb.entries == 0) {
        // Presets of bare-metal machines still get a host side for when nested mode is switched
        // on: [A] a 64-entry nested TLB and host walk caches like the guest's.
        out->nested.nested_tlb = ArrayShape{64, 0};
        for (int l = 0; l < 5; ++l) out->nested.host_pwc[l] = out->pwc[l];
      }
      return true;
    }
  }
  return false;
}

}  // namespace thp::tlbsim

// Exact LRU order of the ways of wide sets (more than NarrowSets::kMaxWays, e.g. the 64-96
// entry fully associative L1 dTLBs). A hit only writes the way's recency stamp from the set's
// clock (one store, as cheap as a hit can be); a fill picks the way with the smallest stamp.
// Stamps are 16-bit and packed, so that minimum is a short SIMD scan (eight ways per
// instruction with SSE2) rather than a pass over 16-byte slots; invalid ways hold stamp 0 and
// so are taken first, and padding lanes hold kPad, above every real stamp. A per-set lower
// bound of the stamps usually names the oldest stamp without the minimum pass, and a ring of the
// ways that fills gave the latest stamps usually names the way holding it without any scan
// (fill-dominated streams, such as walk-heavy ones, give consecutive stamps). Hits do not
// touch the ring, so a hit costs no more than its stamp; a ring entry is only believed after
// checking that its way holds the stamp, which makes it the oldest. When a set's clock
// reaches kMaxStamp its stamps are renumbered 1..n in the same order (rare: once per ~32000
// uses), so they never wrap.
#pragma once

#include <cstdint>
#include <vector>

namespace thp::tlbsim {

class StampLru {
 public:
  StampLru() = default;
  StampLru(uint32_t sets, uint32_t ways);

  // Makes `way` the most recent of its set (a hit).
  void Use(uint32_t set, uint32_t way) { stamps_[set * stride_ + way] = NextStamp(set); }
  // Makes `way`, just refilled, the most recent of its set and remembers which way got the stamp.
  void Fill(uint32_t set, uint32_t way) {
    const uint16_t stamp = NextStamp(set);
    stamps_[set * stride_ + way] = stamp;
    holders_[set * ring_ + (stamp & (ring_ - 1))] = way;
  }
  // The way a fill should take: an invalid one while any exists, else the least recently used.
  // The caller refills that way at once (Fill). Inline for the usual case: every way is valid
  // and the ring names the way holding the lower bound, which is then the oldest stamp.
  uint32_t Victim(uint32_t set) {
    uint16_t& floor = floors_[set];
    if (floor != kInvalid) {
      const uint32_t way = holders_[set * ring_ + (floor & (ring_ - 1))];
      if (stamps_[set * stride_ + way] == floor) {
        ++floor;
        return way;
      }
    }
    return VictimByScan(set);
  }
  void Invalidate(uint32_t set, uint32_t way) {
    stamps_[set * stride_ + way] = kInvalid;
    floors_[set] = kInvalid;
  }
  void Clear();

 private:
  static constexpr uint16_t kInvalid = 0;
  static constexpr uint16_t kMaxStamp = 0x7FFE;  // below kPad; signed 16-bit compares stay exact
  static constexpr uint16_t kPad = 0x7FFF;
  uint16_t NextStamp(uint32_t set) {
    uint16_t& clock = clocks_[set];
    if (clock == kMaxStamp) Renumber(set);
    return ++clock;
  }
  void Renumber(uint32_t set);
  uint32_t VictimByScan(uint32_t set);
  uint16_t MinStamp(const uint16_t* set_stamps) const;
  int FindStamp(const uint16_t* set_stamps, uint16_t stamp) const;  // a way holding it, or -1

  uint32_t ways_ = 0;
  uint32_t stride_ = 0;  // ways rounded up to a multiple of 8 (one SIMD vector)
  uint32_t ring_ = 0;    // ring entries per set (a power of two above ways)
  std::vector<uint16_t> clocks_;
  std::vector<uint16_t> floors_;  // per set, a lower bound of its stamps (see Victim)
  std::vector<uint16_t> stamps_;
  std::vector<uint32_t> holders_;  // holders_[set * ring_ + stamp % ring_]: the way a fill gave that stamp
  std::vector<uint32_t> order_;    // Renumber's work space (reserved: no allocation)
};

}  // namespace thp::tlbsim

// SPDX-License-Identifier: GPL-2.0-or-later
#include "histogram.h"

#include <algorithm>
#include <bit>

namespace sa::report {

void Histogram::add(uint64_t us) {
  ++count_;
  min_ = std::min(min_, us);
  max_ = std::max(max_, us);
  if (us < (uint64_t{1} << kExactBits)) {
    if (us >= exact_.size())
      exact_.resize(
          std::min<size_t>(std::max<size_t>(us + 1, exact_.size() * 2), 1u << kExactBits));
    ++exact_[us];
    return;
  }
  unsigned e = unsigned(std::bit_width(us)) - 1;  // 2^e <= us
  size_t band = e - kExactBits;
  if (band >= bands_.size()) bands_.resize(band + 1);
  if (bands_[band].empty()) bands_[band].resize(size_t{1} << kSubBits);
  ++bands_[band][(us >> (e - kSubBits)) & ((uint64_t{1} << kSubBits) - 1)];
}

uint64_t Histogram::percentile(unsigned p) const {
  uint64_t rank = (uint64_t(p) * count_ + 99) / 100;
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t v = 0; v < exact_.size(); ++v) {
    seen += exact_[v];
    if (seen >= rank) return v;
  }
  for (size_t b = 0; b < bands_.size(); ++b) {
    unsigned e = unsigned(b) + kExactBits;
    for (size_t i = 0; i < bands_[b].size(); ++i) {
      seen += bands_[b][i];
      if (seen >= rank) {
        uint64_t lower = ((uint64_t{1} << kSubBits) + i) << (e - kSubBits);
        return std::clamp(lower, min_, max_);
      }
    }
  }
  return max_;
}

}  // namespace sa::report

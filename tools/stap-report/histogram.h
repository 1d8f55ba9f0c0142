// SPDX-License-Identifier: GPL-2.0-or-later
// Latencies of one function in memory that does not grow with the number of calls.
//
// Nearest-rank percentiles need every value; a session of millions of calls cannot keep them. So:
// values below 2048 µs are counted exactly (one counter per µs, grown up to the largest value
// seen), and above that each power of two is cut into 1024 buckets, so a percentile reported from
// there is the lower bound of the bucket that holds the nearest-rank value: at most 0.1 % below it.
// min and max are exact. Memory: at most 16 KiB + 8 KiB per power of two used, whatever the count.
#pragma once

#include <cstdint>
#include <vector>

namespace sa::report {

class Histogram {
 public:
  void add(uint64_t us);
  uint64_t count() const { return count_; }
  uint64_t min() const { return min_; }
  uint64_t max() const { return max_; }
  // Nearest rank: the value at rank ceil(p/100 * count) in ascending order (p in 1..100). count() >
  // 0.
  uint64_t percentile(unsigned p) const;

 private:
  static constexpr unsigned kExactBits = 11;  // values < 2^11 are exact
  static constexpr unsigned kSubBits = 10;    // 2^10 buckets per power of two above that

  std::vector<uint64_t> exact_;
  std::vector<std::vector<uint64_t>> bands_;  // bands_[e - kExactBits]: 2^e <= value < 2^(e+1)
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace sa::report

#include "base/diff.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <vector>

namespace kf {
namespace {

enum class Op { keep, del, add };
struct Step {
    Op op;
    size_t a;  // index in before (keep/del)
    size_t b;  // index in after (keep/add)
};

// Beyond this many differing lines the middle is shown as one block of
// deletions then additions: Myers' trace below needs about D*D ints, and a
// --dry-run that empties a 12k-line file must not need gigabytes.
constexpr long kMaxEditDistance = 3000;

// Myers' O((N+M)D) shortest edit script of a[a0,a1) and b[b0,b1), appended
// to `steps`; false when the distance is over kMaxEditDistance. The trace
// keeps only the 2d+1 diagonals each round d can reach.
bool myers(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b, long a0, long a1, long b0,
           long b1, std::vector<Step>& steps) {
    const long n = a1 - a0, m = b1 - b0;
    const long max = std::min(n + m, kMaxEditDistance);
    std::vector<int> v(size_t(2 * max + 3), 0);
    const long off = max + 1;
    std::vector<std::vector<int>> trace;
    long found_d = -1;
    for (long d = 0; d <= max && found_d < 0; ++d) {
        trace.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));  // diagonals -d..d
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[size_t(off + k - 1)] < v[size_t(off + k + 1)])) ? v[size_t(off + k + 1)]
                                                                                               : v[size_t(off + k - 1)] + 1;
            long y = x - k;
            while (x < n && y < m && a[size_t(a0 + x)] == b[size_t(b0 + y)]) ++x, ++y;
            v[size_t(off + k)] = int(x);
            if (x >= n && y >= m) {
                found_d = d;
                break;
            }
        }
    }
    if (found_d < 0) return false;
    std::vector<Step> rev;
    long x = n, y = m;
    for (long d = found_d; d > 0; --d) {
        const std::vector<int>& pv = trace[size_t(d)];  // state before round d, diagonals -d..d
        auto at = [&](long k) { return long(pv[size_t(k + d)]); };
        long k = x - y;
        long prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
        long prev_x = at(prev_k);
        long prev_y = prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            --x, --y;
            rev.push_back({Op::keep, size_t(a0 + x), size_t(b0 + y)});
        }
        if (x == prev_x)
            rev.push_back({Op::add, size_t(a0 + x), size_t(b0 + --y)});
        else
            rev.push_back({Op::del, size_t(a0 + --x), size_t(b0 + y)});
    }
    while (x > 0 && y > 0) {
        --x, --y;
        rev.push_back({Op::keep, size_t(a0 + x), size_t(b0 + y)});
    }
    steps.insert(steps.end(), rev.rbegin(), rev.rend());
    return true;
}

// The common head and tail are kept as they are; only the middle is diffed.
std::vector<Step> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    size_t head = 0;
    while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
    size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
    std::vector<Step> steps;
    for (size_t i = 0; i < head; ++i) steps.push_back({Op::keep, i, i});
    const long a1 = long(a.size() - tail), b1 = long(b.size() - tail);
    if (!myers(a, b, long(head), a1, long(head), b1, steps)) {
        for (long i = long(head); i < a1; ++i) steps.push_back({Op::del, size_t(i), head});
        for (long j = long(head); j < b1; ++j) steps.push_back({Op::add, size_t(a1), size_t(j)});
    }
    for (size_t i = tail; i > 0; --i) steps.push_back({Op::keep, a.size() - i, b.size() - i});
    return steps;
}

std::string range(size_t start, size_t count) {
    // diff -u numbers lines from 1; an empty range names the line before it.
    std::string s = std::to_string(count == 0 ? start : start + 1);
    if (count != 1) s += "," + std::to_string(count);
    return s;
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view label_before, std::string_view label_after) {
    if (before == after) return {};
    auto a = split_lines(before);
    auto b = split_lines(after);
    auto steps = edit_script(a, b);
    const size_t context = 3;
    std::string out;
    out += "--- " + std::string(label_before) + "\n";
    out += "+++ " + std::string(label_after) + "\n";
    size_t i = 0;
    while (i < steps.size()) {
        while (i < steps.size() && steps[i].op == Op::keep) ++i;
        if (i == steps.size()) break;
        size_t first = i >= context ? i - context : 0;
        // Extend the hunk while the next change is within 2*context lines.
        size_t last = i;
        size_t j = i;
        while (j < steps.size()) {
            if (steps[j].op != Op::keep) {
                last = j;
                ++j;
                continue;
            }
            size_t run = j;
            while (run < steps.size() && steps[run].op == Op::keep) ++run;
            if (run == steps.size() || run - j > 2 * context) break;
            j = run;
        }
        size_t end = std::min(steps.size(), last + 1 + context);
        size_t a_start = steps[first].a, b_start = steps[first].b;
        size_t a_count = 0, b_count = 0;
        std::string body;
        for (size_t s = first; s < end; ++s) {
            const Step& st = steps[s];
            if (st.op == Op::keep) {
                body += " " + std::string(a[st.a]) + "\n";
                ++a_count, ++b_count;
            } else if (st.op == Op::del) {
                body += "-" + std::string(a[st.a]) + "\n";
                ++a_count;
            } else {
                body += "+" + std::string(b[st.b]) + "\n";
                ++b_count;
            }
        }
        out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n";
        out += body;
        i = end;
    }
    return out;
}

}  // namespace kf

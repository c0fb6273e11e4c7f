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

// Myers' O((N+M)D) shortest edit script; the vendor files we diff are
// large (12k-line annotations) but the edits small, so D stays tiny.
std::vector<Step> edit_script(const std::vector<std::string_view>& a,
                              const std::vector<std::string_view>& b) {
    const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
    const long max = n + m;
    std::vector<long> v(2 * max + 2, 0);
    std::vector<std::vector<long>> trace;
    long found_d = -1;
    for (long d = 0; d <= max && found_d < 0; ++d) {
        trace.push_back(v);
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]))
                x = v[k + 1 + max];
            else
                x = v[k - 1 + max] + 1;
            long y = x - k;
            while (x < n && y < m && a[x] == b[y]) ++x, ++y;
            v[k + max] = x;
            if (x >= n && y >= m) {
                found_d = d;
                break;
            }
        }
    }
    trace.push_back(v);
    std::vector<Step> steps;
    long x = n, y = m;
    for (long d = found_d; d > 0; --d) {
        const std::vector<long>& pv = trace[d];  // state before step d
        long k = x - y;
        long prev_k = (k == -d || (k != d && pv[k - 1 + max] < pv[k + 1 + max])) ? k + 1 : k - 1;
        long prev_x = pv[prev_k + max];
        long prev_y = prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            --x, --y;
            steps.push_back({Op::keep, size_t(x), size_t(y)});
        }
        if (x == prev_x)
            steps.push_back({Op::add, size_t(x), size_t(--y)});
        else
            steps.push_back({Op::del, size_t(--x), size_t(y)});
    }
    while (x > 0 && y > 0) {
        --x, --y;
        steps.push_back({Op::keep, size_t(x), size_t(y)});
    }
    std::reverse(steps.begin(), steps.end());
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

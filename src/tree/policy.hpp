// A symbol's policy: key (arch or arch-flavour) -> value, sorted by key.
//
// Keys and values are views of strings interned in a StringPool owned by the
// annotations (or of literals): a policy line has a handful of keys drawn
// from ~15 arch/flavour names and values from a small set ('y', 'm', '-',
// …), so interning spares the ~50k string allocations that dominated the
// time to read, copy and write a 12k-symbol file. A sorted vector rather
// than std::map for the same reason.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace kf {

// Append-only set of strings with stable addresses.
class StringPool {
public:
    std::string_view intern(std::string_view s) {
        auto it = strings_.find(s);
        if (it == strings_.end()) it = strings_.emplace(s).first;
        return *it;
    }

private:
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_set<std::string, Hash, std::equal_to<>> strings_;
};

class Policy {
public:
    using value_type = std::pair<std::string_view, std::string_view>;
    using iterator = std::vector<value_type>::iterator;
    using const_iterator = std::vector<value_type>::const_iterator;

    Policy() = default;
    // For literals (tests): views of static strings need no pool.
    Policy(std::initializer_list<value_type> items) {
        for (const auto& [k, v] : items) set(k, v);
    }

    const_iterator begin() const { return items_.begin(); }
    const_iterator end() const { return items_.end(); }
    bool empty() const { return items_.empty(); }
    size_t size() const { return items_.size(); }
    void clear() { items_.clear(); }
    void reserve(size_t n) { items_.reserve(n); }

    const_iterator find(std::string_view key) const {
        auto it = lower(key);
        return it != items_.end() && it->first == key ? it : items_.end();
    }
    size_t count(std::string_view key) const { return find(key) != end() ? 1 : 0; }
    const std::string_view* get(std::string_view key) const {
        auto it = find(key);
        return it == end() ? nullptr : &it->second;
    }

    // `key` and `value` must outlive the policy (interned, or literals).
    void set(std::string_view key, std::string_view value) {
        auto it = items_.begin() + (lower(key) - items_.cbegin());
        if (it != items_.end() && it->first == key) it->second = value;
        else items_.emplace(it, key, value);
    }

    const_iterator erase(const_iterator it) { return items_.erase(it); }
    void erase(std::string_view key) {
        if (auto it = find(key); it != end()) items_.erase(it);
    }

    friend bool operator==(const Policy& a, const Policy& b) { return a.items_ == b.items_; }

    // Every key of this policy is in `other`, with the same value (Ubuntu's
    // `old == old | new` test for what an including file need not repeat).
    bool is_subset_of(const Policy& other) const {
        for (const auto& [k, v] : items_) {
            const std::string_view* there = other.get(k);
            if (!there || *there != v) return false;
        }
        return true;
    }

private:
    const_iterator lower(std::string_view key) const {
        return std::lower_bound(items_.begin(), items_.end(), key,
                                [](const value_type& item, std::string_view k) { return item.first < k; });
    }

    std::vector<value_type> items_;
};

}  // namespace kf

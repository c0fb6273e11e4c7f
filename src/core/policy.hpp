// A symbol's policy: key (arch or arch-flavour) -> value, sorted by key.
//
// A sorted vector rather than std::map: a policy has a handful of keys and
// the annotations file has ~12k of them, so node allocations dominated the
// time to read and write the file.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf {

class Policy {
public:
    using value_type = std::pair<std::string, std::string>;
    using iterator = std::vector<value_type>::iterator;
    using const_iterator = std::vector<value_type>::const_iterator;

    Policy() = default;
    Policy(std::initializer_list<value_type> items) {
        for (const auto& [k, v] : items) (*this)[k] = v;
    }

    iterator begin() { return items_.begin(); }
    iterator end() { return items_.end(); }
    const_iterator begin() const { return items_.begin(); }
    const_iterator end() const { return items_.end(); }
    bool empty() const { return items_.empty(); }
    size_t size() const { return items_.size(); }
    void clear() { items_.clear(); }
    void reserve(size_t n) { items_.reserve(n); }

    iterator find(std::string_view key) {
        auto it = lower(key);
        return it != items_.end() && it->first == key ? it : items_.end();
    }
    const_iterator find(std::string_view key) const {
        return const_cast<Policy*>(this)->find(key);
    }
    size_t count(std::string_view key) const { return find(key) != end() ? 1 : 0; }

    std::string& operator[](std::string_view key) {
        auto it = lower(key);
        if (it == items_.end() || it->first != key) it = items_.emplace(it, std::string(key), std::string());
        return it->second;
    }

    iterator erase(iterator it) { return items_.erase(it); }
    void erase(std::string_view key) {
        if (auto it = find(key); it != items_.end()) items_.erase(it);
    }

    friend bool operator==(const Policy& a, const Policy& b) { return a.items_ == b.items_; }

private:
    iterator lower(std::string_view key) {
        return std::lower_bound(items_.begin(), items_.end(), key,
                                [](const value_type& item, std::string_view k) { return item.first < k; });
    }

    std::vector<value_type> items_;
};

}  // namespace kf

#include "tree/annotations.hpp"

#include "tree/pyliteral.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <set>

namespace kf {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kNoNotesMarker = "# ---- Annotations without notes ----";
constexpr size_t kNameWidth = 47;

void append_policy(std::string& out, const Policy& policy) {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : policy) {
        if (!first) out += ", ";
        first = false;
        append_py_repr(out, k);
        out += ": ";
        append_py_repr(out, v);
    }
    out += '}';
}

void append_padded(std::string& out, const std::string& name) {
    out += name;
    if (name.size() < kNameWidth) out.append(kNameWidth - name.size(), ' ');
}

bool all_undefined(const Policy& p) {
    return std::all_of(p.begin(), p.end(), [](const auto& kv) { return kv.second == "-"; });
}

}  // namespace

Status check_annotation_text(std::string_view text, std::string_view what, const std::string& file, int line) {
    if (text.find("  ") != std::string_view::npos)
        return bad_input(std::string(what) + ": " + quote_input(text) +
                             " cannot be written to annotations (Ubuntu's reader collapses runs of blanks)",
                         file, line);
    for (char c : text) {
        if (c == '<' || c == '>')
            return bad_input(std::string(what) + ": " + quote_input(text) +
                                 " cannot be written to annotations ('<' and '>' end a policy or note there)",
                             file, line);
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return bad_input(std::string(what) + ": " + quote_input(text) + " has a control character", file, line);
    }
    return ok_status();
}

bool Annotations::has_flavour(std::string_view arch, std::string_view flavour) const {
    std::string key = std::string(arch) + "-" + std::string(flavour);
    return std::find(flavours_.begin(), flavours_.end(), key) != flavours_.end();
}

std::vector<std::string> Annotations::flavours_of(std::string_view arch) const {
    std::vector<std::string> out;
    std::string prefix = std::string(arch) + "-";
    for (const auto& f : flavours_)
        if (starts_with(f, prefix)) out.push_back(f.substr(prefix.size()));
    return out;
}

void Annotations::add_flavour(std::string_view arch, std::string_view flavour) {
    if (has_flavour(arch, flavour)) return;
    std::string key = std::string(arch) + "-" + std::string(flavour);
    // Insert at its sorted place without reordering the others.
    auto pos = std::find_if(flavours_.begin(), flavours_.end(), [&](const std::string& f) { return f > key; });
    flavours_.insert(pos, key);
    for (auto& line : header_lines_)
        if (starts_with(line, "# FLAVOUR: ")) line = "# FLAVOUR: " + join(flavours_, " ");
}

const Annotation* Annotations::find(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &symbols_[it->second];
}

// The keys that give a value for (A, F), most specific first.
struct LookupKeys {
    std::string flavour;     // A-F
    const std::string* dep;  // its FLAVOUR_DEP target, if any
    std::string_view arch;   // A
};

const std::string_view* find_value(const Policy& p, const LookupKeys& k) {
    if (auto it = p.find(k.flavour); it != p.end()) return &it->second;
    if (k.dep)
        if (auto it = p.find(*k.dep); it != p.end()) return &it->second;
    if (auto it = p.find(k.arch); it != p.end()) return &it->second;
    return nullptr;
}

LookupKeys Annotations::lookup_keys(std::string_view arch, std::string_view flavour) const {
    LookupKeys k{std::string(arch) + "-" + std::string(flavour), nullptr, arch};
    if (auto dep = flavour_dep_.find(k.flavour); dep != flavour_dep_.end()) k.dep = &dep->second;
    return k;
}

std::optional<std::string> Annotations::lookup(const Annotation& a, std::string_view arch,
                                               std::string_view flavour) const {
    const std::string_view* v = find_value(a.policy, lookup_keys(arch, flavour));
    return v ? std::optional<std::string>(*v) : std::nullopt;
}

std::optional<std::string> Annotations::lookup(std::string_view name, std::string_view arch,
                                               std::string_view flavour) const {
    const Annotation* a = find(name);
    return a ? lookup(*a, arch, flavour) : std::nullopt;
}

std::vector<ConfigSetting> Annotations::resolve(std::string_view arch, std::string_view flavour) const {
    const LookupKeys keys = lookup_keys(arch, flavour);
    std::vector<ConfigSetting> out;
    out.reserve(symbols_.size());
    for (const auto& a : symbols_)
        if (const std::string_view* v = find_value(a.policy, keys)) out.push_back({a.name, std::string(*v)});
    return out;
}

std::string Annotations::export_config(std::string_view arch, std::string_view flavour) const {
    const LookupKeys keys = lookup_keys(arch, flavour);
    std::string out;
    out.reserve(40 * symbols_.size());
    for (const auto& a : symbols_) {
        const std::string_view* v = find_value(a.policy, keys);
        if (!v || *v == "-") continue;
        if (*v == "n") {
            out += "# ";
            out += a.name;
            out += " is not set\n";
        } else {
            out += a.name;
            out += '=';
            out += *v;
            out += '\n';
        }
    }
    return out;
}

Annotation& Annotations::entry(std::string_view name) {
    if (auto it = index_.find(name); it != index_.end()) return symbols_[it->second];
    index_.emplace(std::string(name), symbols_.size());
    symbols_.push_back(Annotation{std::string(name), {}, std::nullopt, false});
    return symbols_.back();
}

void Annotations::import_config(const DotConfig& config, std::string_view arch, std::string_view flavour) {
    const LookupKeys keys = lookup_keys(arch, flavour);
    const std::string_view key = pool_->intern(keys.flavour);
    // Every symbol of the .config, then every symbol resolving for (A, F) that it lacks.
    auto import_one = [&](const std::string& name, std::string_view value) {
        value = pool_->intern(value);
        if (auto it = index_.find(name); it != index_.end()) {
            Annotation& a = symbols_[it->second];
            const std::string_view* old = find_value(a.policy, keys);
            if (a.note && (!old || *old != value)) a.note = "TODO: update note";
            a.policy.set(key, value);
        } else {
            entry(name).policy.set(key, value);
        }
    };
    const size_t existing = symbols_.size();
    for (const auto& s : config.settings) import_one(s.name, s.value);
    for (size_t i = 0; i < existing; ++i) {
        Annotation& a = symbols_[i];
        if (config.find(a.name) || !find_value(a.policy, keys)) continue;
        // Resolved but absent from the .config: "-" (symbols added above all have a key).
        import_one(a.name, "-");
    }
}

void Annotations::set_policy(std::string_view name, const std::string& key, const std::string& value) {
    entry(name).policy.set(pool_->intern(key), pool_->intern(value));
}

void Annotations::set_note(std::string_view name, std::string_view text) { entry(name).note = stored_note(text); }

void Annotations::set_todo_note(std::string_view name) { entry(name).note = "TODO: update note"; }

void Annotations::copy_flavour_keys(std::string_view arch, std::string_view from, std::string_view to) {
    const std::string src = std::string(arch) + "-" + std::string(from);
    const std::string_view dst = pool_->intern(std::string(arch) + "-" + std::string(to));
    for (auto& a : symbols_)
        if (const std::string_view* value = a.policy.get(src)) a.policy.set(dst, *value);
}

// Ubuntu's _compact(): drop what the header's arches and flavours make
// redundant, so the written file is canonical. One pass over each policy's
// keys; the steps and their order are Ubuntu's:
//  1. a header flavour key equal to its arch key, or to its FLAVOUR_DEP
//     target's key, goes;
//  2. keys of arches/flavours not in the header go;
//  3. a symbol whose values are all '-' goes (unless the file has includes);
//  4. an arch whose header flavours all have a key, all equal, gets one
//     bare-arch key instead; then 3 again.
class Compactor {
public:
    Compactor(const std::vector<std::string>& arches, const std::vector<std::string>& flavours,
              const std::map<std::string, std::string>& flavour_dep, bool keep_undefined, StringPool& pool)
        : arches_(arches), keep_undefined_(keep_undefined), flavours_per_arch_(arches.size(), 0), tally_(arches.size()) {
        for (size_t i = 0; i < arches.size(); ++i) {
            known_.emplace(arches[i], KeyInfo{i, false, nullptr});
            arch_keys_.push_back(pool.intern(arches[i]));
        }
        for (const auto& f : flavours) {
            auto dash = f.find('-');
            if (dash == std::string::npos) continue;
            auto arch = std::find(arches.begin(), arches.end(), std::string_view(f).substr(0, dash));
            if (arch == arches.end()) continue;  // a flavour of an arch the header doesn't list
            auto dep = flavour_dep.find(f);
            size_t ai = size_t(arch - arches.begin());
            known_.emplace(f, KeyInfo{ai, true, dep == flavour_dep.end() ? nullptr : &dep->second});
            ++flavours_per_arch_[ai];
        }
    }

    // The canonical form of `p` in `out`; false when the symbol is dropped.
    bool compact(const Policy& p, Policy& out) {
        out.clear();
        std::fill(tally_.begin(), tally_.end(), ArchTally{});
        for (const auto& [key, value] : p) {
            auto info = known_.find(key);
            if (info == known_.end()) continue;  // step 2
            if (info->second.is_flavour) {       // step 1
                const std::string_view* arch_value = p.get(arches_[info->second.arch]);
                if (arch_value && *arch_value == value) continue;
                if (info->second.dep) {
                    const std::string_view* dep_value = p.get(*info->second.dep);
                    if (dep_value && *dep_value == value) continue;
                }
                ArchTally& t = tally_[info->second.arch];
                if (t.value && *t.value != value) t.agree = false;
                t.value = &value;
                ++t.count;
            }
            out.set(key, value);
        }
        if (out.empty() || (!keep_undefined_ && all_undefined(out))) return false;  // step 3
        for (size_t ai = 0; ai < arches_.size(); ++ai) {                            // step 4
            const ArchTally& t = tally_[ai];
            if (flavours_per_arch_[ai] == 0 || t.count != flavours_per_arch_[ai] || !t.agree) continue;
            std::string_view value = *t.value;
            for (auto it = out.begin(); it != out.end();) {
                auto info = known_.find(it->first);
                it = (info->second.is_flavour && info->second.arch == ai) ? out.erase(it) : std::next(it);
            }
            out.set(arch_keys_[ai], value);
        }
        return keep_undefined_ || !all_undefined(out);
    }

private:
    struct KeyInfo {
        size_t arch;             // index into arches_
        bool is_flavour;         // "A-F" from the header, else the bare arch
        const std::string* dep;  // FLAVOUR_DEP target of a flavour key
    };
    struct ArchTally {
        size_t count = 0;
        const std::string_view* value = nullptr;
        bool agree = true;
    };
    const std::vector<std::string>& arches_;
    bool keep_undefined_;
    std::unordered_map<std::string_view, KeyInfo> known_;
    std::vector<std::string_view> arch_keys_;
    std::vector<size_t> flavours_per_arch_;
    std::vector<ArchTally> tally_;
};

namespace {

// A canonical file is read in sorted order and edits append new symbols at
// the end: sort only the unsorted tail of `list` (indices into `symbols`)
// and merge it in.
void sort_by_name(std::vector<size_t>& list, const std::vector<Annotation>& symbols) {
    auto by_name = [&symbols](size_t x, size_t y) { return symbols[x].name < symbols[y].name; };
    auto tail = std::is_sorted_until(list.begin(), list.end(), by_name);
    std::sort(tail, list.end(), by_name);
    std::inplace_merge(list.begin(), tail, list.end(), by_name);
}

// The symbol lines: the noted ones (the note on the policy line, or on its
// own line and a blank one), then the no-notes marker and the plain ones.
void append_symbols(std::string& out, const std::vector<Annotation>& symbols, const std::vector<Policy>& compacted,
                    const std::vector<size_t>& noted, const std::vector<size_t>& plain) {
    auto policy_line = [&](size_t i) {
        append_padded(out, symbols[i].name);
        out += " policy<";
        append_policy(out, compacted[i]);
        out += '>';
    };
    for (size_t i : noted) {
        const Annotation& a = symbols[i];
        policy_line(i);
        if (a.oneline) {
            out += " note<" + *a.note + ">\n";
        } else {
            out += '\n';
            append_padded(out, a.name);
            out += " note<" + *a.note + ">\n\n";
        }
    }
    if (!plain.empty()) out += "\n" + std::string(kNoNotesMarker) + "\n\n";
    for (size_t i : plain) {
        policy_line(i);
        out += '\n';
    }
}

}  // namespace

std::string Annotations::render_header() const {
    std::string out;
    for (const auto& line : header_lines_) out += line + "\n";
    out += "\n";
    for (const auto& inc : includes_) out += "include \"" + inc + "\"\n";
    if (!includes_.empty()) out += "\n";
    return out;
}

std::string Annotations::write() const {
    // Compact copies of the policies only: the model itself stays as it is.
    Compactor compactor(arches_, flavours_, flavour_dep_, !includes_.empty(), *pool_);
    std::vector<Policy> compacted(symbols_.size());

    // With includes, only what the included files don't already say is
    // written: a policy whose every key the included files give the same
    // value (and whose note they share) is left out, as Ubuntu's tool does.
    // (`base` owns the pool its policies view: it lives as long as `included`.)
    std::optional<Result<Annotations>> base;
    std::map<std::string_view, const Annotation*> included;
    if (!includes_.empty()) {
        base.emplace(parse(render_header(), file_, load_));
        if (base->ok())
            for (const auto& s : (*base)->symbols_) included.emplace(s.name, &s);
    }
    auto skip = [&](const Annotation& a, const Policy& policy) {
        auto it = included.find(a.name);
        if (it == included.end() || !policy.is_subset_of(it->second->policy)) return false;
        return !a.note || (it->second->note && it->second->note == a.note);
    };

    std::vector<size_t> noted, plain;  // indices into symbols_ / compacted
    for (size_t i = 0; i < symbols_.size(); ++i) {
        const Annotation& a = symbols_[i];
        if (!compactor.compact(a.policy, compacted[i]) || skip(a, compacted[i])) continue;
        (a.note ? noted : plain).push_back(i);
    }
    sort_by_name(noted, symbols_);
    sort_by_name(plain, symbols_);
    std::string out = render_header();
    out.reserve(out.size() + 128 * symbols_.size());
    append_symbols(out, symbols_, compacted, noted, plain);
    return out;
}

}  // namespace kf

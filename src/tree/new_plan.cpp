#include "tree/new_plan.hpp"

#include "tree/annotations.hpp"
#include "tree/rules_mk.hpp"
#include "base/fs.hpp"
#include "base/text.hpp"
#include "tree/vars.hpp"

#include <algorithm>

namespace kf {
namespace fs = std::filesystem;
namespace {

bool contains(const std::vector<std::string>& list, std::string_view x) {
    return std::find(list.begin(), list.end(), x) != list.end();
}

struct Loaded {
    fs::path path;
    std::string text;
};

Result<Loaded> load(const fs::path& path) {
    KF_TRY(std::string text, read_text_file(path));
    return Loaded{path, std::move(text)};
}

// The base flavour's vars file and the arches it builds.
struct Base {
    Loaded file;
    VarsFile vars;
    std::vector<std::string> arches;
};

Result<Base> load_base(const Tree& tree, const std::string& base) {
    fs::path path = tree.vars_file(base);
    if (!path_exists(path)) return bad_input("unknown base flavour " + quote_input(base) + " (no such file)", path.string());
    KF_TRY(Loaded file, load(path));
    KF_TRY(VarsFile vars, VarsFile::parse(file.text, path.string()));
    auto arches = split_words(vars.get("arch").value_or(""));
    if (arches.empty()) return bad_input("base flavour " + quote_input(base) + " has no arch=\"…\" line", path.string());
    return Base{std::move(file), std::move(vars), std::move(arches)};
}

Result<std::vector<std::string>> choose_arches(const NewRequest& req, const Base& base) {
    if (req.arches.empty()) return base.arches;
    std::vector<std::string> chosen;
    for (const auto& arch : req.arches) {
        if (!contains(base.arches, arch))
            return bad_input("unknown arch " + quote_input(arch) + ": base flavour " + quote_input(req.base) + " builds " +
                                 join(base.arches, " "),
                             base.file.path.string());
        if (!contains(chosen, arch)) chosen.push_back(arch);
    }
    return chosen;
}

// `arch` of the new vars file: the requested arches plus those the flavour
// already had, in the base's order.
std::vector<std::string> vars_arches(const std::vector<std::string>& requested, const std::vector<std::string>& had,
                                     const std::vector<std::string>& base_order) {
    std::vector<std::string> all = requested;
    for (const auto& a : had)
        if (!contains(all, a)) all.push_back(a);
    std::vector<std::string> ordered;
    for (const auto& a : base_order)
        if (contains(all, a)) ordered.push_back(a);
    for (const auto& a : all)
        if (!contains(ordered, a)) ordered.push_back(a);
    return ordered;
}

std::string capitalised(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
    return s;
}

Status plan_vars(const Tree& tree, const NewRequest& req, const Base& base, const std::vector<std::string>& arches,
                 EditSet& edits) {
    fs::path path = tree.vars_file(req.name);
    std::optional<std::string> before;
    std::vector<std::string> had;
    if (path_exists(path)) {
        KF_TRY(Loaded old, load(path));
        KF_TRY(VarsFile old_vars, VarsFile::parse(old.text, path.string()));
        had = split_words(old_vars.get("arch").value_or(""));
        before = std::move(old.text);
    }
    VarsFile vars = base.vars;
    vars.set("arch", join(vars_arches(arches, had, base.arches), " "));
    vars.set("supported", req.supported.value_or(capitalised(req.name)));
    if (req.target) vars.set("target", *req.target);
    for (const auto& [key, value] : req.vars) vars.set(key, value);
    edits.put(path, std::move(before), vars.text());
    return ok_status();
}

Status plan_rules(const Tree& tree, const NewRequest& req, const std::string& arch, EditSet& edits) {
    fs::path path = tree.rules_file(arch);
    KF_TRY(Loaded file, load(path));
    KF_TRY(RulesMk mk, RulesMk::parse(file.text, path.string()));
    if (!mk.has_flavour(req.base))
        return bad_input("unknown base flavour " + quote_input(req.base) + " for " + arch + " (flavours = " +
                             join(mk.flavours(), " ") + ")",
                         path.string());
    mk.add_flavour(req.name);
    mk.copy_flavour_vars(req.base, req.name);
    edits.put(path, std::move(file.text), mk.text());
    return ok_status();
}

// Regenerating: start the flavour's own keys from the base again.
void reset_flavour_keys(Annotations& notes, const std::string& arch, const NewRequest& req) {
    const std::string key = arch + "-" + req.name;
    std::vector<std::string> names;
    for (const auto& a : notes.symbols())
        if (a.policy.count(key)) names.push_back(a.name);
    for (const auto& name : names) notes.set_policy(name, key, notes.lookup(name, arch, req.base).value_or("-"));
}

void apply_settings(Annotations& notes, const std::string& arch, const NewRequest& req,
                    std::vector<std::string>& changes) {
    const std::string key = arch + "-" + req.name;
    for (const auto& s : req.settings) {
        auto old = notes.lookup(s.name, arch, req.name);
        if (notes.lookup(s.name, arch, req.base) != s.value) {
            std::string change = s.name + "=" + s.value;
            if (!contains(changes, change)) changes.push_back(change);
        }
        notes.set_policy(s.name, key, s.value);
        if (old == s.value) continue;
        // A changed value needs a note saying why: the definition's, else Ubuntu's TODO marker.
        if (auto note = req.notes.find(s.name); note != req.notes.end())
            notes.set_note(s.name, note->second);
        else if (const Annotation* a = notes.find(s.name); a && a->note)
            notes.set_todo_note(s.name);
    }
}

Result<bool> plan_annotations(const Tree& tree, const NewRequest& req, const std::vector<std::string>& arches,
                              EditSet& edits, std::vector<std::string>& changes) {
    fs::path path = tree.annotations_file();
    KF_TRY(Loaded file, load(path));
    KF_TRY(Annotations notes, Annotations::parse(file.text, path, include_loader_for(path)));
    bool existed = false;
    for (const auto& arch : notes.arches()) existed = existed || notes.has_flavour(arch, req.name);
    for (const auto& arch : arches) {
        if (!notes.has_flavour(arch, req.base))
            return bad_input("unknown base flavour: no " + arch + "-" + req.base + " in the # FLAVOUR: header",
                             path.string());
        notes.add_flavour(arch, req.name);
        reset_flavour_keys(notes, arch, req);
        notes.copy_flavour_keys(arch, req.base, req.name);
        apply_settings(notes, arch, req, changes);
    }
    edits.put(path, std::move(file.text), notes.write());
    return existed;
}

std::string bullet(const NewRequest& req, const std::vector<std::string>& arches,
                   const std::vector<std::string>& changes) {
    std::string text = "Add the " + req.name + " flavour for " + join(arches, " ") + ", based on " + req.base;
    if (changes.empty()) return text + ", with the same config.";
    return text + ": " + join(changes, ", ");
}

Status plan_changelog(const Tree& tree, const NewRequest& req, bool regenerating, const PlanServices& services,
                      NewPlan& plan) {
    fs::path path = tree.changelog_file();
    KF_TRY(Loaded file, load(path));
    KF_TRY(ChangelogTop top, parse_changelog_top(file.text, path.string()));
    if (auto st = services.check_version(top.top.version); !st.ok())
        return bad_input(st.error().message, path.string(), top.top.line);
    std::string suffix = req.version_suffix.empty() ? req.name + "1" : req.version_suffix;
    if (starts_with(suffix, "+")) suffix.erase(0, 1);
    // Regenerating over our own entry replaces it rather than stacking another.
    bool replace = regenerating && top.second && top.top.version == top.second->version + "+" + suffix;
    const ChangelogHeader& previous = replace ? *top.second : top.top;
    std::string version = previous.version + "+" + suffix;
    if (auto st = services.check_version(version); !st.ok())
        return bad_input(st.error().message + " (check --version-suffix)", path.string(), previous.line);
    if (services.compare_versions(version, previous.version) <= 0)
        return bad_input("new version " + version + " is not greater than " + previous.version +
                             " (check --version-suffix)",
                         path.string(), previous.line);
    KF_TRY(Maintainer maintainer, services.maintainer());
    ChangelogEntry entry{top.top.source, version, top.top.distribution, "medium",
                         {bullet(req, plan.arches, plan.changes)}, maintainer, services.date};
    std::string_view rest = std::string_view(file.text).substr(replace ? top.second_offset : 0);
    plan.edits.put(path, file.text, render_entry(entry) + std::string(rest));
    plan.version = version;
    return ok_status();
}

}  // namespace

Status check_flavour_name(std::string_view name) {
    auto ok_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-'; };
    bool ok = !name.empty() && ok_char(name[0]) && name[0] != '.' && name[0] != '+' && name[0] != '-' &&
              std::all_of(name.begin(), name.end(), ok_char);
    if (!ok)
        return bad_input("invalid flavour name " + quote_input(name) +
                         ": it must fit a Debian package name, lowercase [a-z0-9][a-z0-9.+-]*");
    // Package names carry it after "linux-image-5.4.0-200-": keep them sane.
    if (name.size() > kMaxFlavourName)
        return bad_input("flavour name too long (" + std::to_string(name.size()) + " characters; at most " +
                         std::to_string(kMaxFlavourName) + ")");
    return ok_status();
}

// Its characters are judged with the whole version by dpkg (plan_changelog).
Status check_version_suffix(std::string_view suffix) {
    if (suffix.size() > kMaxVersionSuffix)
        return bad_input("--version-suffix too long (" + std::to_string(suffix.size()) + " characters; at most " +
                         std::to_string(kMaxVersionSuffix) + ")");
    return ok_status();
}

// What `new` writes into annotations must read back the same.
Status check_new_request(const NewRequest& req) {
    KF_TRY_STATUS(check_flavour_name(req.name));
    KF_TRY_STATUS(check_version_suffix(req.version_suffix));
    for (const auto& s : req.settings) {
        KF_TRY_STATUS(check_value(s));
        KF_TRY_STATUS(check_annotation_text(s.value, s.name));
    }
    for (const auto& [name, note] : req.notes) {
        if (note.size() > kMaxConfigValue) return bad_input("note for " + name + " too long");
        KF_TRY_STATUS(check_annotation_text(note, "note for " + name));
    }
    return ok_status();
}

Result<NewPlan> plan_new_flavour(const Tree& tree, const NewRequest& req, const PlanServices& services) {
    KF_TRY_STATUS(check_new_request(req));
    if (tree.kind != TreeKind::ubuntu)
        return bad_input("kflavour new supports Ubuntu trees only so far (this tree's kind: " +
                             std::string(to_string(tree.kind)) + ")",
                         tree.root.string());
    if (req.name == req.base) return bad_input("the new flavour " + quote_input(req.name) + " is its own --base");
    KF_TRY(Base base, load_base(tree, req.base));
    NewPlan plan;
    KF_TRY(plan.arches, choose_arches(req, base));

    EditSet& edits = plan.edits;
    KF_TRY_STATUS(plan_vars(tree, req, base, plan.arches, edits));
    bool existed = path_exists(tree.vars_file(req.name));
    for (const auto& arch : plan.arches) {
        KF_TRY_STATUS(plan_rules(tree, req, arch, edits));
    }
    KF_TRY(bool in_annotations, plan_annotations(tree, req, plan.arches, edits, plan.changes));
    existed = existed || in_annotations;

    if (existed && edits.empty()) {
        plan.nothing_to_do = true;
        return plan;
    }
    if (existed && !req.force) {
        fs::path where = path_exists(tree.vars_file(req.name)) ? tree.vars_file(req.name) : tree.annotations_file();
        Error e = bad_input("flavour " + quote_input(req.name) + " already exists with different settings", where.string());
        e.hint = "use --force to regenerate it";
        return e;
    }
    KF_TRY_STATUS(plan_changelog(tree, req, existed, services, plan));
    return plan;
}

}  // namespace kf

#include "deps/build_depends.hpp"
#include "base/text.hpp"

#include <apt-pkg/deblistparser.h>
#include <apt-pkg/error.h>
#include <apt-pkg/pkgcache.h>
#include <apt-pkg/tagfile.h>

#include <algorithm>
#include <cctype>

namespace kf::sys {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int line_of(const std::string& text, size_t offset) {
    return 1 + int(std::count(text.begin(), text.begin() + long(offset), '\n'));
}

void drop_apt_errors() { _error->Discard(); }

// libapt-pkg's parser, with the exceptions it throws on some malformed
// atoms (std::length_error, found by fuzzing) turned into "can't parse".
const char* parse_depends_atom(const char* begin, const char* end, std::string& package, std::string& version,
                               unsigned int& op, const std::string& host_arch) {
    try {
        return debListParser::ParseDepends(begin, end, package, version, op, true, false, true, host_arch);
    } catch (const std::exception&) {
        return nullptr;
    }
}

const char* parse_depends_name(const char* begin, const char* end, std::string& package, std::string& version,
                               unsigned int& op) {
    try {
        return debListParser::ParseDepends(begin, end, package, version, op, false, false, false);
    } catch (const std::exception&) {
        return nullptr;
    }
}

// libapt-pkg's parser throws (std::length_error) on an arch list or a
// restriction that never closes; find those first and name the line.
Status check_brackets(const char* begin, const char* end, const std::string& text, const char* base,
                      const char* name, const std::string& file) {
    char open = 0;
    const char* opened = begin;
    for (const char* p = begin; p < end; ++p) {
        const char c = *p;
        if (!open && c == '(') {  // a version constraint: (<< 2), (>= 9)
            open = ')';
            opened = p;
        } else if (!open && (c == '[' || c == '<')) {
            open = c == '[' ? ']' : '>';
            opened = p;
        } else if (open && c == open) {
            open = 0;
        } else if (open && (c == ',' || c == '|' || c == '[' || c == '(')) {
            break;
        }
    }
    if (!open) return ok_status();
    return bad_input(std::string(name) + ": '" + std::string(1, *opened) + "' without its '" + std::string(1, open) +
                         "' near " + quote_input(std::string_view(opened, size_t(std::min<long>(40, end - opened)))),
                     file, line_of(text, size_t(opened - base)));
}

// The source paragraph of `text` scanned by libapt-pkg into `section`;
// `buf` holds the bytes it views (same offsets as `text`).
Status scan_source_paragraph(const std::string& text, const std::string& file, std::string& buf,
                             pkgTagSection& section) {
    // deb822 comment lines ('#' in column 0) may sit inside a field; blank
    // them out (same length, so offsets stay) before libapt-pkg sees the text.
    buf = text;
    for (size_t pos = 0; pos < buf.size();) {
        size_t nl = buf.find('\n', pos);
        if (nl == std::string::npos) nl = buf.size();
        if (buf[pos] == '#') std::fill(buf.begin() + long(pos), buf.begin() + long(nl), ' ');
        pos = nl + 1;
    }
    // Skip leading blank lines: the source paragraph is the first one.
    size_t start = 0;
    while (start < buf.size() && blank(buf[start])) ++start;
    // pkgTagSection::Scan wants the paragraph to end with an empty line.
    buf += "\n\n";

    if (!section.Scan(buf.data() + start, buf.size() - start)) {
        drop_apt_errors();
        return bad_input("not a deb822 control file (no source paragraph)", file, line_of(text, start));
    }
    return ok_status();
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> build_depends_fields(const std::string& text,
                                                                             const std::string& file) {
    std::string buf;
    pkgTagSection section;
    KF_TRY_STATUS(scan_source_paragraph(text, file, buf, section));
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* name : {"Build-Depends", "Build-Depends-Arch", "Build-Depends-Indep"}) {
        const char* vstart;
        const char* vstop;
        if (!section.Find(name, vstart, vstop)) continue;
        KF_TRY_STATUS(check_brackets(vstart, vstop, text, buf.data(), name, file));
        out.emplace_back(name, std::string(vstart, vstop));
    }
    return out;
}

namespace {

// One atom of a relation: what it names, where it ends (before ',' or '|'),
// where the next one starts, and whether it is or'ed with the next.
struct AtomRead {
    DepAtom atom;
    const char* end;
    const char* next;
    bool or_next;
};

// Where the atom starting at `atom_begin` ends: back over the separator
// (',' or '|') and the blanks around it that `next` points past.
const char* atom_end_before(const char* atom_begin, const char* next, const char* vstop) {
    if (next <= atom_begin || next > vstop) return next;
    const char* q = next;
    while (q > atom_begin && blank(*(q - 1))) --q;
    if (q > atom_begin && (*(q - 1) == ',' || *(q - 1) == '|')) --q;
    while (q > atom_begin && blank(*(q - 1))) --q;
    return q;
}

Result<AtomRead> read_atom(const char* atom_begin, const char* vstop, const char* base, const std::string& text,
                           const char* name, const std::string& file, const std::string& host_arch) {
    const int line = line_of(text, size_t(atom_begin - base));
    std::string package, version;
    unsigned int op = 0;
    // Any arch and any profile: the arch list and restrictions are kept as
    // text; only the name matters here.
    const char* next = parse_depends_atom(atom_begin, vstop, package, version, op, host_arch);
    if (!next) {
        drop_apt_errors();
        return bad_input(std::string("cannot parse ") + name + " near " +
                             quote_input(std::string_view(atom_begin, size_t(vstop - atom_begin)), 40),
                         file, line);
    }
    const char* atom_end = atom_end_before(atom_begin, next, vstop);
    // The name is the first word of the atom; libapt-pkg clears the package
    // when the atom is not for the host arch/the active profiles, so parse
    // the word alone then.
    const char* name_end = atom_begin;
    while (name_end < atom_end && !blank(*name_end) && *name_end != '(' && *name_end != '[' && *name_end != '<')
        ++name_end;
    const bool applies = !package.empty();
    if (package.empty()) {
        std::string v2;
        unsigned int op2 = 0;
        if (!parse_depends_name(atom_begin, name_end, package, v2, op2) || package.empty()) {
            drop_apt_errors();
            return bad_input(std::string("cannot parse a package name in ") + name, file, line);
        }
    }
    if (std::string(atom_begin, name_end) != package)
        return bad_input("unexpected text for package " + quote_input(package) + " in " + name, file, line);
    AtomRead read{{}, atom_end, next, (op & pkgCache::Dep::Or) != 0};
    DepAtom& atom = read.atom;
    auto colon_at = package.find(':');
    atom.package = package.substr(0, colon_at);
    if (colon_at != std::string::npos) atom.qualifier = package.substr(colon_at + 1);
    atom.name_begin = size_t(atom_begin - base);
    atom.name_end = atom.name_begin + atom.package.size();
    atom.applies = applies;
    atom.version = version;
    if (!version.empty()) atom.op = pkgCache::CompTypeDeb(op & ~pkgCache::Dep::Or);
    return read;
}

// The relations of one field, whose value is [vstart, vstop) of `base`.
Result<DepField> read_field(const char* name, const char* vstart, const char* vstop, const char* base,
                            const std::string& text, const std::string& file, const std::string& host_arch) {
    DepField field{name, {}};
    // Find() returns the value without the blank after ':'; widen back to
    // the colon so the first relation has its separator.
    const char* sep = vstart;
    while (sep > base && *(sep - 1) != ':') --sep;
    const char* p = vstart;
    bool in_relation = false;
    DepRelation rel;
    while (p < vstop) {
        const char* atom_begin = p;
        while (atom_begin < vstop && blank(*atom_begin)) ++atom_begin;
        if (atom_begin == vstop) break;  // trailing comma
        if (!in_relation) {
            in_relation = true;
            rel = DepRelation{};
            rel.sep_begin = size_t(sep - base);
            rel.begin = size_t(atom_begin - base);
            rel.line = line_of(text, rel.begin);
        }
        KF_TRY(AtomRead read, read_atom(atom_begin, vstop, base, text, name, file, host_arch));
        rel.atoms.push_back(read.atom);
        rel.end = size_t(read.end - base);
        p = read.next;
        if (!read.or_next) {
            // A relation ends at ',' (or the end of the field).
            sep = read.end;
            while (sep < vstop && *sep != ',') ++sep;
            if (sep < vstop) ++sep;
            field.relations.push_back(rel);
            in_relation = false;
        }
    }
    if (in_relation) field.relations.push_back(rel);
    return field;
}

}  // namespace

Result<std::vector<DepField>> parse_build_depends(const std::string& text, const std::string& file,
                                                  const std::string& host_arch) {
    std::string buf;
    pkgTagSection section;
    KF_TRY_STATUS(scan_source_paragraph(text, file, buf, section));
    std::vector<DepField> fields;
    for (const char* name : {"Build-Depends", "Build-Depends-Arch"}) {
        const char* vstart;
        const char* vstop;
        if (!section.Find(name, vstart, vstop)) continue;
        KF_TRY_STATUS(check_brackets(vstart, vstop, text, buf.data(), name, file));
        // Offsets are into buf, whose bytes are text's.
        KF_TRY(DepField field, read_field(name, vstart, vstop, buf.data(), text, file, host_arch));
        fields.push_back(std::move(field));
    }
    return fields;
}

}  // namespace kf::sys

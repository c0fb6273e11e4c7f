#include "archive/dpkg.hpp"
#include "base/text.hpp"

#define LIBDPKG_VOLATILE_API 1
extern "C" {
#include <dpkg/dpkg-db.h>
#include <dpkg/error.h>
#include <dpkg/version.h>
}

namespace kf::sys {
namespace {

struct Parsed {
    dpkg_version version{};
    std::string error;
};

Parsed parse(std::string_view text) {
    Parsed p;
    dpkg_version_blank(&p.version);
    dpkg_error err{};
    std::string s(text);
    if (parseversion(&p.version, s.c_str(), &err) < 0) {
        p.error = err.str ? err.str : "invalid version";
        dpkg_error_destroy(&err);
    }
    return p;
}

}  // namespace

Status check_version(std::string_view version) {
    Parsed p = parse(version);
    if (!p.error.empty())
        return bad_input("invalid Debian version " + quote_input(std::string(version)) + ": " + p.error);
    return ok_status();
}

int compare_versions(std::string_view a, std::string_view b) {
    Parsed pa = parse(a), pb = parse(b);
    return dpkg_version_compare(&pa.version, &pb.version);
}

}  // namespace kf::sys

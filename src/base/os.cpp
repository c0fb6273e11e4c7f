#include "base/os.hpp"

#include "base/text.hpp"

#define LIBDPKG_VOLATILE_API 1
extern "C" {
#include <dpkg/arch.h>
}

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <unistd.h>

namespace kf::sys {
namespace fs = std::filesystem;

namespace {

class SystemOs final : public Os {
public:
    std::optional<std::string> env(std::string_view name) const override {
        const char* v = std::getenv(std::string(name).c_str());
        return v ? std::optional<std::string>(v) : std::nullopt;
    }
    bool is_root() const override { return ::geteuid() == 0; }
    std::time_t now() const override { return std::time(nullptr); }
    int utc_offset_minutes(std::time_t t) const override {
        std::tm local{};
        localtime_r(&t, &local);
        return int(local.tm_gmtoff / 60);
    }
    std::string native_arch() const override {
        if (auto v = env_nonempty("KFLAVOUR_NATIVE_ARCH")) return *v;
        const dpkg_arch* a = dpkg_arch_get(DPKG_ARCH_NATIVE);
        return a && a->name ? a->name : "";
    }
    std::filesystem::path executable() const override {
        std::error_code ec;
        auto self = std::filesystem::canonical("/proc/self/exe", ec);
        return ec ? std::filesystem::path("kflavour") : self;  // no /proc: whatever PATH finds
    }
    unsigned cpu_count() const override { return std::max(1u, std::thread::hardware_concurrency()); }
};

}  // namespace

Result<std::optional<long long>> source_date_epoch(const Os& os) {
    const auto e = os.env_nonempty("SOURCE_DATE_EPOCH");
    if (!e) return std::optional<long long>();
    const std::string_view v(*e);
    if (v.size() > 12 || v.find_first_not_of("0123456789") != std::string_view::npos)
        return with_hint(bad_input("$SOURCE_DATE_EPOCH is not a count of seconds since 1970: " + quote_input(v)),
                         "unset it, or set it to e.g. $(git log -1 --format=%ct)");
    return std::optional<long long>(std::stoll(std::string(v)));
}

std::optional<std::string> Os::env_nonempty(std::string_view name) const {
    auto v = env(name);
    if (v && v->empty()) return std::nullopt;
    return v;
}

const Os& system_os() {
    static const SystemOs os;
    return os;
}

fs::path kflavour_cache_dir(const Os& os) {
    if (auto v = os.env_nonempty("XDG_CACHE_HOME")) return fs::path(*v) / "kflavour";
    return fs::path(os.env_nonempty("HOME").value_or("/root")) / ".cache" / "kflavour";
}

fs::path chroot_cache_dir(const Os& os) {
    if (auto v = os.env_nonempty("KFLAVOUR_CHROOT_DIR")) return *v;
    return kflavour_cache_dir(os) / "chroots";
}

fs::path build_ccache_dir(const Os& os) {
    if (auto v = os.env_nonempty("KFLAVOUR_CCACHE_DIR")) return *v;
    return kflavour_cache_dir(os) / "ccache";
}

}  // namespace kf::sys

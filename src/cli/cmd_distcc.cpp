// kflavour distcc check: does each host of a distcc farm answer, and does it
// compile with the compiler this machine's build would use?
#include "cli/app.hpp"
#include "build/build_plan.hpp"
#include "build/distcc.hpp"


namespace kf::cli {
namespace {

Status run_check(Context& ctx, const po::variables_map& vm) {
    const std::string hosts = vm.count("hosts") ? string_option(vm, "hosts") : sys::distcc_hosts_from_env(ctx.os);
    if (hosts.empty()) return bad_input("no hosts: name them (HOSTS, in distcc's syntax) or set DISTCC_HOSTS");
    std::string compiler = "gcc";
    if (vm.count("host")) {
        auto names = arch_names(string_option(vm, "host"));
        if (!names) return bad_input("unknown arch " + quote_input(string_option(vm, "host")));
        compiler = names->triplet + "-gcc";
    }
    sys::SystemRunner runner;
    KF_TRY(auto list, sys::distcc_hosts(runner, hosts));
    KF_TRY(auto check, sys::check_distcc_hosts(runner, list, compiler));
    ctx.out << check.report;
    if (check.passed) return ok_status();
    Error e = failure("a distcc host failed the check with " + compiler);
    e.code = Exit::check_failed;
    return e;
}

}  // namespace

Command distcc_command() {
    Command check{"check", "does each host answer and compile with the same compiler as this machine?",
                  "[HOSTS] [--host A]",
                  [](po::options_description& d, po::positional_options_description& p) {
                      d.add_options()("hosts", po::value<std::string>()->value_name("HOSTS"),
                                      "distcc's host list, e.g. \"node1/8 node2/8,lzo\" (default: $DISTCC_HOSTS)")
                          ("host", po::value<std::string>()->value_name("A"),
                           "check the cross compiler for A (aarch64-linux-gnu-gcc for arm64; default: gcc)");
                      p.add("hosts", 1);
                  },
                  run_check, {}};
    return Command{"distcc", "a distcc farm for builds: check its hosts", "check", nullptr, nullptr, {check}};
}

}  // namespace kf::cli

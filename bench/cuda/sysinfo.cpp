#include "sysinfo.h"

#include <dlfcn.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>

std::string host_name() {
    char name[256] = {0};
    if (gethostname(name, sizeof name - 1) != 0) return "";
    return name;
}

static std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::string cpu_model() {
    FILE* f = fopen("/proc/cpuinfo", "r");
    if (!f) return "";
    char line[512];
    std::string model;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        const char* colon = strchr(line, ':');
        if (colon) model = trim(colon + 1);
        break;
    }
    fclose(f);
    return model;
}

std::string os_description() {
    struct utsname u;
    if (uname(&u) != 0) return "";
    return std::string(u.sysname) + " " + u.release;
}

// NVML ships with the driver, so dlopen finds it wherever CUDA runs; loading it at run time
// keeps the build free of a link dependency that the PyPI or container toolkits may lack.
static std::string driver_version_from_nvml() {
    void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return "";
    typedef int (*init_fn)(void);
    typedef int (*version_fn)(char*, unsigned int);
    auto init = reinterpret_cast<init_fn>(dlsym(lib, "nvmlInit_v2"));
    auto get = reinterpret_cast<version_fn>(dlsym(lib, "nvmlSystemGetDriverVersion"));
    auto shutdown = reinterpret_cast<init_fn>(dlsym(lib, "nvmlShutdown"));
    std::string version;
    if (init && get && init() == 0) {
        char text[96] = {0};
        if (get(text, sizeof text - 1) == 0) version = text;
        if (shutdown) shutdown();
    }
    dlclose(lib);
    return version;
}

// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.159.04  Tue ..." (wording varies):
// the first token shaped like digits.digits is the version.
static std::string driver_version_from_proc() {
    FILE* f = fopen("/proc/driver/nvidia/version", "r");
    if (!f) return "";
    char line[512] = {0};
    bool got = fgets(line, sizeof line, f) != nullptr;
    fclose(f);
    if (!got) return "";
    for (const char* p = line; *p; ++p) {
        if (!isdigit(static_cast<unsigned char>(*p)) || (p > line && !isspace(static_cast<unsigned char>(p[-1]))))
            continue;
        const char* e = p;
        while (isdigit(static_cast<unsigned char>(*e)) || *e == '.') ++e;
        std::string token(p, e);
        if (token.find('.') != std::string::npos) return token;
    }
    return "";
}

std::string nvidia_driver_version() {
    std::string v = driver_version_from_nvml();
    return v.empty() ? driver_version_from_proc() : v;
}

std::string utc_timestamp() {
    time_t now = time(nullptr);
    struct tm t;
    gmtime_r(&now, &t);
    char text[32];
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &t);
    return text;
}

std::string cuda_version_string(int version) {
    char text[32];
    snprintf(text, sizeof text, "%d.%d", version / 1000, (version % 1000) / 10);
    return text;
}

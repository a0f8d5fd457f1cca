// Facts about the host and the NVIDIA driver for the result file's header.
#pragma once

#include <string>

std::string host_name();
std::string cpu_model();            // "" when unknown
std::string os_description();       // "Linux 6.18.44-..."
std::string nvidia_driver_version(); // "580.159.04", or "" when neither NVML nor /proc has it
std::string utc_timestamp();        // ISO 8601, "2026-11-24T13:00:00Z"
std::string cuda_version_string(int version);  // 13000 -> "13.0"

#ifndef FLOWGATE_CLIBFUZZER_H
#define FLOWGATE_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver for programs that own `main` (https://llvm.org/docs/LibFuzzer.html, "Using
/// libFuzzer as a library"): SwiftPM names an executable's entry point itself, so the fuzz target
/// keeps its own `main` and hands the command line to libFuzzer here.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

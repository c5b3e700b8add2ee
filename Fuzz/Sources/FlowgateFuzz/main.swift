import CLibFuzzer
import Foundation

// libFuzzer parses the command line (corpus folders, -max_total_time=…, -runs=…) and calls
// `fuzzOneInput` for every input it tries.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })

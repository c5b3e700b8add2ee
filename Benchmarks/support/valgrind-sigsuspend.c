/* Preloaded under valgrind 3.19 only (Benchmarks/hit-profile.sh). Swift's async main ends in
 * dispatch_main, whose signal thread calls sigsuspend with a mask in read-only memory; valgrind's
 * rt_sigsuspend wrapper writes to that mask and crashes. Passing a copy on the stack avoids it. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}

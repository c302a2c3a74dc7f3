/*
 * rusage: runs a command and prints, on stderr, its peak resident set size and wall time.
 * The bench wraps SPIN's `pan` in it (through run-spin.sh's PAN_WRAPPER) so that SPIN's peak RSS
 * is measured the way ours is (getrusage's ru_maxrss), with no dependence on GNU time.
 * Built by bench/run.ts with the gcc SPIN needs anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rusage COMMAND [ARGS...]\n");
    return 2;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    perror("execvp");
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double wall_ms = (end.tv_sec - start.tv_sec) * 1e3 + (end.tv_nsec - start.tv_nsec) / 1e6;
  double user_ms = usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3;
  double sys_ms = usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3;
  fprintf(stderr, "rusage: maxrss_kb=%ld wall_ms=%.3f user_ms=%.3f sys_ms=%.3f\n",
          usage.ru_maxrss, wall_ms, user_ms, sys_ms);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

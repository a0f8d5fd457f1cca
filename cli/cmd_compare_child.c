/* `wgslrun compare`: one method's process, with a time limit. Each child gets a process group
 * of its own, so that a timeout ends the browser or driver it started too; that also keeps it
 * out of the terminal's group, so Ctrl-C reaches only this process, which passes it on. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd_compare.h"

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int signal_number) {
    interrupted = signal_number;
}

bool cmp_interrupted(void) {
    return interrupted != 0;
}

int cmp_interrupt_signal(void) {
    return (int)interrupted;
}

static void catch_interrupts(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

static void exec_child(const cmp_child* c) {
    setpgid(0, 0);
    for (const char* const* e = c->env; e != NULL && *e != NULL; e++) {
        char name[128];
        const char* eq = strchr(*e, '=');
        if (eq == NULL || (size_t)(eq - *e) >= sizeof name) continue;
        snprintf(name, sizeof name, "%.*s", (int)(eq - *e), *e);
        setenv(name, eq + 1, 1);
    }
    int out = open(c->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(c->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int null = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || null < 0) _exit(126);
    dup2(null, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(c->argv[0], c->argv);
    fprintf(stderr, "cannot run %s: %s\n", c->argv[0], strerror(errno));
    _exit(127);
}

/* Asks the group to end (Playwright closes its browser on SIGTERM), then kills what is left. */
static void end_group(pid_t pid, int* status) {
    kill(-pid, SIGTERM);
    for (int i = 0; i < 60; i++) {
        if (waitpid(pid, status, WNOHANG) == pid) {
            kill(-pid, SIGKILL);
            return;
        }
        sleep_ms(50);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, status, 0);
}

bool cmp_child_run(const cmp_child* c, int* status, double* seconds, char* error, size_t error_size) {
    fflush(NULL);
    double start = now_s(), next_note = start + 15;
    pid_t pid = fork();
    if (pid == 0) exec_child(c);
    if (pid < 0) {
        snprintf(error, error_size, "cannot start a process: %s", strerror(errno));
        *status = -1;
        return true;
    }
    setpgid(pid, pid);
    catch_interrupts();
    bool in_time = true;
    while (waitpid(pid, status, WNOHANG) == 0) {
        double t = now_s();
        if (interrupted || t - start > c->timeout_s) {
            end_group(pid, status);
            in_time = interrupted != 0;
            break;
        }
        if (t > next_note) {
            fprintf(stderr, "[compare] %s: still running (%.0f s)\n", c->label, t - start);
            next_note = t + 15;
        }
        sleep_ms(20);
    }
    if (in_time) kill(-pid, SIGKILL); /* anything it left behind in its group */
    *seconds = now_s() - start;
    return in_time;
}

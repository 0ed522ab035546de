/* The machine's floor for spreading bytes over files, as runnel's producer
 * spreads them over partitions: the input (already in memory) written in
 * turn to FILES existing files, PIECE bytes at a time, each file's written
 * bytes handed to the disk (sync_file_range) every 64 KiB, then every file
 * fdatasync'd, 32 at a time, and closed. Prints the wall milliseconds of
 * that (opening the files included, creating them not: `topic create`
 * made runnel's segment files before its run).
 * Usage: spread-floor DIR FILES PIECE INPUT   (scripts/ratios.py builds and runs it) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int *fds;
static int files;
static int next_file;
static pthread_mutex_t taking = PTHREAD_MUTEX_INITIALIZER;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *sync_files(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&taking);
        int i = next_file++;
        pthread_mutex_unlock(&taking);
        if (i >= files) return NULL;
        if (fdatasync(fds[i]) != 0) { perror("fdatasync"); exit(74); }
    }
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: spread-floor DIR FILES PIECE INPUT\n"); return 2; }
    const char *dir = argv[1];
    files = atoi(argv[2]);
    size_t piece = (size_t)atol(argv[3]);
    if (files <= 0 || piece == 0) { fprintf(stderr, "spread-floor: FILES and PIECE must be positive\n"); return 2; }
    int in = open(argv[4], O_RDONLY);
    struct stat st;
    if (in < 0 || fstat(in, &st) != 0) { perror(argv[4]); return 66; }
    char *data = malloc(st.st_size + 1);
    size_t len = 0;
    for (ssize_t got; len < (size_t)st.st_size && (got = read(in, data + len, st.st_size - len)) > 0;) len += got;
    char path[4096];
    fds = calloc(files, sizeof *fds);
    long long *written = calloc(files, sizeof *written), *started = calloc(files, sizeof *started);
    for (int i = 0; i < files; i++) {
        snprintf(path, sizeof path, "%s/%d", dir, i);
        int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0) { perror(path); return 74; }
        close(fd);
    }
    sync();
    double start = now_ms();
    for (int i = 0; i < files; i++) {
        snprintf(path, sizeof path, "%s/%d", dir, i);
        if ((fds[i] = open(path, O_WRONLY)) < 0) { perror(path); return 74; }
    }
    size_t n = 0;
    for (size_t at = 0; at < len; at += piece, n++) {
        int f = n % files;
        size_t this_piece = len - at < piece ? len - at : piece;
        if (pwrite(fds[f], data + at, this_piece, written[f]) != (ssize_t)this_piece) { perror("pwrite"); return 74; }
        written[f] += this_piece;
        if (written[f] - started[f] >= 65536) {
            long long end = written[f] & ~4095LL;
            sync_file_range(fds[f], started[f], end - started[f], SYNC_FILE_RANGE_WRITE);
            started[f] = end;
        }
    }
    pthread_t threads[32];
    int count = files < 32 ? files : 32;
    for (int i = 0; i < count; i++) pthread_create(&threads[i], NULL, sync_files, NULL);
    for (int i = 0; i < count; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < files; i++) close(fds[i]);
    printf("%.2f\n", now_ms() - start);
    return 0;
}

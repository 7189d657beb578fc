/*
 * The C reference for the latency run of `hearth bench pipeline`: raw
 * libmosquitto pub→sub at a fixed rate, paced the way hearth's publisher is,
 * with TCP_NODELAY on both clients. It is the floor the pipeline's latency
 * stands on: the same broker, the same payload size and rate, the same two
 * cores, but no encryption, no validation and no Redis.
 *
 *   cc -O2 -o mqtt_latency_reference mqtt_latency_reference.c -lmosquitto -lpthread
 *   ./mqtt_latency_reference HOST PORT RATE SECONDS PAYLOAD_BYTES TICK_MICROSECONDS
 *
 * Message i is intended at start + i / RATE. Every TICK_MICROSECONDS the
 * publishing thread sends every message whose time has come (so a message
 * waits for its batch up to one tick, as in hearth), each carrying its
 * intended and actual send times. The subscriber's callback takes the time
 * of arrival. The first second is a warm-up and is not counted.
 *
 * Prints one line: "sent N received M from_intended P50 P99 P999 MAX
 * from_sent P50 P99 P999 MAX" (milliseconds); N counts the publishes
 * libmosquitto accepted, so one it refused shows as sent - received.
 */
#include <mosquitto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reference_common.h"

static long received = 0, counted = 0;
static int64_t measured_from = 0;
static int64_t *from_intended, *from_sent;
static long capacity;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void on_message(struct mosquitto *m, void *o, const struct mosquitto_message *msg) {
    (void)m; (void)o;
    int64_t arrived = now_ns(), intended, sent;
    if (msg->payloadlen < 16) return;
    memcpy(&intended, msg->payload, 8);
    memcpy(&sent, (const char *)msg->payload + 8, 8);
    pthread_mutex_lock(&lock);
    received++;
    if (intended >= measured_from && counted < capacity) {
        from_intended[counted] = arrived - intended;
        from_sent[counted] = arrived - sent;
        counted++;
    }
    pthread_mutex_unlock(&lock);
}

static struct mosquitto *client(const char *id, const char *host, int port) {
    struct mosquitto *m = mosquitto_new(id, true, NULL);
    if (m == NULL) { fprintf(stderr, "mosquitto_new failed\n"); exit(1); }
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    if (mosquitto_connect(m, host, port, 30) != MOSQ_ERR_SUCCESS) { fprintf(stderr, "connect failed\n"); exit(1); }
    mosquitto_loop_start(m);
    return m;
}

static int compare(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void print_summary(const char *name, int64_t *samples, long n) {
    qsort(samples, (size_t)n, sizeof *samples, compare);
    double q[4] = {0.5, 0.99, 0.999, 1.0};
    printf(" %s", name);
    for (int i = 0; i < 4; i++) {
        long k = n == 0 ? 0 : (long)(q[i] * (double)n + 0.999999) - 1;
        if (k < 0) k = 0;
        printf(" %.3f", n == 0 ? 0.0 : (double)samples[k] / 1e6);
    }
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s HOST PORT RATE SECONDS PAYLOAD_BYTES TICK_MICROSECONDS\n", argv[0]);
        return 2;
    }
    const char *host = argv[1];
    int port = atoi(argv[2]);
    long rate = atol(argv[3]), seconds = atol(argv[4]), bytes = atol(argv[5]), tick = atol(argv[6]);
    if (rate <= 0 || seconds <= 0 || bytes < 16 || tick <= 0) { fprintf(stderr, "bad arguments\n"); return 2; }
    long total = rate * (seconds + 1);
    capacity = rate * seconds + rate;
    from_intended = malloc(sizeof(int64_t) * (size_t)capacity);
    from_sent = malloc(sizeof(int64_t) * (size_t)capacity);
    char *payload = calloc(1, (size_t)bytes);
    if (from_intended == NULL || from_sent == NULL || payload == NULL) { fprintf(stderr, "out of memory\n"); return 1; }
    /* Nothing counts until the schedule's warm-up is over; set before any message can arrive. */
    measured_from = INT64_MAX;
    mosquitto_lib_init();

    char id[64];
    snprintf(id, sizeof id, "hearth-latref-sub-%d", getpid());
    struct mosquitto *sub = client(id, host, port);
    mosquitto_subscribe_callback_set(sub, on_subscribe);
    mosquitto_message_callback_set(sub, on_message);
    mosquitto_subscribe(sub, NULL, "hearth/latency-reference", 0);
    wait_until_subscribed();

    snprintf(id, sizeof id, "hearth-latref-pub-%d", getpid());
    struct mosquitto *pub = client(id, host, port);
    usleep(200000);

    int64_t start = now_ns() + 10000000;
    pthread_mutex_lock(&lock);
    measured_from = start + 1000000000;
    pthread_mutex_unlock(&lock);
    long next = 0, sent_ok = 0;
    while (next < total) {
        int64_t t = now_ns();
        long due = (long)((double)(t - start) * (double)rate / 1e9) + 1;
        if (due > total) due = total;
        for (; next < due; next++) {
            int64_t intended = start + (int64_t)((double)next * 1e9 / (double)rate), sent = now_ns();
            memcpy(payload, &intended, 8);
            memcpy(payload + 8, &sent, 8);
            if (mosquitto_publish(pub, NULL, "hearth/latency-reference", (int)bytes, payload, 0, false) == MOSQ_ERR_SUCCESS) sent_ok++;
        }
        struct timespec pause = {tick / 1000000, (tick % 1000000) * 1000};
        nanosleep(&pause, NULL);
    }
    /* Let the tail arrive: everything sent, or two seconds. */
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&lock);
        long got = received;
        pthread_mutex_unlock(&lock);
        if (got >= sent_ok) break;
        usleep(10000);
    }
    pthread_mutex_lock(&lock);
    printf("sent %ld received %ld", sent_ok, received);
    print_summary("from_intended", from_intended, counted);
    print_summary("from_sent", from_sent, counted);
    printf("\n");
    pthread_mutex_unlock(&lock);
    mosquitto_disconnect(pub);
    mosquitto_disconnect(sub);
    mosquitto_loop_stop(pub, false);
    mosquitto_loop_stop(sub, false);
    return 0;
}

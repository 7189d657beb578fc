/*
 * The C reference for `hearth bench clients`: one libmosquitto publisher and
 * one subscriber connection on the same broker, counting messages in the C
 * callback. hearth's Swift client is measured against this in the same run.
 *
 *   cc -O2 -o mqtt_reference mqtt_reference.c -lmosquitto -lpthread
 *   ./mqtt_reference HOST PORT MESSAGES QOS PAYLOAD_BYTES WINDOW
 *
 * At QoS 1 the publisher keeps at most WINDOW messages unacknowledged:
 * libmosquitto walks its list of unacknowledged messages on every publish, so
 * an unbounded burst slows down quadratically.
 *
 * Prints the received rate in messages per second.
 */
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reference_common.h"

static long received = 0, target = 0, acknowledged = 0;

static void on_message(struct mosquitto *m, void *o, const struct mosquitto_message *msg) {
    (void)m; (void)o; (void)msg;
    pthread_mutex_lock(&lock);
    if (++received == target) pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
}

static void on_publish(struct mosquitto *m, void *o, int mid) {
    (void)m; (void)o; (void)mid;
    pthread_mutex_lock(&lock);
    acknowledged++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static struct mosquitto *client(const char *id, const char *host, int port) {
    struct mosquitto *m = mosquitto_new(id, true, NULL);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_int_option(m, MOSQ_OPT_SEND_MAXIMUM, 65535);
    mosquitto_publish_callback_set(m, on_publish);
    if (mosquitto_connect(m, host, port, 30) != MOSQ_ERR_SUCCESS) { fprintf(stderr, "connect failed\n"); exit(1); }
    mosquitto_loop_start(m);
    return m;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 7) { fprintf(stderr, "usage: %s HOST PORT MESSAGES QOS PAYLOAD_BYTES WINDOW\n", argv[0]); return 2; }
    long window = atol(argv[6]);
    const char *host = argv[1];
    int port = atoi(argv[2]), qos = atoi(argv[4]), size = atoi(argv[5]);
    target = atol(argv[3]);
    mosquitto_lib_init();

    struct mosquitto *sub = mosquitto_new("ref-sub", true, NULL);
    mosquitto_int_option(sub, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_message_callback_set(sub, on_message);
    mosquitto_subscribe_callback_set(sub, on_subscribe);
    if (mosquitto_connect(sub, host, port, 30) != MOSQ_ERR_SUCCESS) { fprintf(stderr, "connect failed\n"); return 1; }
    mosquitto_loop_start(sub);
    mosquitto_subscribe(sub, NULL, "bench/#", qos);
    wait_until_subscribed();

    struct mosquitto *pub = client("ref-pub", host, port);
    char *payload = malloc(size);
    memset(payload, 'x', size);
    double start = now();
    for (long i = 0; i < target; i++) {
        mosquitto_publish(pub, NULL, "bench/readings", size, payload, qos, false);
        if (qos > 0 && i % 64 == 0) {
            pthread_mutex_lock(&lock);
            while (i + 1 - acknowledged > window) pthread_cond_wait(&changed, &lock);
            pthread_mutex_unlock(&lock);
        }
    }
    pthread_mutex_lock(&lock);
    while (received < target) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    double elapsed = now() - start;
    printf("%.0f\n", target / elapsed);

    mosquitto_disconnect(pub);
    mosquitto_disconnect(sub);
    mosquitto_loop_stop(pub, false);
    mosquitto_loop_stop(sub, false);
    return 0;
}

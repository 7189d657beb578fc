/*
 * What the C references in this folder share: the lock and condition their
 * callbacks signal on, and waiting for the subscription to be granted before
 * the first publish (a message sent earlier would be dropped by the broker).
 */
#ifndef HEARTH_REFERENCE_COMMON_H
#define HEARTH_REFERENCE_COMMON_H
#include <mosquitto.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int subscribed = 0;

static void on_subscribe(struct mosquitto *m, void *o, int mid, int n, const int *q) {
    (void)m; (void)o; (void)mid; (void)n; (void)q;
    pthread_mutex_lock(&lock);
    subscribed = 1;
    pthread_cond_signal(&changed);
    pthread_mutex_unlock(&lock);
}

/* Blocks until on_subscribe has run. */
static void wait_until_subscribed(void) {
    pthread_mutex_lock(&lock);
    while (!subscribed) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
}
#endif

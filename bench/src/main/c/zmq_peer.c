/*
 * libzmq's peer for the side-by-side runner (io.switchboard.bench.BenchRunner): the roles of ThroughputPeer and
 * LatencyPeer, with the same key=value arguments and the same line protocol, so the runner drives it exactly as it
 * drives the Java peers.
 *
 *   role=receive  binds a PULL (or a SUB subscribed to everything), prints "ENDPOINT <endpoint>", receives warmup
 *                 messages unmeasured and count measured ones, prints "RESULT messages=.. nanos=.. partial=.."
 *   role=send     connects a PUSH and sends exactly warmup + count messages (blocking at the high-water mark), or
 *                 connects a PUB and sends until stopped; then waits for the stop
 *   role=inproc   both over inproc:// in one context, the sender on a second thread
 *   subscribers=N (pattern=pubsub) fan-out: N SUB sockets bound in the receiver, read in turn on one thread, their
 *                 endpoints in one comma-separated ENDPOINT line; the publisher connects to all of them
 *   role=rep      binds a REP, prints ENDPOINT, echoes until stopped
 *   role=req      connects a REQ, makes warmup round trips, times count, prints "RESULT samples=.. p50=.. p99=.."
 *   role=router   binds a ROUTER, prints ENDPOINT, echoes every message (routing id and body) until stopped
 *   role=dealer   connects `dealers` DEALERs, keeps `window` requests in flight on each, visits them in turn
 *                 (take a reply, send a request), prints RESULT like role=receive (RouterDealerPeer.java)
 *   role=version  prints "VERSION <major.minor.patch>" and exits (no other argument needed)
 *   memory=true   (receive) adds rssBefore/rssAfter, the resident set before binding and at the first message
 *   spin=true     (req) receives with ZMQ_DONTWAIT in a loop instead of blocking: the busy-spin mode
 *
 * With curveSecret=<Z85 secret key> the receive and send sockets use CURVE (RFC 26): the receiver as a server that
 * admits any client (no ZAP handler), the sender, given curveServerKey=<Z85 public key> too, as its client.
 *
 * Protocol (PeerSupport.java): ENDPOINT, RESULT, WARN and ERROR lines on standard output; the runner stops a peer
 * by closing its standard input. After the stop the peer has 10 s to exit before it halts, and it halts after
 * maxSeconds whatever happens. Every socket gets the high-water mark both ways and a 1 s linger (a PUB 0); the
 * context has one I/O thread (libzmq's default). Senders send one constant buffer over and over without copying it
 * (zmq_msg_init_data with no free function), as Switchboard's peers send one immutable Message.
 *
 * Build: gcc -O2 -o bench/target/zmq_peer bench/src/main/c/zmq_peer.c -lzmq -lpthread (the runner does this).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define STOP_GRACE_SECONDS 10
#define MAX_ARGS 32
#define REP_POLL_MILLIS 200
#define MAX_SUBSCRIBERS 1024
#define MAX_FRAMES 8

static const char *arg_keys[MAX_ARGS];
static const char *arg_values[MAX_ARGS];
static int arg_count;

static pthread_mutex_t emit_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int stop_requested;
static long max_seconds;

/* Writes one protocol line and flushes it. */
static void emit(const char *format, ...) {
  va_list ap;
  pthread_mutex_lock(&emit_lock);
  va_start(ap, format);
  vfprintf(stdout, format, ap);
  va_end(ap);
  fputc('\n', stdout);
  fflush(stdout);
  pthread_mutex_unlock(&emit_lock);
}

/* Reports a failure as one ERROR line and halts, like PeerSupport.fail. */
static void fail(const char *format, ...) {
  char message[512];
  va_list ap;
  va_start(ap, format);
  vsnprintf(message, sizeof message, format, ap);
  va_end(ap);
  fprintf(stderr, "zmq_peer: %s\n", message);
  fflush(stderr);
  emit("ERROR %s", message);
  _exit(2);
}

static void fail_zmq(const char *what) {
  fail("%s: %s (errno %d)", what, zmq_strerror(zmq_errno()), zmq_errno());
}

static const char *arg_or_null(const char *key) {
  for (int i = 0; i < arg_count; i++) {
    if (strcmp(arg_keys[i], key) == 0) {
      return arg_values[i];
    }
  }
  return NULL;
}

static const char *arg(const char *key) {
  const char *value = arg_or_null(key);
  if (value == NULL) {
    fail("missing argument %s=...", key);
  }
  return value;
}

static long long long_arg(const char *key) {
  const char *value = arg(key);
  char *end;
  errno = 0;
  long long n = strtoll(value, &end, 10);
  if (errno != 0 || *value == '\0' || *end != '\0') {
    fail("%s: %s (expected: an integer)", key, value);
  }
  return n;
}

static int64_t now_nanos(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_seconds(long seconds) {
  struct timespec ts = {seconds, 0};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Standard input only closes: that is the stop. Then the peer has STOP_GRACE_SECONDS to exit. */
static void *watch_stdin(void *unused) {
  (void) unused;
  char buffer[256];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EINTR)) {
      break;
    }
  }
  stop_requested = 1;
  sleep_seconds(STOP_GRACE_SECONDS);
  emit("ERROR peer did not exit within %d s of the stop; halting", STOP_GRACE_SECONDS);
  _exit(3);
  return NULL;
}

static void *deadline(void *unused) {
  (void) unused;
  sleep_seconds(max_seconds);
  emit("ERROR peer still running after its limit of %ld s; halting", max_seconds);
  _exit(4);
  return NULL;
}

static void start_daemon(void *(*body)(void *)) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, body, NULL) != 0) {
    fail("pthread_create failed");
  }
  pthread_detach(thread);
}

/* Closes a socket, warning (as PeerSupport.closeTimed does) if that took more than two seconds. */
static void close_timed(const char *what, void *socket) {
  int64_t start = now_nanos();
  if (zmq_close(socket) != 0) {
    emit("WARN %s close failed: %s", what, zmq_strerror(zmq_errno()));
  }
  int64_t millis = (now_nanos() - start) / 1000000;
  if (millis > 2000) {
    emit("WARN %s close took %lld ms", what, (long long) millis);
  }
}

static void term_timed(void *context) {
  int64_t start = now_nanos();
  while (zmq_ctx_term(context) != 0 && zmq_errno() == EINTR) {
  }
  int64_t millis = (now_nanos() - start) / 1000000;
  if (millis > 2000) {
    emit("WARN context term took %lld ms", (long long) millis);
  }
}

static void set_int(void *socket, int option, int value, const char *name) {
  if (zmq_setsockopt(socket, option, &value, sizeof value) != 0) {
    fail("zmq_setsockopt(%s, %d): %s", name, value, zmq_strerror(zmq_errno()));
  }
}

static int hwm;

static void *open_socket(void *context, int type) {
  void *socket = zmq_socket(context, type);
  if (socket == NULL) {
    fail_zmq("zmq_socket");
  }
  set_int(socket, ZMQ_SNDHWM, hwm, "ZMQ_SNDHWM");
  set_int(socket, ZMQ_RCVHWM, hwm, "ZMQ_RCVHWM");
  /* A PUB closes with linger 0, as in BenchContext: what it still queues when stopped would only hold the close. */
  set_int(socket, ZMQ_LINGER, type == ZMQ_PUB ? 0 : 1000, "ZMQ_LINGER");
  if (type == ZMQ_SUB && zmq_setsockopt(socket, ZMQ_SUBSCRIBE, "", 0) != 0) {
    fail_zmq("zmq_setsockopt(ZMQ_SUBSCRIBE)");
  }
  return socket;
}

static void set_key(void *socket, int option, const char *z85, const char *name) {
  if (zmq_setsockopt(socket, option, z85, 40) != 0) {
    fail("zmq_setsockopt(%s): %s", name, zmq_strerror(zmq_errno()));
  }
}

/* Makes a socket a CURVE server, or a client of curveServerKey, if curveSecret is given; before bind or connect. */
static void apply_curve(void *socket) {
  const char *secret = arg_or_null("curveSecret");
  if (secret == NULL) {
    return;
  }
  if (!zmq_has("curve")) {
    fail("this libzmq was built without CURVE (zmq_has(\"curve\") is false)");
  }
  if (strlen(secret) != 40) {
    fail("curveSecret: %zu characters (expected: 40 of Z85)", strlen(secret));
  }
  char public_key[41];
  if (zmq_curve_public(public_key, secret) != 0) {
    fail_zmq("zmq_curve_public");
  }
  set_key(socket, ZMQ_CURVE_PUBLICKEY, public_key, "ZMQ_CURVE_PUBLICKEY");
  set_key(socket, ZMQ_CURVE_SECRETKEY, secret, "ZMQ_CURVE_SECRETKEY");
  const char *server_key = arg_or_null("curveServerKey");
  if (server_key == NULL) {
    set_int(socket, ZMQ_CURVE_SERVER, 1, "ZMQ_CURVE_SERVER");
  } else if (strlen(server_key) != 40) {
    fail("curveServerKey: %zu characters (expected: 40 of Z85)", strlen(server_key));
  } else {
    set_key(socket, ZMQ_CURVE_SERVERKEY, server_key, "ZMQ_CURVE_SERVERKEY");
  }
}

/* Binds and returns the endpoint actually bound (tcp://127.0.0.1:0 picks an ephemeral port). */
static const char *bind_socket(void *socket, const char *endpoint) {
  static char bound[256];
  if (zmq_bind(socket, endpoint) != 0) {
    fail("zmq_bind(%s): %s", endpoint, zmq_strerror(zmq_errno()));
  }
  size_t length = sizeof bound;
  if (zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, bound, &length) != 0) {
    fail_zmq("zmq_getsockopt(ZMQ_LAST_ENDPOINT)");
  }
  return bound;
}

/* Sends the constant payload without copying it; returns 0, or -1 with errno set (EAGAIN, ETERM). */
static int send_payload(void *socket, const char *payload, size_t size) {
  zmq_msg_t msg;
  zmq_msg_init_data(&msg, (void *) payload, size, NULL, NULL);
  if (zmq_msg_send(&msg, socket, 0) < 0) {
    int error = zmq_errno();
    zmq_msg_close(&msg);
    errno = error;
    return -1;
  }
  return 0;
}

/* Whether receives busy-spin (spin=true, REQ only): non-blocking receives in a loop, as LatencyPeer's spin. */
static int spin_receive;

/* A non-blocking receive in a loop until a message or timeout_millis; as zmq_msg_recv, EAGAIN on timeout. */
static int spin_recv(zmq_msg_t *msg, void *socket, int timeout_millis) {
  int64_t deadline = now_nanos() + (int64_t) timeout_millis * 1000000;
  for (int i = 1;; i++) {
    int n = zmq_msg_recv(msg, socket, ZMQ_DONTWAIT);
    if (n >= 0 || zmq_errno() != EAGAIN || now_nanos() - deadline >= 0) {
      return n;
    }
    /* As Switchboard's spinReceive: yield once every 64 polls. */
    if (i % 64 == 0) {
      sched_yield();
    }
  }
}

/* Receives one message within timeout_millis; returns the size of its first frame, or -1 on timeout. */
static long receive_size(void *socket, zmq_msg_t *msg, int timeout_millis, int *current_timeout) {
  int n;
  if (spin_receive) {
    n = spin_recv(msg, socket, timeout_millis);
  } else {
    if (*current_timeout != timeout_millis) {
      set_int(socket, ZMQ_RCVTIMEO, timeout_millis, "ZMQ_RCVTIMEO");
      *current_timeout = timeout_millis;
    }
    n = zmq_msg_recv(msg, socket, 0);
  }
  if (n < 0) {
    if (zmq_errno() == EAGAIN || zmq_errno() == EINTR) {
      return -1;
    }
    fail_zmq("zmq_msg_recv");
  }
  long size = (long) zmq_msg_size(msg);
  while (zmq_msg_more(msg)) {
    if (zmq_msg_recv(msg, socket, 0) < 0) {
      fail_zmq("zmq_msg_recv (more)");
    }
  }
  return size;
}

static char *make_payload(size_t size) {
  char *payload = malloc(size == 0 ? 1 : size);
  if (payload == NULL) {
    fail("out of memory for a %zu-octet payload", size);
  }
  for (size_t i = 0; i < size; i++) {
    payload[i] = (char) ('a' + i % 26);
  }
  return payload;
}

static int pubsub(void) {
  const char *pattern = arg("pattern");
  if (strcmp(pattern, "pushpull") == 0) {
    return 0;
  }
  if (strcmp(pattern, "pubsub") == 0) {
    return 1;
  }
  fail("pattern: %s (expected: pushpull or pubsub)", pattern);
  return 0;
}

/* The sender side of a shared inproc run; `done` ends the PUB loop and the PUSH wait. */
struct inproc_sender {
  void *context;
  char **endpoints;
  int endpoint_count;
  const char *payload;
  size_t size;
  long long total;
  int pubsub;
  volatile int done;
  volatile int failed_errno;
};

/* The resident set in octets (Linux /proc/self/statm), or -1: MemoryUse's figure without the JVM's heap. */
static long long rss_bytes(void) {
  FILE *statm = fopen("/proc/self/statm", "r");
  if (statm == NULL) {
    return -1;
  }
  long long size, resident;
  int n = fscanf(statm, "%lld %lld", &size, &resident);
  fclose(statm);
  return n == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

/* ThroughputPeer.measure: warm-up, then count measured messages, read from the sockets in turn; prints RESULT.
   rss_before >= 0 (memory=true) adds the resident set before binding and at the first message. */
static void measure(void **sockets, int subscribers, struct inproc_sender *sender, long long rss_before) {
  long long size = long_arg("size");
  long long warmup = long_arg("warmup");
  long long count = long_arg("count");
  long long first = long_arg("firstSeconds");
  long long stall = long_arg("stallSeconds");
  int64_t limit_nanos = long_arg("limitSeconds") * 1000000000LL;
  if (warmup < 1 || count < 1) {
    fail("warmup, count: %lld, %lld (expected: >= 1)", warmup, count);
  }
  long long total = warmup + count;
  long long received = 0;
  int64_t first_at = 0;
  int64_t start = 0;
  int partial = 0;
  long long rss_after = -1;
  int timeout = (int) (first * 1000);
  int *current_timeouts = malloc(sizeof(int) * (size_t) subscribers);
  if (current_timeouts == NULL) {
    fail("out of memory");
  }
  for (int i = 0; i < subscribers; i++) {
    current_timeouts[i] = -2;
  }
  zmq_msg_t msg;
  zmq_msg_init(&msg);
  while (received < total) {
    int at = (int) (received % subscribers);
    long n = receive_size(sockets[at], &msg, timeout, &current_timeouts[at]);
    if (n < 0) {
      char sender_note[128] = "";
      if (sender != NULL && sender->failed_errno != 0) {
        snprintf(sender_note, sizeof sender_note, "; sender failed: %s", zmq_strerror(sender->failed_errno));
      }
      if (received == 0) {
        fail("no message within %lld s%s", first, sender_note);
      }
      fail("stalled: no message for %lld s after %lld of %lld%s", stall, received, total, sender_note);
    }
    if (n != size) {
      fail("received a frame of %ld octets (expected: %lld)", n, size);
    }
    received++;
    int64_t now = 0;
    if (received == 1) {
      if (rss_before >= 0) {
        rss_after = rss_bytes();
      }
      now = now_nanos();
      first_at = now;
    }
    if (received == subscribers) {
      timeout = (int) (stall * 1000);
    }
    if (received == warmup) {
      start = now == 0 ? now_nanos() : now;
    }
    if ((received & 0xFF) == 0 && now_nanos() - first_at > limit_nanos) {
      if (received <= warmup) {
        fail("too slow: only %lld of %lld warm-up messages in %lld s", received, warmup,
            (long long) (limit_nanos / 1000000000LL));
      }
      partial = 1;
      break;
    }
  }
  int64_t end = now_nanos();
  zmq_msg_close(&msg);
  free(current_timeouts);
  char memory[96] = "";
  if (rss_before >= 0) {
    snprintf(memory, sizeof memory, " rssBefore=%lld rssAfter=%lld", rss_before, rss_after);
  }
  emit("RESULT messages=%lld nanos=%lld partial=%s warmupNanos=%lld%s", received - warmup,
      (long long) (end - start), partial ? "true" : "false", (long long) (start - first_at), memory);
}

static void await_stop(void) {
  while (!stop_requested) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

static void *inproc_send(void *arg_) {
  struct inproc_sender *s = arg_;
  void *socket = open_socket(s->context, s->pubsub ? ZMQ_PUB : ZMQ_PUSH);
  int connected = 1;
  for (int i = 0; i < s->endpoint_count && connected; i++) {
    if (zmq_connect(socket, s->endpoints[i]) != 0) {
      s->failed_errno = zmq_errno();
      connected = 0;
    }
  }
  if (!connected) {
    /* failed_errno says why; the receiver reports it. */
  } else if (s->pubsub) {
    while (!s->done) {
      if (send_payload(socket, s->payload, s->size) != 0 && errno != EAGAIN) {
        s->failed_errno = errno;
        break;
      }
    }
  } else {
    for (long long i = 0; i < s->total; i++) {
      if (send_payload(socket, s->payload, s->size) != 0) {
        s->failed_errno = errno;
        break;
      }
    }
    while (!s->done) {
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
  zmq_close(socket);
  return NULL;
}

/* ThroughputPeer.endpoint: receiver index of n binds bind itself (one receiver, or tcp), else bind-index. */
static char *receiver_endpoint(const char *bind, int index, int n) {
  size_t length = strlen(bind) + 16;
  char *endpoint = malloc(length);
  if (endpoint == NULL) {
    fail("out of memory");
  }
  if (n == 1 || strncmp(bind, "tcp://", 6) == 0) {
    snprintf(endpoint, length, "%s", bind);
  } else {
    snprintf(endpoint, length, "%s-%d", bind, index);
  }
  return endpoint;
}

static int subscribers_arg(int is_pubsub) {
  long long n = arg_or_null("subscribers") == NULL ? 1 : long_arg("subscribers");
  if (n < 1 || n > MAX_SUBSCRIBERS || (!is_pubsub && n != 1)) {
    fail("subscribers: %lld (expected: 1 to %d, and 1 unless pattern=pubsub)", n, MAX_SUBSCRIBERS);
  }
  return (int) n;
}

/* Binds n receivers (PULL, or SUB) and returns them; their endpoints, comma-separated, go to *line. */
static void **bind_receivers(void *context, int is_pubsub, const char *bind, int n, char **endpoints) {
  void **sockets = malloc(sizeof(void *) * (size_t) n);
  if (sockets == NULL) {
    fail("out of memory");
  }
  for (int i = 0; i < n; i++) {
    sockets[i] = open_socket(context, is_pubsub ? ZMQ_SUB : ZMQ_PULL);
    if (strncmp(bind, "inproc://", 9) != 0) {
      apply_curve(sockets[i]);
    }
    char *wanted = receiver_endpoint(bind, i, n);
    endpoints[i] = strdup(bind_socket(sockets[i], wanted));
    free(wanted);
  }
  return sockets;
}

static void throughput(void *context, const char *role) {
  int is_pubsub = pubsub();
  int subscribers = subscribers_arg(is_pubsub);
  size_t size = (size_t) long_arg("size");
  char **endpoints = calloc((size_t) subscribers, sizeof(char *));
  if (endpoints == NULL) {
    fail("out of memory");
  }
  if (strcmp(role, "receive") == 0) {
    const char *memory = arg_or_null("memory");
    long long rss_before = memory != NULL && strcmp(memory, "true") == 0 ? rss_bytes() : -1;
    void **sockets = bind_receivers(context, is_pubsub, arg("bind"), subscribers, endpoints);
    size_t length = 16;
    for (int i = 0; i < subscribers; i++) {
      length += strlen(endpoints[i]) + 1;
    }
    char *line = malloc(length);
    if (line == NULL) {
      fail("out of memory");
    }
    line[0] = '\0';
    for (int i = 0; i < subscribers; i++) {
      if (i > 0) {
        strcat(line, ",");
      }
      strcat(line, endpoints[i]);
    }
    emit("ENDPOINT %s", line);
    measure(sockets, subscribers, NULL, rss_before);
    for (int i = 0; i < subscribers; i++) {
      close_timed("receiver socket", sockets[i]);
    }
  } else if (strcmp(role, "send") == 0) {
    void *socket = open_socket(context, is_pubsub ? ZMQ_PUB : ZMQ_PUSH);
    apply_curve(socket);
    char *list = strdup(arg("connect"));
    for (char *save = NULL, *endpoint = strtok_r(list, ",", &save); endpoint != NULL;
        endpoint = strtok_r(NULL, ",", &save)) {
      if (zmq_connect(socket, endpoint) != 0) {
        fail("zmq_connect(%s): %s", endpoint, zmq_strerror(zmq_errno()));
      }
    }
    char *payload = make_payload(size);
    if (is_pubsub) {
      while (!stop_requested) {
        if (send_payload(socket, payload, size) != 0 && errno != EAGAIN) {
          fail("zmq_msg_send: %s", zmq_strerror(errno));
        }
      }
    } else {
      long long total = long_arg("warmup") + long_arg("count");
      for (long long i = 0; i < total; i++) {
        if (send_payload(socket, payload, size) != 0) {
          fail("zmq_msg_send: %s", zmq_strerror(errno));
        }
      }
      await_stop();
    }
    close_timed("sender socket", socket);
  } else {
    void **receivers = bind_receivers(context, is_pubsub, "inproc://bench-throughput", subscribers, endpoints);
    struct inproc_sender sender = {
        .context = context,
        .endpoints = endpoints,
        .endpoint_count = subscribers,
        .payload = make_payload(size),
        .size = size,
        .total = long_arg("warmup") + long_arg("count"),
        .pubsub = is_pubsub,
    };
    pthread_t thread;
    if (pthread_create(&thread, NULL, inproc_send, &sender) != 0) {
      fail("pthread_create failed");
    }
    measure(receivers, subscribers, &sender, -1);
    sender.done = 1;
    /* The sender ends once done is set (PUB never blocks; PUSH has sent everything the receiver took); the
       deadline guard bounds the join if it does not. */
    pthread_join(thread, NULL);
    for (int i = 0; i < subscribers; i++) {
      close_timed("receiver socket", receivers[i]);
    }
  }
}

static long long percentile(const int64_t *sorted, long long n, double p) {
  long long rank = (long long) ceil(p * (double) n);
  long long index = rank - 1;
  if (index < 0) {
    index = 0;
  }
  if (index > n - 1) {
    index = n - 1;
  }
  return (long long) sorted[index];
}

static int compare_int64(const void *a, const void *b) {
  int64_t x = *(const int64_t *) a;
  int64_t y = *(const int64_t *) b;
  return (x > y) - (x < y);
}

static void round_trip(void *socket, zmq_msg_t *msg, const char *payload, size_t size, int timeout_millis,
    int *current_timeout, long long index) {
  if (send_payload(socket, payload, size) != 0) {
    fail("zmq_msg_send: %s", zmq_strerror(errno));
  }
  long n = receive_size(socket, msg, timeout_millis, current_timeout);
  if (n < 0) {
    fail("no reply within %d s to request %lld", timeout_millis / 1000, index + 1);
  }
  if ((size_t) n != size) {
    fail("reply of %ld octets (expected: %zu)", n, size);
  }
}

static void latency(void *context, const char *role) {
  size_t size = (size_t) long_arg("size");
  char *payload = make_payload(size);
  zmq_msg_t msg;
  zmq_msg_init(&msg);
  int current_timeout = -2;
  if (strcmp(role, "rep") == 0) {
    void *socket = open_socket(context, ZMQ_REP);
    emit("ENDPOINT %s", bind_socket(socket, arg("bind")));
    while (!stop_requested) {
      long n = receive_size(socket, &msg, REP_POLL_MILLIS, &current_timeout);
      if (n < 0) {
        continue;
      }
      if ((size_t) n != size) {
        fail("received a frame of %ld octets (expected: %zu)", n, size);
      }
      if (send_payload(socket, payload, size) != 0) {
        fail("zmq_msg_send: %s", zmq_strerror(errno));
      }
    }
    zmq_msg_close(&msg);
    close_timed("rep socket", socket);
    return;
  }
  void *socket = open_socket(context, ZMQ_REQ);
  const char *spin = arg_or_null("spin");
  spin_receive = spin != NULL && strcmp(spin, "true") == 0;
  if (zmq_connect(socket, arg("connect")) != 0) {
    fail("zmq_connect(%s): %s", arg("connect"), zmq_strerror(zmq_errno()));
  }
  long long warmup = long_arg("warmup");
  long long count = long_arg("count");
  int first = (int) (long_arg("firstSeconds") * 1000);
  int stall = (int) (long_arg("stallSeconds") * 1000);
  int64_t limit_nanos = long_arg("limitSeconds") * 1000000000LL;
  if (count < 1) {
    fail("count: %lld (expected: >= 1)", count);
  }
  int64_t begin = now_nanos();
  for (long long i = 0; i < warmup; i++) {
    round_trip(socket, &msg, payload, size, i == 0 ? first : stall, &current_timeout, i);
    if ((i & 0xFF) == 0 && now_nanos() - begin > limit_nanos) {
      fail("too slow: only %lld of %lld warm-up round trips in %lld s", i, warmup,
          (long long) (limit_nanos / 1000000000LL));
    }
  }
  int64_t *samples = malloc(sizeof(int64_t) * (size_t) count);
  if (samples == NULL) {
    fail("out of memory for %lld samples", count);
  }
  long long n = 0;
  int partial = 0;
  while (n < count) {
    int64_t t0 = now_nanos();
    round_trip(socket, &msg, payload, size, stall, &current_timeout, warmup + n);
    int64_t t1 = now_nanos();
    samples[n++] = t1 - t0;
    if ((n & 0xFF) == 0 && t1 - begin > limit_nanos) {
      partial = 1;
      break;
    }
  }
  qsort(samples, (size_t) n, sizeof(int64_t), compare_int64);
  long double sum = 0;
  for (long long i = 0; i < n; i++) {
    sum += samples[i];
  }
  emit("RESULT samples=%lld p50=%lld p99=%lld p999=%lld mean=%lld max=%lld partial=%s", n,
      percentile(samples, n, 0.50), percentile(samples, n, 0.99), percentile(samples, n, 0.999),
      (long long) (sum / n), (long long) samples[n - 1], partial ? "true" : "false");
  zmq_msg_close(&msg);
  close_timed("req socket", socket);
}

/* RouterDealerPeer role=router: echoes every message, all frames, back through the ROUTER until stopped. */
static void router(void *context) {
  long long size = long_arg("size");
  void *socket = open_socket(context, ZMQ_ROUTER);
  emit("ENDPOINT %s", bind_socket(socket, arg("bind")));
  set_int(socket, ZMQ_RCVTIMEO, REP_POLL_MILLIS, "ZMQ_RCVTIMEO");
  zmq_msg_t frames[MAX_FRAMES];
  while (!stop_requested) {
    int count = 0;
    int more = 1;
    while (more) {
      if (count == MAX_FRAMES) {
        fail("a message of more than %d frames", MAX_FRAMES);
      }
      zmq_msg_init(&frames[count]);
      if (zmq_msg_recv(&frames[count], socket, 0) < 0) {
        if (count == 0 && (zmq_errno() == EAGAIN || zmq_errno() == EINTR)) {
          zmq_msg_close(&frames[count]);
          break;
        }
        fail_zmq("zmq_msg_recv");
      }
      more = zmq_msg_more(&frames[count]);
      count++;
    }
    if (count == 0) {
      continue;
    }
    if ((long long) zmq_msg_size(&frames[count - 1]) != size) {
      fail("received a frame of %zu octets (expected: %lld)", zmq_msg_size(&frames[count - 1]), size);
    }
    for (int i = 0; i < count; i++) {
      if (zmq_msg_send(&frames[i], socket, i < count - 1 ? ZMQ_SNDMORE : 0) < 0) {
        fail_zmq("zmq_msg_send");
      }
    }
  }
  close_timed("router socket", socket);
}

/* RouterDealerPeer role=dealer: N DEALERs with a window of requests each, visited in turn; prints RESULT. */
static void dealers(void *context) {
  long long n = long_arg("dealers");
  if (n < 1 || n > MAX_SUBSCRIBERS) {
    fail("dealers: %lld (expected: 1 to %d)", n, MAX_SUBSCRIBERS);
  }
  long long window = long_arg("window");
  size_t size = (size_t) long_arg("size");
  long long warmup = long_arg("warmup");
  long long count = long_arg("count");
  int first = (int) (long_arg("firstSeconds") * 1000);
  int stall = (int) (long_arg("stallSeconds") * 1000);
  int64_t limit_nanos = long_arg("limitSeconds") * 1000000000LL;
  char *payload = make_payload(size);
  void **sockets = malloc(sizeof(void *) * (size_t) n);
  int *timeouts = malloc(sizeof(int) * (size_t) n);
  if (sockets == NULL || timeouts == NULL) {
    fail("out of memory");
  }
  for (long long i = 0; i < n; i++) {
    sockets[i] = open_socket(context, ZMQ_DEALER);
    timeouts[i] = -2;
    if (zmq_connect(sockets[i], arg("connect")) != 0) {
      fail("zmq_connect(%s): %s", arg("connect"), zmq_strerror(zmq_errno()));
    }
  }
  for (long long i = 0; i < n; i++) {
    for (long long w = 0; w < window; w++) {
      if (send_payload(sockets[i], payload, size) != 0) {
        fail("zmq_msg_send: %s", zmq_strerror(errno));
      }
    }
  }
  long long total = warmup + count;
  long long received = 0;
  int64_t first_at = 0;
  int64_t start = 0;
  int partial = 0;
  int timeout = first;
  zmq_msg_t msg;
  zmq_msg_init(&msg);
  while (received < total) {
    int at = (int) (received % n);
    long got = receive_size(sockets[at], &msg, timeout, &timeouts[at]);
    if (got < 0) {
      if (received == 0) {
        fail("no reply within %d s", first / 1000);
      }
      fail("stalled: no reply for %d s after %lld of %lld", stall / 1000, received, total);
    }
    if ((size_t) got != size) {
      fail("reply of %ld octets (expected: %zu)", got, size);
    }
    if (send_payload(sockets[at], payload, size) != 0) {
      fail("zmq_msg_send: %s", zmq_strerror(errno));
    }
    received++;
    int64_t now = 0;
    if (received == 1) {
      now = now_nanos();
      first_at = now;
    }
    if (received == n) {
      timeout = stall;
    }
    if (received == warmup) {
      start = now == 0 ? now_nanos() : now;
    }
    if ((received & 0xFF) == 0 && now_nanos() - first_at > limit_nanos) {
      if (received <= warmup) {
        fail("too slow: only %lld of %lld warm-up replies in %lld s", received, warmup,
            (long long) (limit_nanos / 1000000000LL));
      }
      partial = 1;
      break;
    }
  }
  int64_t end = now_nanos();
  zmq_msg_close(&msg);
  emit("RESULT messages=%lld nanos=%lld partial=%s warmupNanos=%lld", received - warmup, (long long) (end - start),
      partial ? "true" : "false", (long long) (start - first_at));
  for (long long i = 0; i < n; i++) {
    close_timed("dealer socket", sockets[i]);
  }
}

/* IdleConnections needs a descriptor per connection; the server side here too. Raises the soft limit to the hard. */
static void raise_descriptor_limit(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (eq == NULL || eq == argv[i] || arg_count == MAX_ARGS) {
      fail("argument: %s (expected: key=value)", argv[i]);
    }
    *eq = '\0';
    arg_keys[arg_count] = argv[i];
    arg_values[arg_count] = eq + 1;
    arg_count++;
  }
  const char *role = arg("role");
  if (strcmp(role, "version") == 0) {
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    emit("VERSION %d.%d.%d", major, minor, patch);
    return 0;
  }
  max_seconds = (long) long_arg("maxSeconds");
  raise_descriptor_limit();
  start_daemon(watch_stdin);
  start_daemon(deadline);
  hwm = (int) long_arg("hwm");

  void *context = zmq_ctx_new();
  if (context == NULL) {
    fail_zmq("zmq_ctx_new");
  }
  if (zmq_ctx_set(context, ZMQ_IO_THREADS, 1) != 0) {
    fail_zmq("zmq_ctx_set(ZMQ_IO_THREADS)");
  }
  if (strcmp(role, "receive") == 0 || strcmp(role, "send") == 0 || strcmp(role, "inproc") == 0) {
    throughput(context, role);
  } else if (strcmp(role, "rep") == 0 || strcmp(role, "req") == 0) {
    latency(context, role);
  } else if (strcmp(role, "router") == 0) {
    router(context);
  } else if (strcmp(role, "dealer") == 0) {
    dealers(context);
  } else {
    fail("role: %s (expected: receive, send, inproc, rep, req, router, dealer or version)", role);
  }
  term_timed(context);
  fflush(stdout);
  fflush(stderr);
  _exit(0);
}

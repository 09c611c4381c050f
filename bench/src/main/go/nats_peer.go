// Command nats_peer is the NATS Go client's peer of the bus benchmark (io.switchboard.bench.BusBenchRunner): the
// same roles, arguments and line protocol as the Java peers (BusPeer for Switchboard's bus, JnatsPeer for jnats),
// over NATS's Go client (github.com/nats-io/nats.go) and a nats-server the runner starts.
//
// The runner builds it offline in GOPATH mode against the Debian package golang-github-nats-io-go-nats-dev:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o bench/target/nats_peer bench/src/main/go/nats_peer.go
//
// Roles (role=...):
//
//	listen   subscribes to subject, prints READY once the server has the subscription, counts warmup+count events
//	         and prints RESULT received=... lost=... nanos=... partial=...
//	publish  publishes warmup+count events of size octets to subject, the last one marked, prints SENT, waits
//	handle   answers every request on subject with its own data, prints READY once subscribed, serves until stopped
//	request  makes warmup+count round trips to subject one at a time, prints RESULT with percentiles in ns
//	version  prints VERSION with the client's version and exits
//
// Protocol: lines on standard output (READY, SENT, RESULT, WARN, ERROR); the runner stops a peer by closing its
// standard input. A peer halts 10 s after the stop, and after maxSeconds whatever happens.
package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
)

// lastMark is the first octet of the last event of a throughput run; every other event starts with 'a'.
const lastMark = '#'

const stopGrace = 10 * time.Second

var (
	outMu   sync.Mutex
	stopped = make(chan struct{})
)

func emit(format string, a ...interface{}) {
	outMu.Lock()
	defer outMu.Unlock()
	fmt.Fprintf(os.Stdout, format+"\n", a...)
}

func fail(format string, a ...interface{}) {
	emit("ERROR "+format, a...)
	os.Exit(2)
}

type args map[string]string

func (a args) str(key string) string {
	v, ok := a[key]
	if !ok {
		fail("missing argument %s=...", key)
	}
	return v
}

func (a args) int(key string) int64 {
	v, err := strconv.ParseInt(a.str(key), 10, 64)
	if err != nil {
		fail("argument %s: %q (expected: an integer)", key, a.str(key))
	}
	return v
}

func (a args) seconds(key string) time.Duration {
	return time.Duration(a.int(key)) * time.Second
}

func main() {
	a := args{}
	for _, arg := range os.Args[1:] {
		eq := strings.IndexByte(arg, '=')
		if eq <= 0 {
			fail("argument: %s (expected: key=value)", arg)
		}
		a[arg[:eq]] = arg[eq+1:]
	}
	if a.str("role") == "version" {
		emit("VERSION nats.go %s", nats.Version)
		return
	}
	guard(a.seconds("maxSeconds"))
	nc, err := nats.Connect(a.str("connect"), nats.Name("switchboard-bench-"+a.str("role")), nats.NoReconnect(),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			emit("WARN asynchronous error: %v", err)
		}))
	if err != nil {
		fail("cannot connect to %s: %v", a.str("connect"), err)
	}
	switch a.str("role") {
	case "listen":
		listen(nc, a)
	case "publish":
		publish(nc, a)
	case "handle":
		handle(nc, a)
	case "request":
		request(nc, a)
	default:
		fail("role: %s (expected: listen, publish, handle, request or version)", a.str("role"))
	}
	nc.Close()
}

// guard stops the peer when standard input ends (closing the stopped channel, then halting after stopGrace) and
// halts it after maxSeconds.
func guard(maxSeconds time.Duration) {
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(stopped)
		time.Sleep(stopGrace)
		emit("ERROR peer did not exit within %d s of the stop; halting", int(stopGrace.Seconds()))
		os.Exit(3)
	}()
	go func() {
		time.Sleep(maxSeconds)
		emit("ERROR peer still running after its limit of %d s; halting", int(maxSeconds.Seconds()))
		os.Exit(4)
	}()
}

func payload(size int64) []byte {
	p := make([]byte, size)
	for i := range p {
		p[i] = byte('a' + i%26)
	}
	return p
}

// counter measures one listener: the clock starts at the warmup-th event and stops at the last one (the marked
// event, or the total count); events lost on the way are counted from the total.
type counter struct {
	size, warmup, total int64
	got                 int64
	start, last         time.Time
	firstNanos          atomic.Int64
	lastNanos           atomic.Int64
	marked              bool
	done                chan struct{}
	wrongSize           int64
}

func (c *counter) event(data []byte) {
	now := time.Now()
	if int64(len(data)) != c.size {
		c.wrongSize++
		return
	}
	c.got++
	if c.got == 1 {
		c.firstNanos.Store(now.UnixNano())
	}
	c.last = now
	c.lastNanos.Store(now.UnixNano())
	if c.got == c.warmup {
		c.start = now
	}
	if c.got == c.total || (len(data) > 0 && data[0] == lastMark) {
		c.marked = true
		close(c.done)
	}
}

func listen(nc *nats.Conn, a args) {
	c := &counter{size: a.int("size"), warmup: a.int("warmup"), total: a.int("warmup") + a.int("count"),
		done: make(chan struct{})}
	var mu sync.Mutex
	sub, err := nc.Subscribe(a.str("subject"), func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		if !c.marked {
			c.event(m.Data)
		}
	})
	if err != nil {
		fail("cannot subscribe: %v", err)
	}
	if err := nc.Flush(); err != nil {
		fail("flush after subscribe: %v", err)
	}
	emit("READY")
	first, quiet, limit := a.seconds("firstSeconds"), a.seconds("quietSeconds"), a.seconds("limitSeconds")
	began := time.Now()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	partial := false
wait:
	for {
		select {
		case <-c.done:
			break wait
		case <-stopped:
			fail("stopped before the last event")
		case now := <-tick.C:
			last := c.lastNanos.Load()
			if last == 0 {
				if now.Sub(began) > first {
					fail("no event within %d s", int(first.Seconds()))
				}
				continue
			}
			if now.Sub(time.Unix(0, last)) > quiet {
				break wait
			}
			if now.Sub(time.Unix(0, c.firstNanos.Load())) > limit {
				partial = true
				break wait
			}
		}
	}
	mu.Lock()
	c.marked = true
	got, start, end, wrong := c.got, c.start, c.last, c.wrongSize
	mu.Unlock()
	sub.Unsubscribe()
	if wrong > 0 {
		emit("WARN %d event(s) of another size than %d", wrong, c.size)
	}
	if got <= c.warmup {
		fail("only %d of %d events arrived (warm-up: %d)", got, c.total, c.warmup)
	}
	lost := c.total - got
	if partial {
		lost = 0
	}
	emit("RESULT received=%d lost=%d nanos=%d partial=%t", got-c.warmup, lost, end.Sub(start).Nanoseconds(),
		partial)
	<-stopped
}

func publish(nc *nats.Conn, a args) {
	subject := a.str("subject")
	data := payload(a.int("size"))
	last := payload(a.int("size"))
	if len(last) > 0 {
		last[0] = lastMark
	}
	total := a.int("warmup") + a.int("count")
	began := time.Now()
	for i := int64(0); i < total; i++ {
		p := data
		if i == total-1 {
			p = last
		}
		if err := nc.Publish(subject, p); err != nil {
			fail("publish %d of %d: %v", i+1, total, err)
		}
	}
	if err := nc.Flush(); err != nil {
		fail("flush after publishing: %v", err)
	}
	emit("SENT events=%d nanos=%d", total, time.Since(began).Nanoseconds())
	<-stopped
}

func handle(nc *nats.Conn, a args) {
	_, err := nc.Subscribe(a.str("subject"), func(m *nats.Msg) {
		if err := m.Respond(m.Data); err != nil {
			emit("WARN respond: %v", err)
		}
	})
	if err != nil {
		fail("cannot subscribe: %v", err)
	}
	if err := nc.Flush(); err != nil {
		fail("flush after subscribe: %v", err)
	}
	emit("READY")
	<-stopped
}

func request(nc *nats.Conn, a args) {
	subject := a.str("subject")
	data := payload(a.int("size"))
	warmup, count := a.int("warmup"), a.int("count")
	first, stall, limit := a.seconds("firstSeconds"), a.seconds("stallSeconds"), a.seconds("limitSeconds")
	roundTrip := func(i int64, timeout time.Duration) {
		reply, err := nc.Request(subject, data, timeout)
		if err != nil {
			fail("request %d: %v", i+1, err)
		}
		if len(reply.Data) != len(data) {
			fail("reply of %d octets (expected: %d)", len(reply.Data), len(data))
		}
	}
	began := time.Now()
	for i := int64(0); i < warmup; i++ {
		timeout := stall
		if i == 0 {
			timeout = first
		}
		roundTrip(i, timeout)
		if i&0xFF == 0 && time.Since(began) > limit {
			fail("too slow: only %d of %d warm-up round trips in %d s", i, warmup, int(limit.Seconds()))
		}
	}
	samples := make([]int64, 0, count)
	partial := false
	for int64(len(samples)) < count {
		t0 := time.Now()
		roundTrip(warmup+int64(len(samples)), stall)
		samples = append(samples, time.Since(t0).Nanoseconds())
		if len(samples)&0xFF == 0 && time.Since(began) > limit {
			partial = true
			break
		}
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	var sum int64
	for _, s := range samples {
		sum += s
	}
	n := len(samples)
	emit("RESULT samples=%d p50=%d p99=%d p999=%d mean=%d max=%d partial=%t", n, percentile(samples, 0.50),
		percentile(samples, 0.99), percentile(samples, 0.999), sum/int64(n), samples[n-1], partial)
	<-stopped
}

// percentile is the nearest-rank percentile of sorted samples, as LatencyPeer computes it.
func percentile(sorted []int64, p float64) int64 {
	n := len(sorted)
	rank := int(math.Ceil(p * float64(n)))
	if rank < 1 {
		rank = 1
	}
	if rank > n {
		rank = n
	}
	return sorted[rank-1]
}

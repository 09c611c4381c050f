#!/usr/bin/env bash
# Builds the bench module (and what it depends on) and runs it.
#
#   bench/run.sh [--quick] [--only NAME]... [--repeat N] [--out DIR] [--hwm N] [--jvm-opt OPT]... [--zmq-peer PATH]
#                [--no-libzmq] [--no-cds] [--list]
#       Switchboard vs JeroMQ and libzmq, side by side (io.switchboard.bench.BenchRunner); results (bench.md,
#       bench.csv, bench.svg) in DIR (default: ./results, relative to where you run the script).
#   bench/run.sh bus [--quick] [--only NAME]... [--repeat N] [--listeners LIST] [--idle-clients N]
#                    [--transport tcp|ipc] [--out DIR] [--jvm-opt OPT]... [--nats-server PATH] [--nats-go-peer PATH]
#                    [--no-nats] [--list]
#       Switchboard's bus vs NATS with its Go client and with jnats, side by side
#       (io.switchboard.bench.BusBenchRunner); results (bus.md, bus.csv) in DIR (default: ./results). Installs
#       nats-server, Go and nats.go's sources with apt-get first when they are missing (as root; BENCH_NO_INSTALL=1
#       skips that, and NATS's columns then say what is missing).
#   bench/run.sh gateway [--quick] [--duration S] [--warmup S] [--repeat N] [--connections N] [--threads N] [--out DIR]
#                        [--jvm-opt OPT]...
#       The HTTP gateway to a service in another JVM, beside nginx serving the same JSON and a Node.js relay of the
#       seed's design, all with wrk -t2 -c64, and the service over the bus directly
#       (io.switchboard.bench.GatewayBenchRunner); results (gateway.md, gateway.csv) in DIR (default: ./results).
#       Installs wrk, nginx and nodejs with apt-get first when they are missing (as root; BENCH_NO_INSTALL=1 skips
#       that, and the missing systems' rows say so).
#   bench/run.sh jmh [JMH options] [benchmark regex]
#       The JMH microbenchmarks (org.openjdk.jmh.Main), with -prof gc unless another -prof is given.
#
# SKIP_BUILD=1 reuses the last build. JAVA_HOME, if set, picks the JVM. See docs/bench.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$root" && ./mvnw -q -DskipTests -pl bench -am package)
fi

# The pom writes the class path at package time; build it by hand if that file is missing.
cp_file="$root/bench/target/classpath.txt"
if [[ ! -s "$cp_file" ]]; then
  (cd "$root" && ./mvnw -q -pl bench dependency:build-classpath -Dmdep.outputFile="$cp_file")
fi
# The module's jar rather than target/classes: the runner's class-data archive for its peer JVMs (AppCDS) needs a
# class path of jars only.
jar="$(ls "$root"/bench/target/switchboard-bench-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' | head -n 1)"
if [[ -z "$jar" ]]; then
  jar="$root/bench/target/classes"
fi
classpath="$jar:$(cat "$cp_file")"

java=java
if [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME/bin/java"
fi

# Installs the Debian packages named after the first argument (what they are for, in messages) when we can (root and
# apt-get, and BENCH_NO_INSTALL unset); otherwise says what is missing. The runners show what is still missing as n/a.
apt_install_missing() {
  local purpose="$1"
  shift
  if (($# == 0)) || [[ "${BENCH_NO_INSTALL:-0}" == 1 ]]; then
    return 0
  fi
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    echo "bench: missing $*; install them (Debian: apt-get install $*) to measure $purpose" >&2
    return 0
  fi
  echo "bench: installing $* with apt-get" >&2
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "$@"; } >&2; then
    echo "bench: apt-get failed; the cells of $purpose will say what is missing" >&2
  fi
}

# The bus benchmark's NATS side: nats-server, and Go with nats.go's sources (Debian's GOPATH, /usr/share/gocode) to
# build the Go client's peer offline.
bus_prerequisites() {
  local missing=()
  if ! command -v nats-server >/dev/null && [[ ! -x /usr/sbin/nats-server ]]; then
    missing+=(nats-server)
  fi
  if ! command -v go >/dev/null; then
    missing+=(golang-go)
  fi
  if [[ ! -d /usr/share/gocode/src/github.com/nats-io/nats.go ]]; then
    missing+=(golang-github-nats-io-go-nats-dev)
  fi
  apt_install_missing NATS "${missing[@]}"
}

# The gateway benchmark's load generator and anchors: wrk, nginx and Node.js.
gateway_prerequisites() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v node >/dev/null || missing+=(nodejs)
  apt_install_missing "nginx and the Node.js relay" "${missing[@]}"
  # Debian's nginx package starts a server on port 80 as it installs; the benchmark runs its own
  if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null; then
    systemctl stop nginx >/dev/null 2>&1 || true
  fi
}

if [[ "${1:-}" == gateway ]]; then
  shift
  gateway_prerequisites
  exec "$java" -cp "$classpath" io.switchboard.bench.GatewayBenchRunner \
    --relay-dir "$root/bench/src/main/node/gateway-relay" "$@"
fi
if [[ "${1:-}" == bus ]]; then
  shift
  bus_prerequisites
  exec "$java" -cp "$classpath" io.switchboard.bench.BusBenchRunner "$@"
fi
if [[ "${1:-}" == jmh ]]; then
  shift
  prof=(-prof gc)
  for arg in "$@"; do
    if [[ "$arg" == -prof ]]; then
      prof=()
    fi
  done
  exec "$java" -cp "$classpath" org.openjdk.jmh.Main "${prof[@]}" "$@"
fi
# The socket benchmark's libzmq peer is built from C against libzmq's headers, unless told to leave libzmq out.
if [[ " $* " != *" --no-libzmq "* && " $* " != *" --list "* ]]; then
  missing=()
  [[ -f /usr/include/zmq.h ]] || missing+=(libzmq3-dev)
  command -v cc >/dev/null || missing+=(gcc)
  apt_install_missing libzmq "${missing[@]}"
fi
exec "$java" -cp "$classpath" io.switchboard.bench.BenchRunner "$@"

#!/usr/bin/env bash
# Builds the bench module (and what it depends on) and runs it.
#
#   bench/run.sh [--quick] [--only NAME]... [--repeat N] [--out DIR] [--hwm N] [--jvm-opt OPT]... [--zmq-peer PATH]
#                [--no-libzmq] [--no-cds] [--list]
#       Switchboard vs JeroMQ and libzmq, side by side (io.switchboard.bench.BenchRunner); results (bench.md,
#       bench.csv, bench.svg) in DIR (default: ./results, relative to where you run the script).
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
exec "$java" -cp "$classpath" io.switchboard.bench.BenchRunner "$@"

#!/usr/bin/env bash
# The mesh across hosts: three network namespaces joined by a bridge (in a fourth namespace, so the host's own
# networks are untouched), a node in each. Checks that multicast discovery joins them, that events and requests
# cross, that a cut link (the bridge port down) is detected within the heartbeat timeout, and that healing restores
# traffic with nothing duplicated. Needs root and iproute2. Only addresses inside the namespaces (10.77.0.0/24) and
# loopback are used.
#
# Usage: deploy/netns-mesh-test.sh [path/to/switchboard.jar]      (default: cli/target/switchboard.jar)
set -euo pipefail

JAR="${1:-cli/target/switchboard.jar}"
[[ -f "$JAR" ]] || { echo "netns-mesh-test: no $JAR (build it: ./mvnw -B -q package -pl cli -am -DskipTests)" >&2; exit 2; }
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
[[ "$(id -u)" -eq 0 ]] || { echo "netns-mesh-test: needs root (network namespaces)" >&2; exit 2; }
command -v ip >/dev/null || { echo "netns-mesh-test: needs iproute2 (apt-get install iproute2)" >&2; exit 2; }

TAG="sb$(( $$ % 10000 ))"
BR_NS="${TAG}br"
WORK="$(mktemp -d)"
HEARTBEAT_TIMEOUT_MS=2000
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # and whatever else still runs in our namespaces (only processes this script started run there)
  for i in 1 2 3; do
    for pid in $(ip netns pids "${TAG}n$i" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for i in 1 2 3; do ip netns del "${TAG}n$i" 2>/dev/null || true; done
  ip netns del "$BR_NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "netns-mesh-test: FAILED: $*" >&2; for i in 1 2 3; do echo "--- node n$i" >&2; cat "$WORK/n$i.out" >&2 || true; done; exit 1; }
ok() { echo "netns-mesh-test: ok: $*"; }

in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
sb() { local i="$1"; shift; in_ns "${TAG}n$i" java -jar "$JAR" "$@"; }
# sb_bg I OUT ARGS...: runs switchboard in node I's namespace in the background; its pid (ip execs java) in PIDS
sb_bg() { local i="$1" out="$2"; shift 2; ip netns exec "${TAG}n$i" java -jar "$JAR" "$@" > "$out" 2>&1 & PIDS+=($!); }
ctl() { local i="$1"; shift; sb "$i" ctl --node "ipc://$WORK/n$i.sock" "$@"; }

# shellcheck source=deploy/test-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"

# --- the network: a bridge in its own namespace, a veth pair per node namespace
ip netns add "$BR_NS"
in_ns "$BR_NS" ip link add br0 type bridge
in_ns "$BR_NS" ip link set br0 up
for i in 1 2 3; do
  ns="${TAG}n$i"
  ip netns add "$ns"
  ip link add "${TAG}v$i" type veth peer name "${TAG}p$i"
  ip link set "${TAG}v$i" netns "$ns"
  ip link set "${TAG}p$i" netns "$BR_NS"
  in_ns "$BR_NS" ip link set "${TAG}p$i" master br0
  in_ns "$BR_NS" ip link set "${TAG}p$i" up
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr add "10.77.0.$i/24" dev "${TAG}v$i"
  in_ns "$ns" ip link set "${TAG}v$i" up
  in_ns "$ns" ip route add 224.0.0.0/4 dev "${TAG}v$i"
done

# --- a node in each namespace, finding the others by ZRE beacons on a multicast group
cat > "$WORK/config.json" <<JSON
{
  "channels": {"A": {"propagateToNet": true}},
  "mesh": {
    "discovery": "multicast",
    "multicast": {"address": "239.255.77.1", "port": 5670, "intervalMillis": 200},
    "heartbeatMillis": 250, "heartbeatTimeoutMillis": $HEARTBEAT_TIMEOUT_MS
  }
}
JSON
for i in 1 2 3; do
  # the mesh's links at info: the cut below is timed from the node's own "lost" line
  sb_bg "$i" "$WORK/n$i.out" node --config "$WORK/config.json" --ipc "$WORK/n$i.sock" --id "n$i" \
    --mesh-listen "tcp://10.77.0.$i:5670" --log-level io.switchboard.bus.mesh=info
done
for i in 1 2 3; do
  wait_for 30 grep -q '^mesh: tcp://10.77.0.' "$WORK/n$i.out" || fail "node n$i did not start"
done

connected() { # connected I PEER: node I has PEER connected
  ctl "$1" peers | tr -d ' \n' | grep -q "\"id\":\"$2\",\"endpoint\":\"[^\"]*\",\"state\":\"connected\""
}
for i in 1 2 3; do for j in 1 2 3; do
  [[ $i == "$j" ]] && continue
  wait_for 30 connected "$i" "n$j" || fail "multicast discovery did not link n$i to n$j"
done; done
ok "multicast discovery joined n1, n2, n3"

# --- events and requests cross
listens() { ctl "$1" peers | tr -d ' \n' | grep -q "\"id\":\"$2\"[^}]*\"listensTo\":\[[^]]*\"A\""; }
sb_bg 2 "$WORK/l2.out" bus listen A --node "ipc://$WORK/n2.sock" -n 3 --timeout 60s
L2=$!
sb_bg 3 "$WORK/l3.out" bus listen A --node "ipc://$WORK/n3.sock" --timeout 120s
sb_bg 3 /dev/null bus handle A echo --node "ipc://$WORK/n3.sock"
wait_for 30 listens 1 n2 || fail "n1 never learnt that n2 listens to A"
wait_for 30 listens 1 n3 || fail "n1 never learnt that n3 listens to A"
wait_for 30 sh -c "ip netns exec ${TAG}n1 java -jar '$JAR' ctl --node 'ipc://$WORK/n1.sock' peers | grep -q '\"A echo\"'" \
  || fail "n1 never learnt that n3 handles echo"
for n in 1 2 3; do sb 1 bus emit A n "$n" --node "ipc://$WORK/n1.sock" || fail "emit $n"; done
wait "$L2" || fail "the listener on n2 did not get 3 events"
[[ "$(grep -c '"event":"n"' "$WORK/l2.out")" == 3 ]] || fail "n2 got $(cat "$WORK/l2.out")"
reply="$(sb 1 bus request A echo '{"x":42}' --node "ipc://$WORK/n1.sock")" || fail "request from n1"
[[ "$reply" == '{"x":42}' ]] || fail "request answered $reply"
ok "events and requests cross from n1 to n2 and n3"

# --- cut n3's bridge port: n1 and n2 find it dead within the heartbeat timeout
in_ns "$BR_NS" ip link set "${TAG}p3" down
cut_at=$(date +%s%N)
# n1 logs "mesh: node n1 lost n3 (heartbeat timeout)" the moment its link's heartbeat times out
wait_for 30 grep -q 'lost n3 (heartbeat timeout)' "$WORK/n1.out" || fail "n1 did not notice the cut"
took_ms=$(( ($(date +%s%N) - cut_at) / 1000000 ))
# the timeout, one heartbeat interval (the check runs at each), and this loop's 0.2 s polling and a margin
(( took_ms <= HEARTBEAT_TIMEOUT_MS + 250 + 1500 )) || fail "the cut took ${took_ms} ms to notice"
connected 1 n3 && fail "n1 still shows n3 connected after the cut"
ok "the cut link was noticed in ${took_ms} ms (heartbeat timeout ${HEARTBEAT_TIMEOUT_MS} ms)"

# --- heal: n3 comes back, and every event after that reaches it once
in_ns "$BR_NS" ip link set "${TAG}p3" up
wait_for 60 connected 1 n3 || fail "n1 and n3 did not link again"
wait_for 30 listens 1 n3 || fail "n1 did not learn again that n3 listens to A"
before=$(grep -c '"event":"m"' "$WORK/l3.out" || true)
for n in 1 2 3 4 5; do sb 1 bus emit A m "$n" --node "ipc://$WORK/n1.sock" || fail "emit m $n"; done
wait_for 30 sh -c "[ \$(grep -c '\"event\":\"m\"' '$WORK/l3.out') -ge $(( before + 5 )) ]" || fail "n3 did not get the events after healing"
got=$(grep '"event":"m"' "$WORK/l3.out" | sed 's/.*"data":\([0-9]*\).*/\1/' | tr '\n' ' ')
[[ "$got" == "1 2 3 4 5 " ]] || fail "after healing n3 got: $got (expected 1 2 3 4 5, once each)"
ok "healing restored traffic to n3, nothing duplicated"
echo "netns-mesh-test: all 4 checks passed"

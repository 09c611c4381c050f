#!/usr/bin/env bash
# The container image, run as deploy/kubernetes/switchboard.yaml runs it: two containers from the image Jib built
# (runc, from Debian's packages; no Docker daemon), each in a network namespace of its own (a pod's) joined by a veth
# pair, with the ConfigMap's configuration mounted where the StatefulSet mounts it and the StatefulSet's arguments;
# a DNS server (dnsmasq) answers for the headless Service with an A record per pod and an SRV record per pod, as the
# cluster's DNS would. Checks that both nodes start, find each other through those records and link into one mesh,
# and that an event emitted on one reaches a listener on the other. Needs root. Only addresses inside the namespaces
# (10.78.0.0/24) are used.
#
# Usage: deploy/image-test.sh [IMAGE.tar] [switchboard.jar]   (default: cli/target/jib-image.tar, cli/target/switchboard.jar)
set -euo pipefail

IMAGE="${1:-cli/target/jib-image.tar}"
JAR="${2:-cli/target/switchboard.jar}"
[[ -f "$IMAGE" ]] || { echo "image-test: no $IMAGE (build it: ./mvnw -B -Pimage package -pl cli -am -DskipTests)" >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "image-test: no $JAR (build it: ./mvnw -B -q package -pl cli -am -DskipTests)" >&2; exit 2; }
[[ "$(id -u)" -eq 0 ]] || { echo "image-test: needs root (runc, network namespaces)" >&2; exit 2; }
missing=()
for tool in skopeo umoci runc; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v dnsmasq >/dev/null 2>&1 || missing+=(dnsmasq-base)
if (( ${#missing[@]} > 0 )); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

MANIFEST="$(dirname "${BASH_SOURCE[0]}")/kubernetes/switchboard.yaml"
TAG="sbi$(( $$ % 10000 ))"
WORK="$(mktemp -d)"
DNS_PID=""
cleanup() {
  [[ -n "$DNS_PID" ]] && kill "$DNS_PID" 2>/dev/null || true
  for i in 1 2; do
    runc kill "${TAG}c$i" KILL 2>/dev/null || true
    runc delete --force "${TAG}c$i" 2>/dev/null || true
    ip netns del "${TAG}n$i" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "image-test: FAILED: $*" >&2; for i in 1 2; do echo "--- container c$i" >&2; cat "$WORK/c$i.out" >&2 || true; done; exit 1; }
ok() { echo "image-test: ok: $*"; }
# shellcheck source=deploy/test-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test-lib.sh"

# --- the network: one namespace per container, as a pod has, joined by a veth pair
ip netns add "${TAG}n1"
ip netns add "${TAG}n2"
ip link add "${TAG}v1" netns "${TAG}n1" type veth peer name "${TAG}v2" netns "${TAG}n2"
for i in 1 2; do
  ip netns exec "${TAG}n$i" ip link set lo up
  ip netns exec "${TAG}n$i" ip addr add "10.78.0.$i/24" dev "${TAG}v$i"
  ip netns exec "${TAG}n$i" ip link set "${TAG}v$i" up
done

# --- the headless Service's records, served from the first pod's namespace as the cluster's DNS would serve them
NAMESPACE=default
SERVICE="switchboard.$NAMESPACE.svc.cluster.local"
ip netns exec "${TAG}n1" dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null \
  --listen-address=10.78.0.1 --bind-interfaces --user=root --pid-file="$WORK/dnsmasq.pid" --log-facility=- \
  --host-record="switchboard-0.$SERVICE,10.78.0.1" --host-record="switchboard-1.$SERVICE,10.78.0.2" \
  --srv-host="_mesh._tcp.$SERVICE,switchboard-0.$SERVICE,5670" \
  --srv-host="_mesh._tcp.$SERVICE,switchboard-1.$SERVICE,5670" > "$WORK/dnsmasq.out" 2>&1 &
DNS_PID=$!

# --- two pods from the image, switchboard-0 and -1; a node's ipc socket is reached from here through its root
skopeo copy --quiet "docker-archive:$IMAGE" "oci:$WORK/oci:switchboard"
skopeo inspect --config "oci:$WORK/oci:switchboard" > "$WORK/image-config.json"
for i in 1 2; do
  pod="switchboard-$(( i - 1 ))"
  umoci unpack --image "$WORK/oci:switchboard" "$WORK/c$i" >/dev/null
  mkdir -p "$WORK/c$i/rootfs/etc/switchboard"
  echo "nameserver 10.78.0.1" > "$WORK/c$i/rootfs/etc/resolv.conf"
  # the image's entrypoint (java … Main) with the StatefulSet's arguments in place of the image's, variables filled in
  python3 - "$MANIFEST" "$WORK/image-config.json" "$WORK/c$i" "/var/run/netns/${TAG}n$i" "$pod" "10.78.0.$i" \
      "$NAMESPACE" <<'PY'
import json, re, sys
manifest, image_config, bundle, netns, pod, ip, namespace = sys.argv[1:]
text = open(manifest).read()
config = re.search(r"config\.json: \|\n((?:    .*\n|\n)+)", text).group(1)
open(bundle + "/rootfs/etc/switchboard/config.json", "w").write(config)
args = re.search(r"\n( +)args:\n((?:\1  - .*\n)+)", text).group(2)
variables = {"POD_NAME": pod, "POD_IP": ip, "POD_NAMESPACE": namespace}
flags = [re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)], line.split("- ", 1)[1].split(" #")[0].strip())
         for line in args.splitlines()]
runtime = json.load(open(bundle + "/config.json"))
runtime["process"]["terminal"] = False
runtime["process"]["args"] = json.load(open(image_config))["config"]["Entrypoint"] + flags
for namespace_entry in runtime["linux"]["namespaces"]:
    if namespace_entry["type"] == "network":
        namespace_entry["path"] = netns
json.dump(runtime, open(bundle + "/config.json", "w"))
print("image-test: " + pod + " runs: " + " ".join(flags))
PY
  runc run --detach --bundle "$WORK/c$i" "${TAG}c$i" > "$WORK/c$i.out" 2>&1 < /dev/null || fail "runc did not start $pod"
done
for i in 1 2; do
  wait_for 60 grep -q '^mesh: ' "$WORK/c$i.out" || fail "the node in pod $i did not start"
done
ok "two pods from $(basename "$IMAGE") run a node each, with the StatefulSet's configuration and arguments"

sb() { java -jar "$JAR" "$@"; }
ctl() { local i="$1"; shift; sb ctl --node "ipc://$WORK/c$i/rootfs/run/switchboard/switchboard/node.sock" "$@"; }
connected() { ctl "$1" peers | tr -d ' \n' | grep -q "\"id\":\"$2\",\"endpoint\":\"[^\"]*\",\"state\":\"connected\""; }
wait_for 30 connected 1 switchboard-1 || fail "switchboard-0 does not show switchboard-1 connected: $(ctl 1 peers)"
wait_for 30 connected 2 switchboard-0 || fail "switchboard-1 does not show switchboard-0 connected: $(ctl 2 peers)"
ok "the pods found each other by the Service's SRV records and linked into one mesh"

# --- an event crosses from switchboard-0 to a listener on switchboard-1
listens() { ctl 1 peers | tr -d ' \n' | grep -q "\"id\":\"switchboard-1\"[^}]*\"listensTo\":\[[^]]*\"A\""; }
sb bus listen A --node "ipc://$WORK/c2/rootfs/run/switchboard/switchboard/node.sock" -n 1 --timeout 60s > "$WORK/listen.out" 2>&1 &
LISTENER=$!
wait_for 30 listens || fail "switchboard-0 never learnt that switchboard-1 listens to A"
sb bus emit A hello '{"from":"switchboard-0"}' --node "ipc://$WORK/c1/rootfs/run/switchboard/switchboard/node.sock" \
  || fail "emit on switchboard-0"
wait "$LISTENER" || fail "the listener on switchboard-1 got nothing: $(cat "$WORK/listen.out")"
grep -q '"event":"hello"' "$WORK/listen.out" || fail "the listener on switchboard-1 got $(cat "$WORK/listen.out")"
ok "an event emitted on switchboard-0 reached a listener on switchboard-1"
echo "image-test: all 3 checks passed"

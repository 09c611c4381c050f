#!/usr/bin/env bash
# Builds the image's base from Debian's packages alone, for builds that cannot reach a container registry: Debian
# bookworm with OpenJDK 17's headless JRE (mmdebstrap), made an image (skopeo, umoci) and written as a Docker-format
# tar, which Jib takes as its base:
#
#   deploy/base-image.sh /tmp/switchboard-base.tar
#   ./mvnw -B -Pimage package -pl cli -am -DskipTests -Djib.from.image=tar:///tmp/switchboard-base.tar
#
# Needs root and the Debian packages mmdebstrap, skopeo and umoci (installed when missing). About 340 MB, 1-2 minutes.
set -euo pipefail

OUT="${1:?usage: deploy/base-image.sh OUTPUT.tar}"
[[ "$(id -u)" -eq 0 ]] || { echo "base-image: needs root (mmdebstrap)" >&2; exit 2; }
missing=()
for tool in mmdebstrap skopeo umoci; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if (( ${#missing[@]} > 0 )); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Documentation, manual pages and translations are left out; java's alternatives still want man1 to exist.
mmdebstrap --quiet --variant=essential --include=openjdk-17-jre-headless,ca-certificates \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  bookworm "$WORK/rootfs.tar"

skopeo copy --quiet "tarball:$WORK/rootfs.tar" "oci:$WORK/oci:base"
umoci config --image "$WORK/oci:base" \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 --config.env LANG=C.UTF-8
rm -f "$OUT"
skopeo copy --quiet "oci:$WORK/oci:base" "docker-archive:$OUT:switchboard-base:17"
echo "base-image: $OUT ($(du -h "$OUT" | cut -f1))"

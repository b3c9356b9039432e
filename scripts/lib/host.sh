# shellcheck shell=bash
# Host helpers shared by scripts/test, scripts/demo and bench/*: install what a fresh
# Debian 12 machine lacks, start the Docker engine and a loopback registry, and build
# (or reuse) a debootstrap'd Debian root. Source this file; it only defines functions.
# Everything here is idempotent, so a second run costs almost nothing.

# What the project's scripts, tests, demos and benchmarks use. curl and ca-certificates
# are listed because these helpers probe the registry with curl; buildah and podman are
# builders the integration tests check bootj against; python3-jsonschema validates the
# --json output against the published schemas (docs/schemas), independently of bootj.
# gnupg, openssl, python3-cryptography and python3-nacl are the independent signers and
# verifiers the trust tests check bootj's signatures and key files against.
BOOTJ_HOST_PACKAGES=(
  docker.io docker-registry skopeo umoci buildah podman qemu-system-x86 ovmf debootstrap python3-jsonschema
  gnupg openssl python3-cryptography python3-nacl
  gdisk fdisk e2fsprogs dosfstools mtools xfsprogs systemd-boot systemd-boot-efi
  maven openjdk-17-jdk-headless time curl ca-certificates
)

BOOTJ_CACHE_DIR=${BOOTJ_CACHE_DIR:-/var/cache/bootj}

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [[ $(id -u) -eq 0 ]] || die "run as root (needs apt, dockerd, debootstrap)"
}

# Prints those of "$@" that dpkg does not report as installed.
missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' \
      || printf '%s\n' "$pkg"
  done
}

# Installs the missing host packages. When all are present apt is not run at all, so
# repeated runs neither pay for nor depend on the mirror.
ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages "${BOOTJ_HOST_PACKAGES[@]}")
  (( ${#missing[@]} > 0 )) || return 0
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z ${BOOTJ_APT_UPDATED:-} ]]; then
    apt-get update -q >&2
    BOOTJ_APT_UPDATED=1
  fi
  # No recommends: docker.io would pull needrestart and apparmor, qemu a GUI stack.
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

docker_ready() { docker info >/dev/null 2>&1; }

# Starts dockerd unless an engine already answers. It is left running on purpose: the
# engine is machine-wide state that later runs reuse.
ensure_dockerd() {
  docker_ready && return 0
  local logfile=/var/log/bootj-dockerd.log i
  log "starting dockerd (log: $logfile)"
  setsid nohup dockerd >>"$logfile" 2>&1 </dev/null &
  for (( i = 0; i < 60; i++ )); do
    docker_ready && return 0
    sleep 1
  done
  tail -n 20 "$logfile" >&2 || true
  die "dockerd did not answer within 60 s (see $logfile)"
}

registry_ready() {
  curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/v2/" 2>/dev/null
}

# ensure_registry PORT DATA_DIR: a CNCF distribution registry on 127.0.0.1:PORT keeping
# its blobs under DATA_DIR. Loopback only: Docker allows plain HTTP to 127.0.0.1, so no
# TLS is needed, and nothing is exposed to the network.
ensure_registry() {
  local port=${1:?port} data=${2:?data dir}
  registry_ready "$port" && return 0
  mkdir -p "$data"
  local config=$data/config.yml logfile=/var/log/bootj-registry-$port.log i
  cat >"$config" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  log "starting docker-registry on 127.0.0.1:$port (data: $data, log: $logfile)"
  setsid nohup /usr/bin/docker-registry serve "$config" >>"$logfile" 2>&1 </dev/null &
  for (( i = 0; i < 30; i++ )); do
    registry_ready "$port" && return 0
    sleep 1
  done
  tail -n 20 "$logfile" >&2 || true
  die "registry on 127.0.0.1:$port did not answer within 30 s (see $logfile)"
}

# Prints this machine's own Debian mirror, never a hard-coded host: the first non-security
# URIs: line of the deb822 sources, else the first non-security `deb` line of sources.list.
debian_mirror() {
  local deb822=/etc/apt/sources.list.d/debian.sources legacy=/etc/apt/sources.list mirror=
  if [[ -r $deb822 ]]; then
    mirror=$(awk '/^URIs:/ && !/security/ { print $2; exit }' "$deb822")
  fi
  if [[ -z $mirror && -r $legacy ]]; then
    # Drop an optional "[arch=... signed-by=...]" block, then take the URL field.
    mirror=$(sed -E 's/\[[^]]*\]//' "$legacy" \
      | awk '$1 == "deb" && !/security/ { print $2; exit }')
  fi
  [[ -n $mirror ]] || die "no Debian mirror found in $deb822 or $legacy"
  printf '%s\n' "${mirror%/}"
}

# Unmounts whatever debootstrap left mounted below DIR (proc, sys after a failure), so
# that removing DIR can never reach into the host's /proc or /sys.
unmount_below() {
  local dir=${1:?dir} mnt
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r \
    | while read -r mnt; do umount -l "$mnt" || true; done
}

# The packages that make a minbase Debian root bootable: kernel, initramfs, systemd as
# init, udev, the root filesystem's tools, and systemd-boot (which carries
# systemd-bless-boot for boot counting).
BOOTJ_BASE_INCLUDE=linux-image-amd64,systemd-sysv,udev,initramfs-tools,e2fsprogs,systemd-boot

# Prints the path of a tar of a minimal bootable Debian 12 root. Built once with
# debootstrap (about 70 s) and cached under $BOOTJ_CACHE_DIR; a missing cache is rebuilt.
# Numeric owners and xattrs are kept so the root stays faithful (file capabilities are
# xattrs). Progress goes to stderr, only the path to stdout.
base_rootfs_tar() {
  mkdir -p "$BOOTJ_CACHE_DIR"
  # Serialised: when two runs start together (CI and a developer, say), the second waits
  # and reuses the first one's tar instead of debootstrapping again.
  ( flock 9 && build_base_rootfs_tar ) 9>"$BOOTJ_CACHE_DIR/.base.lock"
}

build_base_rootfs_tar() {
  local tarball=$BOOTJ_CACHE_DIR/debian-bookworm-base.tar
  if [[ -s $tarball ]]; then
    printf '%s\n' "$tarball"
    return 0
  fi
  local mirror work start
  mirror=$(debian_mirror)
  work=$(mktemp -d /var/tmp/bootj-rootfs.XXXXXX)
  start=$SECONDS
  log "debootstrap bookworm from $mirror (about 70 s, log: $work.log)"
  if ! debootstrap --variant=minbase --include="$BOOTJ_BASE_INCLUDE" \
        bookworm "$work/root" "$mirror" >"$work.log" 2>&1; then
    tail -n 30 "$work.log" >&2
    unmount_below "$work"
    rm -rf "$work"
    die "debootstrap failed (full log: $work.log)"
  fi
  unmount_below "$work"
  # Downloaded .debs and package lists would only bloat every image built on this root;
  # an image build runs `apt-get update` itself.
  rm -rf "$work"/root/var/cache/apt/archives/*.deb "$work"/root/var/lib/apt/lists/*
  # Write beside the final name and rename: a killed run never leaves a half-written tar
  # that a later run would trust.
  tar -C "$work/root" --numeric-owner --xattrs --xattrs-include='*' -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf "$work" "$work.log"
  log "base root built in $((SECONDS - start)) s: $tarball ($(du -h "$tarball" | cut -f1))"
  printf '%s\n' "$tarball"
}

# ensure_base_image NAME: the cached base root as a one-layer Docker image. It stands in
# for debian:bookworm, because no public registry is reachable. The import (about 20 s) is
# skipped while NAME already holds the current tar, recognised by the tar's mtime kept in
# a label, so a rebuilt cache is picked up.
ensure_base_image() {
  local name=${1:?image name} tarball stamp
  tarball=$(base_rootfs_tar)
  stamp=$(stat -c %Y "$tarball")
  if [[ $(docker image inspect -f '{{index .Config.Labels "dev.bootj.base-tar-mtime"}}' \
          "$name" 2>/dev/null) == "$stamp" ]]; then
    return 0
  fi
  log "importing $tarball as $name"
  docker import --change "LABEL dev.bootj.base-tar-mtime=$stamp" - "$name" <"$tarball" >/dev/null
}

#!/usr/bin/env bash
# Run a command inside a private network namespace that this script makes itself.
#
#   e2e/run-in-netns.sh <command...>
#   e.g.  cd /work/main && e2e/run-in-netns.sh backend/.venv/bin/pytest e2e
#
# Inside: `lo` is up, and a veth pair with BOTH ends in the namespace
# (veth0 10.203.0.1/24, veth1 10.203.0.2/24) plus a default route via it, so programs that
# insist on a non-loopback interface (Janus) have one. Nothing can leave the namespace:
# it has no link to the machine's own network. Test traffic goes to 127.0.0.1 or 10.203.0.x.
#
# Needs `unshare` (util-linux) and `ip` (iproute2: `apt-get install -y iproute2`).
set -euo pipefail

NETNS_ADDR_A="${E2E_NETNS_ADDR_A:-10.203.0.1}"
NETNS_ADDR_B="${E2E_NETNS_ADDR_B:-10.203.0.2}"
NETNS_PREFIX="${E2E_NETNS_PREFIX:-24}"

die() {
    echo "run-in-netns: $*" >&2
    exit 2
}

if [[ $# -eq 0 ]]; then
    die "usage: $0 <command...>"
fi

if [[ "${AAPOON_E2E_NETNS_INNER:-}" != "1" ]]; then
    command -v unshare >/dev/null 2>&1 || die "'unshare' (util-linux) is missing"
    command -v ip >/dev/null 2>&1 || die "'ip' is missing: apt-get install -y iproute2"
    self="$(readlink -f "${BASH_SOURCE[0]}")"
    export AAPOON_E2E_NETNS_INNER=1
    # Unprivileged: a new user namespace mapping us to root, with its own network namespace.
    if unshare --net --map-root-user true 2>/dev/null; then
        exec unshare --net --map-root-user -- "$self" "$@"
    fi
    # Already root but user namespaces are disabled: a plain network namespace.
    if [[ "$(id -u)" == "0" ]] && unshare --net true 2>/dev/null; then
        exec unshare --net -- "$self" "$@"
    fi
    die "cannot create a network namespace (unshare --net --map-root-user failed)"
fi

# From here on we are inside the new namespace.
ip link set lo up
ip link add veth0 type veth peer name veth1
ip addr add "${NETNS_ADDR_A}/${NETNS_PREFIX}" dev veth0
ip addr add "${NETNS_ADDR_B}/${NETNS_PREFIX}" dev veth1
ip link set veth0 up
ip link set veth1 up
ip route add default via "${NETNS_ADDR_B}" dev veth0

export E2E_NETNS=1
export E2E_NETNS_ADDRS="${NETNS_ADDR_A},${NETNS_ADDR_B}"
# Nothing outside is reachable anyway; make sure no tool tries a proxy either.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy="*" NO_PROXY="*"
unset AAPOON_E2E_NETNS_INNER

exec "$@"

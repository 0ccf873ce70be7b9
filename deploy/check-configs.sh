#!/usr/bin/env bash
# Check the production configs in deploy/ by running them: the placeholders are filled with test
# values in a temporary folder, and inside a private network namespace (e2e/run-in-netns.sh)
#   - coturn starts with deploy/coturn/turnserver.conf (TLS on 5349 with a self-signed cert),
#   - Janus starts with deploy/janus/*.jcfg and answers only with a token, only VideoRoom loaded,
#   - nginx -t accepts deploy/nginx.conf and a wss:// connection through it reaches Janus.
# Needs coturn, janus, openssl; nginx is optional (apt-get install nginx-light just to check).
#
#   deploy/check-configs.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${E2E_NETNS:-}" != "1" ]]; then
    exec "$REPO/e2e/run-in-netns.sh" "$0" "$@"
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
IP=10.203.0.1
PY="$REPO/backend/.venv/bin/python"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=example.com \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
certs=(-e "s#/etc/letsencrypt/live/[a-z.-]*/fullchain.pem#$WORK/cert.pem#"
       -e "s#/etc/letsencrypt/live/[a-z.-]*/privkey.pem#$WORK/key.pem#")

echo "== coturn"
sed "${certs[@]}" -e "s/CHANGE_ME_PRIVATE_IP/$IP/g; s/CHANGE_ME_PUBLIC_IP/$IP/; s/CHANGE_ME_TURN_SHARED_SECRET/secret/" \
    -e "s#^syslog\$#log-file=$WORK/turn.log\nsimple-log\npidfile=$WORK/turn.pid\nuserdb=$WORK/turndb#" \
    "$REPO/deploy/coturn/turnserver.conf" >"$WORK/turnserver.conf"
turnserver -c "$WORK/turnserver.conf" >/dev/null 2>&1 &
PIDS+=($!)

echo "== janus"
mkdir -p "$WORK/janus"
for f in "$REPO"/deploy/janus/*.jcfg; do
    sed -e "s#\"/etc/janus\"#\"$WORK/janus\"#; s/CHANGE_ME_NODE_NAME/media-1/; s/CHANGE_ME_ADMIN_SECRET/admin/" \
        -e "s/CHANGE_ME_TOKEN_SECRET/token/; s/CHANGE_ME_PUBLIC_INTERFACE/veth0/; s/CHANGE_ME_PUBLIC_IP/$IP/" \
        -e "s/CHANGE_ME_PRIVATE_IP/$IP/g; s/CHANGE_ME_APP_SUBNET_PREFIX/$IP/g; s/CHANGE_ME_NGINX_IP/$IP/" \
        "$f" >"$WORK/janus/$(basename "$f")"
done
janus -F "$WORK/janus" -C "$WORK/janus/janus.jcfg" -L "$WORK/janus.log" >/dev/null 2>&1 &
PIDS+=($!)

have_nginx=0
if command -v nginx >/dev/null 2>&1; then
    have_nginx=1
    echo "== nginx"
    sed "${certs[@]}" -e "s/10.0.1.21/$IP/" "$REPO/deploy/nginx.conf" >"$WORK/site.conf"
    # One process, no user switch: inside the namespace only our own uid exists.
    cat >"$WORK/nginx.conf" <<EOF
user root;
master_process off;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
    access_log off;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    include $WORK/site.conf;
}
EOF
    nginx -t -q -c "$WORK/nginx.conf"
    nginx -c "$WORK/nginx.conf" &
    PIDS+=($!)
fi
sleep 2

HAVE_NGINX=$have_nginx IP=$IP "$PY" - <<'EOF'
import asyncio, json, os, ssl, sys
import httpx
sys.path.insert(0, os.path.join(os.path.dirname(sys.executable), "..", ".."))
from aapoon.media.janus.tokens import janus_token

ip = os.environ["IP"]
token = janus_token(secret="token", plugins=["janus.plugin.videoroom"], ttl_seconds=600)
tls = ssl.create_default_context()
tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE

# coturn: TLS listener answers.
async def tls_handshake() -> str:
    _, writer = await asyncio.open_connection(ip, 5349, ssl=tls)
    version = writer.get_extra_info("ssl_object").version()
    writer.close()
    return version
print("coturn TLS on 5349:", asyncio.run(tls_handshake()))

api = f"http://{ip}:8088/janus"
with httpx.Client(timeout=5) as http:
    refused = http.post(api, json={"janus": "create", "transaction": "a"}).json()
    assert refused["error"]["code"] == 403, refused
    created = http.post(api, json={"janus": "create", "transaction": "b", "token": token}).json()
    assert created["janus"] == "success", created
    info = http.get(f"{api}/info").json()
    assert list(info["plugins"]) == ["janus.plugin.videoroom"], info["plugins"]
    assert sorted(info["transports"]) == ["janus.transport.http", "janus.transport.websockets"]
    pong = http.post(f"http://{ip}:7088/admin", json={"janus": "ping", "transaction": "c"}).json()
    assert pong["janus"] == "pong", pong
    sessions = http.post(
        f"http://{ip}:7088/admin", json={"janus": "list_sessions", "transaction": "d", "admin_secret": "admin"}
    ).json()
    assert sessions["janus"] == "success", sessions
print("janus: token required, only VideoRoom + HTTP/WebSockets, admin API answers")

if os.environ["HAVE_NGINX"] == "1":
    from websockets.asyncio.client import connect

    async def through_nginx() -> dict:
        async with connect(
            "wss://media-1.example.com/", host=ip, port=443, ssl=tls, subprotocols=["janus-protocol"]
        ) as ws:
            await ws.send(json.dumps({"janus": "create", "transaction": "e", "token": token}))
            return json.loads(await ws.recv())
    answer = asyncio.run(through_nginx())
    assert answer["janus"] == "success", answer
    print("nginx: wss://media-1.example.com/ reaches Janus")
EOF
echo "OK: deploy configs start and answer"

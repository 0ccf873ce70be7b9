"""The SFU (Janus nodes), recording, and ICE transport policy."""

import json

from config.settings.env import data_dir, env_bool, env_int, env_list, env_str

# Janus nodes as JSON: [{"name", "api_url", "admin_url", "public_url", "admin_secret",
# "token_secret", "capacity"}]. Empty: `serve` starts a local Janus when the binary is present
# (JANUS_AUTOSTART), otherwise meetings use browser-to-browser P2P.
JANUS_NODES: list[dict[str, object]] = json.loads(env_str("JANUS_NODES") or "[]")
JANUS_AUTOSTART = env_bool("JANUS_AUTOSTART", True)
# Health checks: how often, and after how many misses in a row a node counts as dead.
JANUS_HEALTH_INTERVAL_SECONDS = float(env_str("JANUS_HEALTH_INTERVAL_SECONDS") or 1.0)
JANUS_DEAD_AFTER_FAILURES = env_int("JANUS_DEAD_AFTER_FAILURES", 2)
JANUS_REQUEST_TIMEOUT_SECONDS = float(env_str("JANUS_REQUEST_TIMEOUT_SECONDS") or 1.5)
# Janus tokens are checked on every request of a Janus session, so they must outlive a meeting.
JANUS_TOKEN_TTL_SECONDS = env_int("JANUS_TOKEN_TTL_SECONDS", 12 * 3600)
# `sfu_refresh` (a fresh grant, several Janus calls) at most this often per participant; the
# web app asks again every 5 s at most while its Janus connection is down.
SFU_REFRESH_RATE_LIMIT = env_int("SFU_REFRESH_RATE_LIMIT", 20)
SFU_REFRESH_RATE_WINDOW_SECONDS = env_int("SFU_REFRESH_RATE_WINDOW_SECONDS", 60)
# The local Janus of `serve` (node "local"): signaling on 127.0.0.1 at these ports, media on
# JANUS_LOCAL_MEDIA_INTERFACE (default: the interface of the default route), RTP in that range.
JANUS_LOCAL_HTTP_PORT = env_int("JANUS_LOCAL_HTTP_PORT", 8088)
JANUS_LOCAL_ADMIN_PORT = env_int("JANUS_LOCAL_ADMIN_PORT", 7088)
JANUS_LOCAL_WS_PORT = env_int("JANUS_LOCAL_WS_PORT", 8188)
JANUS_LOCAL_RTP_PORTS = env_str("JANUS_LOCAL_RTP_PORTS", "20000-40000")
JANUS_LOCAL_MEDIA_INTERFACE = env_str("JANUS_LOCAL_MEDIA_INTERFACE")
JANUS_LOCAL_CAPACITY = env_int("JANUS_LOCAL_CAPACITY", 200)

# Where Janus writes .mjr files; with several nodes, storage they share with the workers.
RECORDINGS_DIR = env_str("RECORDINGS_DIR") or str(data_dir() / "recordings")
RECORDING_DOWNLOAD_URL_TTL_SECONDS = env_int("RECORDING_DOWNLOAD_URL_TTL_SECONDS", 300)
# Transcripts of recorded meetings (aapoon/media/speech): the engine, its model folder (empty:
# pocketsphinx's built-in en-us model) and language (empty: the engine's default).
TRANSCRIPTION_ENGINE = env_str("TRANSCRIPTION_ENGINE", "pocketsphinx")
TRANSCRIPTION_MODEL_PATH = env_str("TRANSCRIPTION_MODEL_PATH")
TRANSCRIPTION_LANGUAGE = env_str("TRANSCRIPTION_LANGUAGE")

# Context managers (import paths, no arguments) that `serve` keeps running around uvicorn:
# the local Janus, then the SFU health monitor.
SERVE_COMPANIONS = env_list(
    "SERVE_COMPANIONS",
    "aapoon.media.local_janus.local_janus,aapoon.meetings.sfu_monitor.monitor_running",
)

# "relay" makes browsers use TURN only (hides their addresses from the others); "all" is normal.
ICE_TRANSPORT_POLICY = env_str("ICE_TRANSPORT_POLICY", "all")

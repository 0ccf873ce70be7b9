"""Meetings and media: caps, the join rate limit, reconnection, and ICE (STUN/TURN) servers."""

from config.settings.env import env_int, env_list, env_str

# Browser-to-browser full mesh: every participant sends to every other, so it is capped.
MEETING_P2P_MAX_PARTICIPANTS = env_int("MEETING_P2P_MAX_PARTICIPANTS", 6)
# A new meeting's cap when media nodes (the SFU) are configured and the host sets none.
MEETING_SFU_DEFAULT_MAX_PARTICIPANTS = env_int("MEETING_SFU_DEFAULT_MAX_PARTICIPANTS", 100)
# A meeting's own cap may not exceed this (the SFU raises the real ceiling later).
MEETING_MAX_PARTICIPANTS_LIMIT = env_int("MEETING_MAX_PARTICIPANTS_LIMIT", 1000)
# Join attempts per IP per window (the meeting code is the secret; this stops guessing).
MEETING_JOIN_RATE_LIMIT = env_int("MEETING_JOIN_RATE_LIMIT", 30)
MEETING_JOIN_RATE_WINDOW_SECONDS = env_int("MEETING_JOIN_RATE_WINDOW_SECONDS", 60)
# Chat messages and reactions per participant per window.
MEETING_MESSAGE_RATE_LIMIT = env_int("MEETING_MESSAGE_RATE_LIMIT", 30)
MEETING_MESSAGE_RATE_WINDOW_SECONDS = env_int("MEETING_MESSAGE_RATE_WINDOW_SECONDS", 10)
# A dropped socket keeps its place this long before the participant counts as gone.
MEETING_RECONNECT_GRACE_SECONDS = env_int("MEETING_RECONNECT_GRACE_SECONDS", 20)
MEETING_TICKET_TTL_SECONDS = 60
# The reconnect ticket outlives the grace period so a slow reconnect still finds it.
MEETING_RECONNECT_TICKET_TTL_SECONDS = 600
MEETING_CHAT_HISTORY = 200
# "Ask for help" from a breakout room, per participant per window.
BREAKOUT_HELP_RATE_LIMIT = env_int("BREAKOUT_HELP_RATE_LIMIT", 3)
BREAKOUT_HELP_RATE_WINDOW_SECONDS = env_int("BREAKOUT_HELP_RATE_WINDOW_SECONDS", 60)
# The token a session's REST calls inside the meeting carry (files): it outlives a long meeting.
MEETING_PARTICIPANT_TOKEN_TTL_SECONDS = env_int("MEETING_PARTICIPANT_TOKEN_TTL_SECONDS", 24 * 3600)
# Files shared in the chat: the largest one (deploy/nginx.conf's client_max_body_size must be a
# little more), the kinds allowed (extensions that aapoon/files/upload_checks.py knows), and how
# long a link to open one works.
MEETING_FILE_MAX_BYTES = env_int("MEETING_FILE_MAX_BYTES", 25 * 1024 * 1024)
MEETING_FILE_TYPES = env_list("MEETING_FILE_TYPES", "pdf,png,jpg,jpeg,gif,webp,txt,csv,docx,xlsx,pptx,zip")
MEETING_FILE_LINK_TTL_SECONDS = env_int("MEETING_FILE_LINK_TTL_SECONDS", 300)

# Comma-separated, e.g. "stun:stun.example.com:3478". Empty: host candidates only (LAN, tests).
ICE_STUN_URLS = env_list("ICE_STUN_URLS")
# e.g. "turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349"
TURN_URLS = env_list("TURN_URLS")
TURN_SHARED_SECRET = env_str("TURN_SHARED_SECRET")
TURN_CREDENTIAL_TTL_SECONDS = env_int("TURN_CREDENTIAL_TTL_SECONDS", 3600)

"""Generate a Janus configuration folder: only VideoRoom, HTTP and WebSockets; token auth on.

Janus loads every plugin and transport it finds unless told not to, so the generated janus.jcfg
lists the others under `disable` (read from the library folders that are actually installed).
"""

import json
from dataclasses import dataclass
from pathlib import Path

# The only shared objects Janus may load.
ENABLED_PLUGINS = frozenset({"libjanus_videoroom.so"})
ENABLED_TRANSPORTS = frozenset({"libjanus_http.so", "libjanus_websockets.so"})
# Where distributions install Janus's plugin folders (Debian multiarch, then source installs).
LIBRARY_DIR_CANDIDATES = (
    "/usr/lib/x86_64-linux-gnu/janus",
    "/usr/lib/aarch64-linux-gnu/janus",
    "/usr/lib/janus",
    "/usr/local/lib/janus",
    "/opt/janus/lib/janus",
)
ROUTE_TABLE = Path("/proc/net/route")
# System folders no VideoRoom request may make Janus write into (e.g. a room's rec_dir).
PROTECTED_FOLDERS = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/initrd",
    "/lib",
    "/lib32",
    "/lib64",
    "/proc",
    "/sbin",
    "/sys",
    "/usr",
    "/var",
    "/opt/janus",
)


@dataclass(frozen=True)
class JanusSetup:
    directory: Path
    http_port: int
    admin_port: int
    ws_port: int
    rtp_port_range: tuple[int, int]
    # Interface name or IP Janus may gather ICE candidates on (ice_enforce_list).
    ice_interface: str
    admin_secret: str
    token_secret: str
    recordings_dir: Path
    # Where the HTTP, admin and WebSocket transports listen.
    bind_address: str = "127.0.0.1"


def write_janus_config(setup: JanusSetup) -> Path:
    """Write janus.jcfg and the VideoRoom/HTTP/WebSockets configs; return the folder for `janus -F`."""
    _check(setup)
    library_dir = janus_library_dir()
    directory = setup.directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    setup.recordings_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "janus.jcfg": _core_config(setup, directory, library_dir),
        "janus.plugin.videoroom.jcfg": _section(
            "general",
            {
                "string_ids": True,
                "events": False,
                # Room creation, RTP forwarding and remote publishing need the admin secret.
                "admin_key": setup.admin_secret,
                "lock_rtp_forward": True,
            },
        ),
        "janus.transport.http.jcfg": _http_config(setup),
        "janus.transport.websockets.jcfg": _websockets_config(setup),
    }
    for name, text in files.items():
        path = directory / name
        # Secrets inside: readable by this user only.
        path.touch(mode=0o600)
        path.write_text(text)
    return directory


def default_route_interface(route_table: Path = ROUTE_TABLE) -> str | None:
    """The interface of the IPv4 default route (e.g. "eth0"), where Janus should gather media."""
    try:
        lines = route_table.read_text().splitlines()[1:]
    except OSError:
        return None
    defaults: list[tuple[int, str]] = []
    for line in lines:
        fields = line.split()
        # Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask ...; flag 0x1 is "up".
        if (
            len(fields) >= 8
            and fields[1] == "00000000"
            and fields[7] == "00000000"
            and int(fields[3], 16) & 1
        ):
            defaults.append((int(fields[6]), fields[0]))
    # Several default routes: the kernel prefers the lowest metric.
    return min(defaults)[1] if defaults else None


def janus_library_dir() -> Path:
    """The folder holding Janus's plugins/ and transports/ folders."""
    candidates = [*LIBRARY_DIR_CANDIDATES, *map(str, sorted(Path("/usr/lib").glob("*/janus")))]
    for candidate in candidates:
        path = Path(candidate)
        if (path / "plugins").is_dir() and (path / "transports").is_dir():
            return path
    raise FileNotFoundError(f"no Janus plugins/transports folders under {', '.join(candidates)}")


def _check(setup: JanusSetup) -> None:
    ports = [setup.http_port, setup.admin_port, setup.ws_port]
    if len(set(ports)) != len(ports) or not all(0 < port < 65536 for port in ports):
        raise ValueError(f"Janus needs three distinct TCP ports, got {ports}")
    low, high = setup.rtp_port_range
    if not 0 < low < high < 65536:
        raise ValueError(f"invalid RTP port range {low}-{high}")
    if not setup.ice_interface:
        raise ValueError("Janus needs an interface for media (it never uses loopback)")
    if not setup.admin_secret or not setup.token_secret:
        raise ValueError("Janus needs an admin secret and a token secret")


def _core_config(setup: JanusSetup, directory: Path, library_dir: Path) -> str:
    recordings = str(setup.recordings_dir.resolve())
    # A system folder that holds the recordings folder itself cannot be protected.
    protected = [
        folder
        for folder in (*PROTECTED_FOLDERS, str(directory))
        if not (recordings + "/").startswith(folder + "/")
    ]
    low, high = setup.rtp_port_range
    return "\n".join(
        [
            _section(
                "general",
                {
                    "configs_folder": str(directory),
                    "plugins_folder": str(library_dir / "plugins"),
                    "transports_folder": str(library_dir / "transports"),
                    "events_folder": str(library_dir / "events"),
                    "loggers_folder": str(library_dir / "loggers"),
                    "server_name": directory.name,
                    "debug_level": 4,
                    "debug_colors": False,
                    "admin_secret": setup.admin_secret,
                    "token_auth": True,
                    "token_auth_secret": setup.token_secret,
                    "hide_dependencies": True,
                    "protected_folders": protected,
                },
            ),
            _section("media", {"rtp_port_range": f"{low}-{high}"}),
            _section("nat", {"ice_enforce_list": setup.ice_interface, "nice_debug": False}),
            _section("plugins", {"disable": _others(library_dir / "plugins", ENABLED_PLUGINS)}),
            _section("transports", {"disable": _others(library_dir / "transports", ENABLED_TRANSPORTS)}),
            _section("loggers", {"disable": _others(library_dir / "loggers", frozenset())}),
            _section("events", {"broadcast": False}),
        ]
    )


def _http_config(setup: JanusSetup) -> str:
    return "\n".join(
        [
            _section(
                "general",
                {
                    "json": "plain",
                    "base_path": "/janus",
                    "http": True,
                    "port": setup.http_port,
                    "ip": setup.bind_address,
                    "https": False,
                },
            ),
            _section(
                "admin",
                {
                    "admin_base_path": "/admin",
                    "admin_http": True,
                    "admin_port": setup.admin_port,
                    "admin_ip": setup.bind_address,
                    "admin_https": False,
                },
            ),
        ]
    )


def _websockets_config(setup: JanusSetup) -> str:
    return "\n".join(
        [
            _section(
                "general",
                {
                    "json": "plain",
                    "ws": True,
                    "ws_port": setup.ws_port,
                    "ws_ip": setup.bind_address,
                    "wss": False,
                },
            ),
            _section("admin", {"admin_ws": False, "admin_wss": False}),
        ]
    )


def _others(folder: Path, enabled: frozenset[str]) -> str:
    """Comma-separated names of the shared objects in `folder` that Janus must not load."""
    if not folder.is_dir():
        return ""
    return ",".join(
        sorted(p.name for p in folder.iterdir() if p.name.endswith(".so") and p.name not in enabled)
    )


type _Value = str | int | bool | list[str]


def _section(name: str, items: dict[str, _Value]) -> str:
    lines = [f"{name}: {{"]
    lines += [f"\t{key} = {_literal(value)}" for key, value in items.items()]
    lines.append("}\n")
    return "\n".join(lines)


def _literal(value: _Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    # libconfig strings use C escapes, which JSON's string syntax matches for our values.
    return json.dumps(value, ensure_ascii=False)

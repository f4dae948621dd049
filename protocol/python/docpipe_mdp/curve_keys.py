"""CURVE keys for clients (ZeroMQ RFC 26), read the way the docpipe CLI reads them: `--server-key` (the broker's
`server.key` file or its Z85 text) and `--key` (the caller's `NAME.key_secret` from `docpipe keygen`), else
`$DOCPIPE_SERVER_KEY` and `$DOCPIPE_KEY`. The files use the ZPL layout of czmq's zcert and pyzmq's zmq.auth."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple

import zmq

SERVER_KEY_VARIABLE = "DOCPIPE_SERVER_KEY"
KEY_VARIABLE = "DOCPIPE_KEY"
_Z85 = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")


class CurveKeyError(ValueError):
    """A key that cannot be used: missing, unreadable, malformed, or a secret others can read."""


def is_key(text: str) -> bool:
    """40 characters of Z85: one 32-byte CURVE key."""
    return len(text) == 40 and set(text) <= _Z85


def parse_certificate(text: str, source: str = "key") -> Tuple[str, Optional[str]]:
    """(public key, secret key or None) from a ZPL key file or a bare Z85 line; the public key is derived
    from the secret one when the file has both or only the secret."""
    public: Optional[str] = None
    secret: Optional[str] = None
    for raw in text.splitlines():
        line = raw.strip()
        if public is None and is_key(line):  # Z85 has '#' and '=': a bare key first
            public = line
            continue
        if not line or line.startswith("#") or line in ("metadata", "curve"):
            continue
        name, equals, value = line.partition("=")
        if not equals:
            raise CurveKeyError(f"{source}: unreadable line '{line[:60]}'")
        name, value = name.strip(), value.strip().strip('"')
        if name == "public-key":
            public = value
        elif name == "secret-key":
            secret = value
    if secret is not None:
        if not is_key(secret):
            raise CurveKeyError(f"{source}: secret-key is not 40 characters of Z85")
        derived = zmq.curve_public(secret.encode("ascii")).decode("ascii")
        if public is not None and public != derived:
            raise CurveKeyError(f"{source}: public-key does not belong to secret-key")
        public = derived
    if public is None:
        raise CurveKeyError(f"{source}: no CURVE key in it")
    if not is_key(public):
        raise CurveKeyError(f"{source}: public-key is not 40 characters of Z85")
    return public, secret


def load_certificate(path: str) -> Tuple[str, Optional[str]]:
    """A key file; one holding a secret key must not be readable by group or others (as ssh insists)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        mode = os.stat(path).st_mode
    except (OSError, UnicodeDecodeError) as error:
        raise CurveKeyError(f"cannot read key file {path}: {error}") from None
    public, secret = parse_certificate(text, path)
    if secret is not None and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CurveKeyError(f"{path} holds a secret key but others can read it; run: chmod 600 {path}")
    return public, secret


@dataclass(frozen=True)
class CurveKeys:
    """What a client needs to talk CURVE to a broker: the broker's public key and its own pair (Z85)."""

    server_public: str
    public: str
    secret: str

    def apply(self, socket: zmq.Socket) -> None:
        """Makes `socket` a CURVE client; call before `connect`."""
        socket.curve_serverkey = self.server_public.encode("ascii")
        socket.curve_publickey = self.public.encode("ascii")
        socket.curve_secretkey = self.secret.encode("ascii")


def resolve(server_key: Optional[str], key: Optional[str],
            env: Optional[Mapping[str, str]] = None) -> Optional[CurveKeys]:
    """The keys from the arguments, else the environment; None when neither is given (plaintext, as on
    loopback). One without the other is an error, since it cannot work."""
    env = os.environ if env is None else env
    server_key = server_key or env.get(SERVER_KEY_VARIABLE) or None
    key = key or env.get(KEY_VARIABLE) or None
    if server_key is None and key is None:
        return None
    if key is None:
        raise CurveKeyError(f"a server key was given but no own key: pass key=FILE.key_secret (or set "
                            f"${KEY_VARIABLE}); make one with `docpipe keygen NAME`")
    if server_key is None:
        raise CurveKeyError(f"an own key was given but no server key: pass server_key= (the broker's server.key "
                            f"file or its Z85 text, or set ${SERVER_KEY_VARIABLE})")
    # A file wins: '/' and '.' are Z85 characters, so a 40-character path could pass for a key.
    server = server_key if not os.path.exists(server_key) and is_key(server_key) else load_certificate(server_key)[0]
    public, secret = load_certificate(key)
    if secret is None:
        raise CurveKeyError(f"{key} has no secret key; pass the .key_secret file, not the public .key")
    return CurveKeys(server, public, secret)

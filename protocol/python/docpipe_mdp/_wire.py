"""The hand-written half of the message binding: JSON on the wire and a field reader that names what is wrong.

`messages.py` is generated from protocol/schemas by tools/gen_protocol.py and builds every message class on
these helpers; they hold the rules that are the same for every message, so the generator only has to say
which field is read how.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Union

from .protocol import ProtocolError

JSONBytes = Union[bytes, bytearray, str]


def encode_json(value: Any) -> bytes:
    """The wire form of any JSON value: UTF-8, keys sorted, no insignificant whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode_json(data: JSONBytes, type_name: str = "message") -> Dict[str, Any]:
    if isinstance(data, (bytes, bytearray)):
        if not data:
            raise ProtocolError.bad_body(f"empty body, expected a JSON {type_name} object")
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError.bad_body("body is not valid JSON") from None
    try:
        value = json.loads(data)
    except ValueError:
        raise ProtocolError.bad_body("body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ProtocolError.bad_body(f"{type_name}: expected a JSON object")
    return value


def reply_status(data: JSONBytes) -> int:
    """The `status` of any reply body, read before decoding the rest (Swift: `ReplyHead`)."""
    status = decode_json(data, "reply").get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise ProtocolError.bad_body("reply: missing field 'status'")
    return status


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_CHECKS = {
    "int": _is_int,
    "number": _is_number,
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "any": lambda v: True,
}


class _Reader:
    """Reads fields of one JSON object, raising errors that name the message and the field path."""

    def __init__(self, data: Any, type_name: str, path: str = ""):
        self.type_name = type_name
        self.path = path
        if not isinstance(data, dict):
            raise ProtocolError.bad_body(f"{type_name}: wrong type at '{path or '.'}'")
        self.data = data

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _wrong(self, where: str) -> ProtocolError:
        return ProtocolError.bad_body(f"{self.type_name}: wrong type at '{where}'")

    def required(self, key: str, kind: str) -> Any:
        if key not in self.data:
            raise ProtocolError.bad_body(f"{self.type_name}: missing field '{key}'")
        return self._check(key, kind)

    def optional(self, key: str, kind: str, default: Any = None) -> Any:
        if self.data.get(key) is None:
            return default
        return self._check(key, kind)

    def field(self, key: str, kind: str, required: bool, default: Any = None) -> Any:
        return self.required(key, kind) if required else self.optional(key, kind, default)

    def _check(self, key: str, kind: str) -> Any:
        value = self.data[key]
        if value is None:
            raise ProtocolError.bad_body(f"{self.type_name}: null at '{self._where(key)}'")
        if not _CHECKS[kind](value):
            raise self._wrong(self._where(key))
        return value

    def enum(self, key: str, allowed: tuple, default: Any = None, required: bool = True) -> Any:
        value = self.required(key, "str") if required else self.optional(key, "str", default)
        if value is None and not required:
            return None
        if value not in allowed:
            raise ProtocolError.bad_body(f"{self.type_name}: bad value at '{self._where(key)}'")
        return value

    def nested(self, key: str, cls: Any, required: bool = True) -> Any:
        value = self.required(key, "object") if required else self.optional(key, "object")
        return None if value is None else cls.from_dict(value, path=self._where(key))

    def objects(self, key: str, cls: Any, required: bool = True) -> Optional[List[Any]]:
        """An array of messages of one class, each read with its index in the path (`jobs.2.stage`)."""
        items = self.field(key, "array", required)
        if items is None:
            return None
        return [cls.from_dict(item, path=self._where(f"{key}.{i}")) for i, item in enumerate(items)]

    def values(self, key: str, kind: str, required: bool = True) -> Optional[List[Any]]:
        """An array of plain values of one kind (`str`, `int`, ...)."""
        items = self.field(key, "array", required)
        if items is None:
            return None
        for i, item in enumerate(items):
            if item is None or not _CHECKS[kind](item):
                raise self._wrong(self._where(f"{key}.{i}"))
        return list(items)

    def mapping(self, key: str, kind: str, required: bool = True, default: Any = None,
                item_kind: Optional[str] = None) -> Optional[Dict[str, Any]]:
        """An object used as a map: every value of `kind` (an array's items of `item_kind`); `any` is open."""
        value = self.field(key, "object", required, default)
        if value is None:
            return None
        for name, item in value.items():
            where = self._where(f"{key}.{name}")
            if kind == "any":
                continue
            if item is None or not _CHECKS[kind](item):
                raise self._wrong(where)
            if item_kind is not None and not all(x is not None and _CHECKS[item_kind](x) for x in item):
                raise self._wrong(where)
        if item_kind is not None:
            return {name: list(item) for name, item in value.items()}
        return dict(value)

    def version(self) -> int:
        return self.required("v", "int")


def _put(out: Dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


class _Message:
    """Shared JSON plumbing; every generated message class defines `to_dict` and `from_dict`."""

    def to_json(self) -> bytes:
        return encode_json(self.to_dict())  # type: ignore[attr-defined]

    @classmethod
    def from_json(cls, data: JSONBytes):
        return cls.from_dict(decode_json(data, cls.__name__))  # type: ignore[attr-defined]

"""YAML data to settings dataclasses, with the key path in every error."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

from listbot.config.errors import ConfigError
from listbot.config.settings import Duration, Secret

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}

T = TypeVar("T")


class Reader:
    """Builds settings dataclasses from YAML data, with key paths in every error."""

    def __init__(self, source: str, env: typing.Mapping[str, str]) -> None:
        self.source = source
        self.env = env

    def fail(self, key: str, why: str) -> typing.NoReturn:
        raise ConfigError(self.source, key, why)

    def build(self, cls: type[T], data: object, path: str) -> T:
        if not isinstance(data, dict):
            self.fail(path, f"expected a mapping of settings, got {_kind(data)}")
        hints = typing.get_type_hints(cls)
        known = {f.name: f for f in fields(cls) if f.name != "origin"}  # type: ignore[arg-type]
        secret_files = {f"{name}_file": name for name, hint in hints.items() if _is_secret(hint)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            key_path = f"{path}.{key}" if path else str(key)
            if key in secret_files:
                values[secret_files[key]] = self.read_secret_file(value, key_path)
            elif key in known:
                values[key] = self.convert(hints[key], value, key_path)
            else:
                self.unknown(key, [*known, *secret_files], key_path)
        return cls(**values)

    def unknown(self, key: object, choices: list[str], key_path: str) -> typing.NoReturn:
        close = difflib.get_close_matches(str(key), choices, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else f"; known keys: {', '.join(choices)}"
        self.fail(key_path, f"unknown key{hint}")

    def convert(self, hint: Any, value: object, path: str) -> Any:
        origin, args = get_origin(hint), get_args(hint)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            (inner,) = [arg for arg in args if arg is not type(None)]
            return self.convert(inner, value, path)
        if is_dataclass(hint):
            return self.build(typing.cast(type, hint), value, path)
        if origin is tuple:
            return self.sequence(args[0], value, path)
        if origin is Literal:
            return self.choice(args, value, path)
        return self.scalar(hint, value, path)

    def sequence(self, item: Any, value: object, path: str) -> tuple[Any, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            value = [value]
        return tuple(self.convert(item, v, f"{path}[{i}]") for i, v in enumerate(value))

    def choice(self, options: tuple[Any, ...], value: object, path: str) -> object:
        text = self.expand(value, path) if isinstance(value, str) else value
        if isinstance(text, str):
            for option in options:
                if text.lower() == str(option).lower():
                    return option
        self.fail(path, f"expected one of {', '.join(map(str, options))}, got {value!r}")

    def scalar(self, hint: Any, value: object, path: str) -> object:
        if hint is Secret:
            return self.secret(value, path)
        if isinstance(value, str):
            value = self.expand(value, path)
        if hint is Duration:
            return self.duration(value, path)
        if hint is bool:
            if isinstance(value, bool):
                return value
            self.fail(path, f"expected true or false, got {value!r}")
        if hint is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if hint is str and isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
        self.fail(path, f"expected {_type_name(hint)}, got {_kind(value)}")

    def duration(self, value: object, path: str) -> Duration:
        match = _DURATION.match(str(value)) if isinstance(value, str | int | float) else None
        if not match or isinstance(value, bool):
            self.fail(path, f"expected a duration like 90, 30s, 30m, 6h or 1d, got {value!r}")
        return Duration(float(match.group(1)) * _UNITS[match.group(2)])

    def expand(self, text: str, path: str) -> str:
        def lookup(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.env:
                self.fail(path, f"environment variable {name} is not set")
            return self.env[name]

        return _ENV_REF.sub(lookup, text)

    def secret(self, value: object, path: str) -> Secret | None:
        if value is None:
            return None
        if not isinstance(value, str) or not _ENV_REF.fullmatch(value.strip()):
            self.fail(
                path,
                "secrets are never written in the file: use ${ENV_VAR} or "
                f"{path.rsplit('.', 1)[-1]}_file: /path/to/secret",
            )
        name = _ENV_REF.fullmatch(value.strip())
        assert name is not None
        secret = self.env.get(name.group(1), "").strip()
        return Secret(secret) if secret else None

    def read_secret_file(self, value: object, path: str) -> Secret:
        if not isinstance(value, str):
            self.fail(path, f"expected a file path, got {_kind(value)}")
        try:
            secret = Path(self.expand(value, path)).read_text(encoding="utf-8").strip()
        except OSError as error:
            self.fail(path, f"cannot read the secret file: {error.strerror or error}")
        if not secret:
            self.fail(path, "the secret file is empty")
        return Secret(secret)


def _is_secret(hint: Any) -> bool:
    return hint is Secret or Secret in get_args(hint)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _type_name(hint: Any) -> str:
    return {str: "a string", int: "an integer", float: "a number"}.get(hint, str(hint))

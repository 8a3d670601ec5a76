"""Telegram's HTML parse mode, as the Bot API parses it (a port of TDLib's ``parse_html``).

``parse_html(text)`` returns the visible text, or raises ``HtmlError`` with the description
Telegram puts after "can't parse entities: ". What Telegram does, and so this does:

- only its tags (``b strong i em u ins s strike del a code pre blockquote tg-spoiler
  tg-emoji tg-time``, and ``span`` with ``class="tg-spoiler"``), names case-insensitive;
- end tags must match the innermost open tag (``</>`` closes whatever is open);
- the entities ``&lt; &gt; &amp; &quot;`` and numeric ones (``&#38;``, ``&#x26;``) are one
  character each, with or without the ``;``; any other ``&`` is kept literally, as is
  ``&nbsp;`` (Telegram knows no other named entity);
- a bare ``<`` or ``>`` is an error only when ``<`` starts something that is not a tag.

Invalid nesting (a link inside ``code``) is not an error: Telegram drops the inner entity.
"""

from __future__ import annotations

TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
        "blockquote", "tg-spoiler", "tg-emoji", "tg-time", "span",
    }
)  # fmt: skip
"""Start tags Telegram accepts (``span`` only as a spoiler)."""
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = frozenset(" \t\r\n\v")
_TOKEN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_VALUELESS = frozenset({("blockquote", "expandable")})


class HtmlError(ValueError):
    """The text is not valid Telegram HTML."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits."""
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def parse_html(text: str) -> str:
    """The plain text of ``text`` after entity parsing; raises ``HtmlError`` when invalid."""
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "&" and (decoded := _entity(text, pos)):
            out.append(decoded[0])
            pos = decoded[1]
        elif char != "<":
            out.append(char)
            pos += 1
        elif _at(text, pos + 1) == "/":
            pos = _end_tag(text, pos, stack)
        else:
            pos = _start_tag(text, pos, stack)
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    plain = "".join(out)
    if any(0xD800 <= ord(char) <= 0xDFFF for char in plain):
        raise HtmlError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return plain


def _at(text: str, pos: int) -> str:
    """The character at ``pos``, or "" past the end (TDLib's terminating NUL)."""
    return text[pos] if pos < len(text) else ""


def _offset(text: str, pos: int) -> int:
    return len(text[:pos].encode())


def _entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character of the entity at ``pos`` and where it ends, or None (a literal ``&``)."""
    end = pos + 1
    if _at(text, end) == "#":
        hexadecimal = _at(text, end + 1) == "x"
        end += 2 if hexadecimal else 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while _at(text, end) and _at(text, end) in digits:
            end += 1
        code = int(text[start:end], 16 if hexadecimal else 10) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        start = end
        while _at(text, end).isascii() and _at(text, end).isalpha():
            end += 1
        if text[start:end] not in _NAMED:
            return None
        char = _NAMED[text[start:end]]
    return char, end + 1 if _at(text, end) == ";" else end


def _start_tag(text: str, begin: int, stack: list[tuple[str, str]]) -> int:
    pos = begin + 1
    while _at(text, pos) and _at(text, pos) not in _SPACE and text[pos] != ">":
        pos += 1
    if not _at(text, pos):
        raise HtmlError(f"Unclosed start tag at byte offset {_offset(text, begin)}")
    name = text[begin + 1 : pos].lower()
    if name not in TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {_offset(text, begin)}')
    argument, pos = _attributes(text, pos, name, begin)
    if name == "span" and argument != "spoiler":
        where = _offset(text, begin)
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {where}')
    stack.append((name, argument))
    return pos + 1


def _attributes(text: str, pos: int, tag: str, begin: int) -> tuple[str, int]:
    """The tag's meaningful argument (href, language, spoiler, emoji id) and its ``>``."""
    argument = ""
    unclosed = f'Unclosed start tag "{tag}" at byte offset {_offset(text, begin)}'
    while _at(text, pos) != ">":
        while _at(text, pos) and text[pos] in _SPACE:
            pos += 1
        if _at(text, pos) in (">", ""):
            break
        start = pos
        while _at(text, pos) and text[pos] not in _SPACE and text[pos] not in "=>":
            pos += 1
        name = text[start:pos]
        if not name:
            where = _offset(text, begin)
            raise HtmlError(f'Empty attribute name in the tag "{tag}" at byte offset {where}')
        while _at(text, pos) and text[pos] in _SPACE:
            pos += 1
        if _at(text, pos) != "=":
            if (tag, name) in _VALUELESS:
                continue
            raise HtmlError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {_offset(text, begin)}'
            )
        pos += 1
        while _at(text, pos) and text[pos] in _SPACE:
            pos += 1
        if not _at(text, pos):
            raise HtmlError(unclosed)
        value, pos = _value(text, pos)
        argument = _argument(tag, name, value) or argument
    if not _at(text, pos):
        raise HtmlError(f"Unclosed start tag at byte offset {_offset(text, begin)}")
    return argument, pos


def _value(text: str, pos: int) -> tuple[str, int]:
    """An attribute value: a quoted string (entities decoded) or a name token."""
    quote = text[pos]
    if quote not in "'\"":
        start = pos
        while _at(text, pos) and text[pos] in _TOKEN:
            pos += 1
        if _at(text, pos) and text[pos] not in _SPACE and text[pos] != ">":
            where = _offset(text, start)
            raise HtmlError(f"Unexpected end of name token at byte offset {where}")
        return text[start:pos].lower(), pos
    pos += 1
    value: list[str] = []
    while _at(text, pos) and text[pos] != quote:
        if text[pos] == "&" and (decoded := _entity(text, pos)):
            value.append(decoded[0])
            pos = decoded[1]
        else:
            value.append(text[pos])
            pos += 1
    return "".join(value), pos + 1 if _at(text, pos) == quote else pos


def _argument(tag: str, name: str, value: str) -> str:
    if (tag, name) in (("a", "href"), ("tg-emoji", "emoji-id")):
        return value
    if (tag, name) == ("code", "class") and value.startswith("language-"):
        return value[len("language-") :]
    if (tag, name) == ("span", "class") and value.startswith("tg-"):
        return value[len("tg-") :]
    return ""


def _end_tag(text: str, begin: int, stack: list[tuple[str, str]]) -> int:
    if not stack:
        raise HtmlError(f"Unexpected end tag at byte offset {_offset(text, begin)}")
    pos = begin + 2
    while _at(text, pos) and text[pos] not in _SPACE and text[pos] != ">":
        pos += 1
    name = text[begin + 2 : pos].lower()
    while _at(text, pos) and text[pos] in _SPACE:
        pos += 1
    if _at(text, pos) != ">":
        raise HtmlError(f"Unclosed end tag at byte offset {_offset(text, begin)}")
    open_name, argument = stack[-1]
    if name and name != open_name:
        raise HtmlError(
            f"Unmatched end tag at byte offset {_offset(text, begin)}, "
            f'expected "</{open_name}>", found "</{name}>"'
        )
    if open_name == "tg-emoji" and not (argument.isdigit() and 0 < int(argument) < 2**63):
        raise HtmlError("Invalid custom emoji identifier specified")
    stack.pop()
    return pos + 1

"""Text rules shared by the index and the queries: cleaning, words, stems, names, versions.

Everything here is pure and cheap; the same rules are applied to the catalog and to
queries so that they meet halfway (``Flash-Attention 2``, ``flashattention2`` and
``FlashAttention-2`` all become the name key ``flashattention2``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

MAX_QUERY_CHARS = 400
"""Longer messages are cut before any other work (a 100 KB message costs nothing)."""
MAX_QUERY_WORDS = 24

_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_MENTION = re.compile(r"(?<!\S)@\S+|<[@#][!&]?\d+>")
"""``@everyone``, ``@listbot``, Discord's ``<@123>``: never part of a paper's name."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+(?:\.\d+)?")
_RAW_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
_NON_ALNUM = re.compile(r"[\W_]+")
"""Separators: anything but letters and digits (of any script, so 推理系统 stays a word)."""
_COMPOUND = re.compile(r"[^\W_]+(?:[-.][^\W_]+)+")
_VERSION = re.compile(r"^(.*?[a-z])(?:v)?(\d{1,2}(?:\.\d)?)$")
_INSIDE = re.compile(r"^(\w+?)attn(\d*)$")
"""``attn`` at the end of a code name: ``pagedattn``, ``flashattn3``."""
_SUFFIXES = (
    "izations",
    "ization",
    "isation",
    "ations",
    "ation",
    "izing",
    "ized",
    "izes",
    "ize",
    "ings",
    "ing",
    "ions",
    "ion",
    "ers",
    "er",
    "ed",
    "es",
    "s",
    "e",
)

_STOPWORDS = """a an and are as at be by for from in into is it of on or the to via with
without your you we our all do does not how what which paper papers about vs versus et al
show me find search please pls can i get give tell who wrote where there any some want"""
STOPWORDS = frozenset(_STOPWORDS.split())
"""Words that carry almost no weight in a query or a title."""

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "attn": ("attention",),
    "spec": ("speculative",),
    "specdec": ("speculative", "decoding"),
    "dec": ("decoding",),
    "trt": ("tensorrt",),
    "sd": ("speculative", "decoding"),
    "quant": ("quantization",),
    "quantized": ("quantization",),
    "moe": ("mixture", "experts"),
    "mla": ("multi", "head", "latent", "attention"),
    "mqa": ("multi", "query", "attention"),
    "gqa": ("grouped", "query", "attention"),
    "kd": ("distillation",),
    "disagg": ("disaggregated",),
    "dist": ("distributed",),
    "ctx": ("context",),
    "seq": ("sequence",),
    "mem": ("memory",),
    "perf": ("performance",),
    "opt": ("optimization",),
    "gen": ("generation",),
    "eff": ("efficient",),
    "kvcache": ("kv", "cache"),
    "sp": ("sequence", "parallel"),
    "tp": ("tensor", "parallel"),
    "cp": ("context", "parallel"),
    "pp": ("pipeline", "parallel"),
    "ep": ("expert", "parallel"),
    "prefill": ("prefill",),
    "ee": ("early", "exit"),
}
"""Short forms people type, expanded to the words the list uses."""
PHRASES = {"large language model": "llm", "vision language model": "vlm"}
"""Phrases of titles that people write as their acronym (``LLM Serving with PagedAttention``)."""
_PHRASE = re.compile(r"\b(" + "|".join(PHRASES) + r")s?\b")
TAGS = ("sp", "tp", "cp", "pp", "ep")
"""Parallelism tags of names in the list (``SP: Megatron-LM``), expanded in the index too."""


def clean(text: str) -> str:
    """Cut, NFKC-normalise, drop terminal escapes, chat mentions, control, zero-width and
    bidi characters."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    text = _MENTION.sub(" ", _ESCAPE.sub(" ", text))
    return _CONTROL.sub(" ", text)


def fold(text: str) -> str:
    """Lower-case letters (accents dropped) and digits; other characters become spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NON_ALNUM.split(text.lower())).strip()


def squash(text: str) -> str:
    """A name key: folded, ``+`` kept as ``p``, every separator removed."""
    return fold(text.replace("+", "p")).replace(" ", "")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper, so that quantize, quantized and quantization meet."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("s") and not word.endswith("ss") and len(word) <= 5:
        return word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1 << 16)
def split_version(key: str) -> tuple[str, str]:
    """A name key's base and trailing version: ``deepseekv3`` is ``("deepseek", "3")``."""
    match = _VERSION.match(key)
    if not match or len(match.group(1)) < 3:
        return key, ""
    return match.group(1), match.group(2)


def raw_words(text: str) -> list[str]:
    """Words as written (case kept), splitting on punctuation and spaces."""
    return _RAW_WORD.findall(text)


def field_words(text: str) -> list[str]:
    """The stemmed words of a catalog field, with camel-case parts and hyphenated compounds.

    ``PagedAttention`` gives ``pagedattention``, ``paged`` and ``attention``;
    ``Flash-Attention`` also gives ``flashattention``.
    """
    words: list[str] = []
    for raw in raw_words(text):
        lower = raw.lower()
        if not raw.isascii():
            words += fold(raw).split()
            continue
        words += [lower] if raw.isalnum() else _NON_ALNUM.split(lower)
        if not (raw.isalpha() and raw.islower()):
            words += [part.lower() for part in _CAMEL.findall(raw) if part != raw]
        if lower in TAGS:
            words += ABBREVIATIONS[lower]
    words += [squash(compound) for compound in _COMPOUND.findall(text)]
    return [stem(word) for word in words if word]


def abbreviate(folded: str) -> str:
    """Folded text with the ``PHRASES`` (singular or plural) written as their acronyms, so
    that whole titles compare alike however they are written."""
    return _PHRASE.sub(lambda match: PHRASES[match.group(1)], folded)


def phrase_acronyms(text: str) -> list[str]:
    """The acronyms of the ``PHRASES`` a text spells out (``Large Language Models`` -> llm)."""
    folded = f" {fold(text)}"
    return [short for phrase, short in PHRASES.items() if f" {phrase}" in folded]


def field_pairs(text: str) -> list[str]:
    """Neighbouring words joined (``Flash Attention`` gives ``flashattention``), stemmed."""
    plain = fold(text).split()
    pairs = itertools.pairwise(plain)
    return [stem(left + right) for left, right in pairs if not {left, right} & STOPWORDS]


def expand_words(text: str) -> list[str]:
    """A query's folded words with abbreviations expanded (``paged attn`` -> paged attention)."""
    words: list[str] = []
    for word in fold(text).split()[:MAX_QUERY_WORDS]:
        words += ABBREVIATIONS.get(word, (_INSIDE.sub(r"\1attention\2", word),))
    return words


def query_words(text: str) -> list[str]:
    """A query's words: folded, abbreviations expanded, stemmed, stopwords kept."""
    return [stem(word) for word in expand_words(text)]

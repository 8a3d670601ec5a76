"""The renderers keep every platform limit, escape everything and ping nobody."""

from __future__ import annotations

from listbot.render import limits, render_discord, render_telegram, render_text
from listbot.replies import Action, Button, Card, Choice, Field, Kind, Page, Reply, Span, Style
from tests.render_checks import discord_problems, telegram_problems, telegram_text, utf16_len


def lines_of(*texts: str) -> tuple[tuple[Span, ...], ...]:
    """Plain lines."""
    return tuple((Span(text),) for text in texts)


def choice(n: int, arg: str = "") -> Choice:
    """A choice opening paper n."""
    return Choice(f"Paper {n} " + "L" * 150, "D" * 150, Action("paper", arg or f"p-{n}"))


def assert_discord_valid(reply: Reply) -> list[dict]:
    payloads = render_discord(reply)
    for payload in payloads:
        assert discord_problems(payload) == []
    return payloads


def assert_telegram_valid(reply: Reply) -> list[dict]:
    payloads = render_telegram(reply)
    for payload in payloads:
        assert telegram_problems(payload) == []
    return payloads


def test_discord_long_content_is_split_at_line_boundaries() -> None:
    """5000 characters of lines become several messages of at most 2000, no line lost."""
    texts = [f"line {n} " + "x" * 90 for n in range(50)]
    payloads = assert_discord_valid(Reply(lines=lines_of(*texts)))
    assert len(payloads) >= 3
    joined = "\n".join(p["content"] for p in payloads)
    assert joined.split("\n") == texts


def test_discord_a_line_longer_than_a_message_is_shortened_with_an_ellipsis() -> None:
    """One 10,000-character line fits in 2000 characters and ends with …."""
    (payload,) = assert_discord_valid(Reply(lines=lines_of("y" * 10_000)))
    assert len(payload["content"]) <= limits.DISCORD_CONTENT
    assert payload["content"].endswith("…")


def test_discord_links_are_never_cut() -> None:
    """A line of many links is cut between links, each kept whole."""
    spans = tuple(Span(f"link{n}", url=f"https://example.com/{n}") for n in range(400))
    (payload,) = assert_discord_valid(Reply(lines=(spans,)))
    content = payload["content"]
    assert content.count("[") == content.count("](<https://") == content.count(">)")


def test_discord_embeds_respect_every_limit() -> None:
    """Titles, descriptions, fields, footers and the 6000 total stay within Discord's limits."""
    big = Card(
        "T" * 500,
        "https://example.com",
        lines_of(*["d" * 900] * 8),
        tuple(Field("N" * 300, lines_of("v" * 2000), True) for _ in range(40)),
        "F" * 3000,
    )
    payloads = assert_discord_valid(Reply(cards=(big,) * 12))
    embeds = [e for p in payloads for e in p["embeds"]]
    assert len(embeds) == 12
    assert all(len(p["embeds"]) <= limits.DISCORD_EMBEDS_PER_MESSAGE for p in payloads)
    assert all(len(e["title"]) <= limits.DISCORD_EMBED_TITLE for e in embeds)


def test_discord_buttons_fill_rows_of_five_and_at_most_five_rows() -> None:
    """40 buttons become at most 5 rows of at most 5; a custom id over 100 is left out."""
    buttons = tuple(Button(f"b{n}", Action("search", f"q{n}", n)) for n in range(40))
    too_long = Button("long", Action("search", "q" * 120))
    (payload,) = assert_discord_valid(Reply(lines=lines_of("x"), buttons=(*buttons, too_long)))
    rows = payload["components"]
    assert len(rows) == limits.DISCORD_ACTION_ROWS
    assert all(len(row["components"]) <= limits.DISCORD_BUTTONS_PER_ROW for row in rows)
    assert all(
        c["custom_id"] == Action.decode(c["custom_id"]).encode()
        for r in rows
        for c in r["components"]
    )


def test_discord_choices_become_one_select_of_at_most_25_options() -> None:
    """Choices are a string select whose option values are encoded actions."""
    reply = Reply(lines=lines_of("pick"), choices=tuple(choice(n) for n in range(30)))
    (payload,) = assert_discord_valid(reply)
    select = payload["components"][0]["components"][0]
    assert select["type"] == 3
    assert len(select["options"]) == limits.DISCORD_SELECT_OPTIONS
    assert select["options"][0]["value"] == "paper:0:p-0"
    assert all(len(o["label"]) <= 100 and len(o["description"]) <= 100 for o in select["options"])


def test_discord_mentions_are_neutralised_and_not_parsed() -> None:
    """@everyone, @here, <@id> and <@&id> in user text ping nobody."""
    reply = Reply(lines=lines_of("@everyone @here <@123> <@&1> <@!5>"))
    (payload,) = assert_discord_valid(reply)
    assert payload["allowed_mentions"] == {"parse": []}
    assert "@\u200beveryone" in payload["content"]


def test_discord_markdown_in_user_text_is_escaped() -> None:
    """Markdown characters in text show literally."""
    (payload,) = assert_discord_valid(Reply(lines=lines_of("**not bold** `x` # h")))
    assert payload["content"].startswith("\\*\\*not bold\\*\\*")


def test_telegram_long_reply_is_split_within_4096_utf16_units() -> None:
    """Astral emoji count two units; messages split at line boundaries under 4096."""
    texts = ["😀" * 100 + f" {n}" for n in range(60)]
    payloads = assert_telegram_valid(Reply(lines=lines_of(*texts)))
    assert len(payloads) >= 3
    visible = [telegram_text(p["text"])[0] for p in payloads]
    assert all(utf16_len(v) <= limits.TELEGRAM_TEXT for v in visible)
    assert "\n".join(visible).split("\n") == texts


def test_telegram_never_cuts_a_tag_an_entity_or_a_link() -> None:
    """A huge line of styled links and escaped characters is shortened between pieces."""
    spans = tuple(
        Span(f"<&{n}>", Style.BOLD, f'https://example.com/?a={n}&b="{n}"') for n in range(2000)
    )
    (payload,) = assert_telegram_valid(Reply(lines=(spans,)))
    assert payload["text"].count("<a href=") == payload["text"].count("</a>")
    assert "&quot;" in payload["text"]


def test_telegram_escapes_html_and_keeps_only_its_tags() -> None:
    """<script> in text is shown as text; styles use b, i and code."""
    reply = Reply(lines=((Span("<script>alert(1)</script> & "), Span("b", Style.BOLD),
                          Span("i", Style.ITALIC), Span("c", Style.CODE)),))  # fmt: skip
    (payload,) = assert_telegram_valid(reply)
    assert payload["text"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <b>b</b><i>i</i><code>c</code>"
    )
    assert payload["link_preview_options"] == {"is_disabled": True}


def test_telegram_buttons_whose_data_exceeds_64_bytes_are_left_out() -> None:
    """Callback data over 64 bytes is omitted; the rest become keyboard rows."""
    fits = Button("Next", Action("search", "kv", 1))
    too_long = Button("Long", Action("search", "ü" * 40, 1))
    link = Button("Code", url="https://github.com/x/y")
    (payload,) = assert_telegram_valid(Reply(lines=lines_of("x"), buttons=(fits, too_long, link)))
    keyboard = payload["reply_markup"]["inline_keyboard"]
    assert keyboard == [
        [{"text": "Next", "callback_data": "search:1:kv"}],
        [{"text": "Code", "url": "https://github.com/x/y"}],
    ]


def test_telegram_mentions_are_broken() -> None:
    """@username in text gets a zero-width space so nobody is notified."""
    (payload,) = assert_telegram_valid(Reply(lines=lines_of("hi @durov and @everyone")))
    assert "@\u200bdurov" in payload["text"]


def test_telegram_keyboard_goes_on_the_last_message_only() -> None:
    """A split reply carries its keyboard once, on the last message."""
    reply = Reply(lines=lines_of(*["z" * 1000] * 10), choices=(choice(1),))
    payloads = assert_telegram_valid(reply)
    assert [("reply_markup" in p) for p in payloads] == [False] * (len(payloads) - 1) + [True]


def test_an_empty_reply_still_renders_a_valid_message() -> None:
    """Nothing to say still gives one valid payload per platform."""
    assert len(assert_telegram_valid(Reply())) == 1
    assert len(assert_discord_valid(Reply())) == 1
    assert render_text(Reply()) == ""


def test_text_numbers_choices_then_buttons_and_shows_pages() -> None:
    """The console numbers what can be picked, in the order pickable() returns."""
    reply = Reply(
        lines=lines_of("Results"),
        choices=(Choice("A", "first", Action("paper", "a")),),
        buttons=(Button("Next ▶", Action("search", "q", 1)), Button("Code", url="https://c")),
        kind=Kind.ANSWER,
        page=Page(0, 3),
    )
    assert render_text(reply) == (
        "Results\n\nPick one:\n  [1] A — first\n\n[2] Next ▶  Code <https://c>\n\n(page 1 of 3)"
    )

"""listbot: a chat bot for the Awesome-LLM-Inference paper list.

The core (this package) is platform-neutral: it parses the list, searches it,
answers commands with neutral replies, renders them for each platform, stores
subscriptions and delivers announcements. Adapters live in ``bots/``.
"""

__version__ = "0.1.0"

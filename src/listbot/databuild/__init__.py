"""Building the bundled ``data/``: read every release's README, write the derived files.

``release_readmes`` reads the README of every release (a folder of copies or a git clone);
``build`` writes ``data/catalog.json`` and ``data/history.json`` from them. Only the
``listbot data`` commands use this package; the bot at run time reads ``data/`` through
:mod:`listbot.catalog.bundle`.
"""

"""Benchmarks of listbot: each ``bench_*.py`` module has a ``main()`` that prints its numbers.

Run them all with ``make bench`` (``python -m benchmarks``), or some by name:
``python -m benchmarks catalog search``.
"""

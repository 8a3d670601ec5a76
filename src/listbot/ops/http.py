"""The optional HTTP endpoint: ``/healthz`` and Prometheus ``/metrics`` (aiohttp)."""

from __future__ import annotations

import json
from collections.abc import Callable

from aiohttp import web

from listbot.ops.metrics import Metrics

Health = Callable[[], dict[str, object]]


def make_app(metrics: Metrics, health: Health) -> web.Application:
    """An aiohttp application serving health and metrics."""

    async def healthz(request: web.Request) -> web.Response:
        report = health()
        status = 200 if report.get("ok") else 503
        return web.Response(
            status=status, text=json.dumps(report, default=str), content_type="application/json"
        )

    async def metrics_page(request: web.Request) -> web.Response:
        return web.Response(text=metrics.render(), content_type="text/plain", charset="utf-8")

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    return app


async def start_http(metrics: Metrics, health: Health, host: str, port: int) -> web.AppRunner:
    """Start serving; stop with ``await runner.cleanup()``."""
    runner = web.AppRunner(make_app(metrics, health), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner

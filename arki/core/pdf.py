"""PDF rendering helpers shared by every app (WeasyPrint)."""

from __future__ import annotations

from typing import Any


class ExternalFetchRefused(ValueError):
    pass


def local_url_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """PDFs fetch nothing from the network (SECURITY.md 14): only inline data: URLs."""
    if url.startswith("data:"):
        # WeasyPrint loads Pango and its fonts (seconds): only a process that renders a PDF pays.
        from weasyprint.urls import default_url_fetcher

        fetched: dict[str, Any] = default_url_fetcher(url, *args, **kwargs)
        return fetched
    raise ExternalFetchRefused(f"PDF rendering refused to fetch {url[:80]}")

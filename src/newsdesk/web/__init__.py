"""The web UI and REST API (`newsdesk serve`)."""

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]

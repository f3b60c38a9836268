"""Entry point: ``python app.py`` serves the atlas on http://127.0.0.1:8050 (HOST/PORT honoured).

``app`` is the Dash app and ``server`` its Flask server (for gunicorn: ``gunicorn app:server``).
"""

from __future__ import annotations

import os

from dashboard.web.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    app.run(
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8050")),
        debug=os.environ.get("DASH_DEBUG") == "1",
    )

"""Response headers every page carries, and the reverse proxies the app may trust."""

from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

HEADERS = {
    # Personal links carry their token in the URL: never send it on as a referrer.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
}
# Behind HTTPS (secure cookies on), browsers should never try plain HTTP again for a year.
HSTS = "max-age=31536000"


def is_partner_link_page(path: str) -> bool:
    return path == "/r" or path.startswith("/r/")


def init_app(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies > 0:
        # The client's address, scheme and host as the proxies in front saw them: the limits
        # on link guessing and sign-in count per real client, not per proxy. Never set this
        # without a proxy: anyone could then claim any address in X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if is_partner_link_page(request.path):
            # A partner's page shows their answers on a shared or borrowed computer: keep it
            # out of every cache, the browser's back-forward history included.
            response.headers["Cache-Control"] = "no-store"
        if current_app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response


def allow_inline_style(response, css: str):
    """Let one known ``<style>`` element through the policy by its hash (the style sheet of a
    drawing inlined in the page, such as the timeline's SVG), and nothing else inline."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    policy = HEADERS["Content-Security-Policy"].replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")
    response.headers["Content-Security-Policy"] = policy
    return response

"""Response headers every page carries, and the reverse proxies the app may trust."""

import logging

from flask import Flask, Request, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)

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
    """A personal link (/r/…) or a project's proposal link (/p/…): what a partner typed there."""
    return path in ("/r", "/p") or path.startswith(("/r/", "/p/"))


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any("\x00" in value for value in values.values()):
        return values
    # The endpoint, not the path: a partner's path carries their token, never logged.
    log.info("NUL characters dropped from a submitted form or query string (%s)", request.endpoint)
    return ImmutableMultiDict([(key, value.replace("\x00", "")) for key, value in values.items(multi=True)])


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class TextRequest(Request):
    """A request whose form fields and query string carry no NUL character. PostgreSQL
    refuses NUL in text ("text fields cannot contain NUL"), so one pasted or forged into any
    form (a partner's proposal, a note, a title) would be a 500 there and pass on SQLite; it
    is never meaningful text, so it is dropped here, once for every form."""

    @property
    def want_form_data_parsed(self) -> bool:
        # Werkzeug builds its form parser for any body with a Content-Type, and the parser then
        # finds nothing in any type but these two. A click's JSON (the most frequent request,
        # whose CSRF check looks at the form first) skips building it.
        return self.mimetype in FORM_TYPES

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @property
    def args(self) -> ImmutableMultiDict:
        if "_text_args" not in self.__dict__:
            self.__dict__["_text_args"] = _without_nul(super().args)
        return self.__dict__["_text_args"]


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, unchanged, except that its serializer is built once per
    signing key rather than at every request: building it (which serializes an empty dict to
    see whether the format is text) was 3% of the work of a partner's click, the most frequent
    request of all (T6). The cookie, its signature and its expiry are Flask's own."""

    _built: tuple | None = None  # ((secret key, fallback keys), serializer)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:
            built = self._built = (keys, super().get_signing_serializer(app))
        return built[1]


def init_app(app: Flask) -> None:
    app.request_class = TextRequest
    app.session_interface = SessionCookie()
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

"""The smallest WSGI application: the floor for any page served by gunicorn."""


def application(environ: dict, start_response) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"ok"]

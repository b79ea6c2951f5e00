"""A Django site for benchmarks only: Perjumpaan's settings and URLs plus the ceiling endpoint.

It lives outside the `perjumpaan` package, so no deployment can serve it, and refuses to load unless
PERJUMPAAN_BENCH=1. The benchmark runs gunicorn with `--pythonpath bench` and
DJANGO_SETTINGS_MODULE=benchsite.settings.
"""

"""View decorators. `office_required` is how a page about one office finds it: through the scoping."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from perjumpaan.core.scoping import Action, scoped


def office_required(
    action: Action = "view",
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Resolve the URL's `office_code` to an office the user may `action`, or answer 404.

    404 rather than 403, so that nobody learns which office codes exist elsewhere.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, office_code: str, *args: Any, **kwargs: Any) -> HttpResponse:
            from perjumpaan.org.models import Office

            office = (
                scoped(request.user, Office.objects.select_related("government"), action)
                .filter(code=office_code.upper(), is_active=True)
                .order_by("government_id")
                .first()
            )
            if office is None:
                raise Http404
            return view(request, office, *args, **kwargs)

        return wrapped

    return decorator

"""The first-run wizard (/mulai/): the web face of `perjumpaan init`, open only on an empty database."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from perjumpaan.core.scoping import access_for
from perjumpaan.org import selectors
from perjumpaan.org.forms import GovernmentSetupForm
from perjumpaan.org.models import Government
from perjumpaan.org.setup import SetupClosed, government_init, setup_is_open, standard_offices

# The backend the new admin is logged in with (the project's own; django-axes only refuses logins).
LOGIN_BACKEND = "perjumpaan.org.backends.UsernameOrNipBackend"


@never_cache
@sensitive_post_parameters("admin_password", "admin_password2")
def setup(request: HttpRequest) -> HttpResponse:
    """Set up the government. Closed for good (404) once the database holds any government, so that
    nobody can use it later to make themselves an admin."""
    if not setup_is_open():
        raise Http404
    form = (
        GovernmentSetupForm(request.POST, request.FILES)
        if request.method == "POST"
        else GovernmentSetupForm()
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = government_init(
                name=data["name"],
                time_zone=data["time_zone"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                logo=data["logo"],
                admin_first_name=data["admin_first_name"],
                admin_username=data["admin_username"],
                admin_email=data["admin_email"],
                admin_password=data["admin_password"],
                office_codes=data["offices"],
                kecamatan=data["kecamatan"],
                require_empty=True,
            )
        except SetupClosed:
            raise Http404 from None
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            login(request, result.admin, backend=LOGIN_BACKEND)
            messages.success(
                request,
                _("{government} siap dipakai. Anda masuk sebagai admin {username}.").format(
                    government=result.government.name, username=result.admin.username
                ),
            )
            return redirect("org:setup_done")
    kinds = {"sekretariat": 0, "inspektorat": 0, "badan": 1, "dinas": 2}
    groups: list[tuple[str, list[object]]] = [
        (_("Sekretariat dan Inspektorat"), []),
        (_("Badan"), []),
        (_("Dinas"), []),
        (_("Lainnya"), []),
    ]
    checkboxes = {widget.data["value"]: widget for widget in form["offices"]}
    for office in standard_offices():
        groups[kinds.get(office.kind, 3)][1].append(checkboxes[office.code])
    return render(request, "org/setup.html", {"form": form, "office_groups": groups})


@login_required
def setup_done(request: HttpRequest) -> HttpResponse:
    """What to do next, for the admin the wizard just created: import each office's staff."""
    access = access_for(request.user)
    if not access.is_admin:
        raise Http404
    offices = selectors.office_list(user=request.user)
    governments = Government.objects.order_by("pk")
    if access.admin_governments:
        governments = governments.filter(pk__in=access.admin_governments)
    government = governments.first()
    if government is not None:
        offices = offices.filter(government=government)
    return render(request, "org/setup_done.html", {"offices": offices, "government": government})

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from arki.accounts.access import require_permission
from arki.audit import services as audit
from arki.core.exceptions import DomainError
from arki.core.registry import home_panels_for
from arki.core.submissions import create_once
from arki.discussions import selectors as discussion_selectors
from arki.people.access import get_child_for

from . import selectors, services
from .forms import (
    AssignWorkerForm,
    ChildCreateForm,
    ChildForm,
    ChildSearchForm,
    GuardianForm,
    NetworkPersonForm,
)
from .panels import render_panels

# The home page lists this many of the worker's children; the child list pages by CHILD_PAGE.
HOME_CHILDREN = 25
CHILD_PAGE = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The worker's home: the children they work with and what is coming next (the panels
    other apps register in ``arki.core.registry``)."""
    # The panels ask for the same children (their cases): one query, kept for the request.
    # The page lists the first HOME_CHILDREN; the child list pages through the rest.
    mine = selectors.my_children_and_cases(request.user).children
    children = mine[:HOME_CHILDREN]
    if children:
        audit.record(
            request.user,
            "people.child.list_viewed",
            subjects=children,
            basis="relationship",
            request=request,
        )
    return render(
        request,
        "people/home.html",
        {"children": children, "total": len(mine), "panels": home_panels_for(request)},
    )


def child_list(request: HttpRequest) -> HttpResponse:
    """The children the user works with, searched by name and unit, CHILD_PAGE at a time (a
    school nurse has 600 pupils): the queries and the page do not grow with the caseload."""
    form = ChildSearchForm(
        request.GET or None,
        units=selectors.units_of_my_children(request.user),
        states=discussion_selectors.CHILD_STATES,
    )
    data = form.cleaned_data if form.is_valid() else {}
    matching = selectors.my_children_matching(
        request.user, text=data.get("q") or "", unit=data.get("unit")
    )
    form.show_counts(discussion_selectors.discussion_state_counts(matching))
    listed = discussion_selectors.with_discussion_state(matching)
    if data.get("state"):
        listed = listed.filter(discussion_state=data["state"])  # type: ignore[misc]
    page = Paginator(listed, CHILD_PAGE).get_page(request.GET.get("page"))
    children = list(page.object_list)
    labels = dict(discussion_selectors.CHILD_STATES)
    rows = [(child, labels.get(getattr(child, "discussion_state", ""), "")) for child in children]
    if children:
        audit.record(
            request.user,
            "people.child.list_viewed",
            subjects=children,
            basis="relationship",
            request=request,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/child_list.html",
        {
            "children": children,
            "rows": rows,
            "page": page,
            "form": form,
            "query": query.urlencode(),
        },
    )


def unit_children(request: HttpRequest) -> HttpResponse:
    """The unit manager names responsible workers for the children enrolled in the unit."""
    membership = require_permission(request, "people.child:assign")
    unit = membership.unit
    if unit is None:
        raise Http404
    form = AssignWorkerForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        services.responsible_worker_assign(
            actor=request.user, child=form.cleaned_data["child"], worker=form.cleaned_data["worker"]
        )
        messages.success(request, _("The responsible worker was named."))
        return redirect("people:unit_children")
    roster = selectors.unit_roster(unit)
    audit.record(
        request.user,
        "people.child.list_viewed",
        subjects=[r["child"] for r in roster],
        basis="unit_manager",
        request=request,
    )
    return render(
        request, "people/unit_children.html", {"roster": roster, "form": form, "unit": unit}
    )


def child_create(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "people.child:create")
    form = ChildCreateForm(request.POST or None, country=membership.tenant.country)
    if request.method == "POST" and form.is_valid():
        try:
            created = create_once(
                actor=request.user,
                token=form.token,
                create=lambda: services.child_create(actor=request.user, **form.service_data),
                url=lambda child: reverse("people:child_detail", args=[child.pk]),
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            if not created.again:
                messages.success(request, _("The child was added. You are the responsible worker."))
            return redirect(created.url)
    return render(request, "people/child_form.html", {"form": form})


def child_detail(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "people.child:view")
    child = access.child
    full = access.is_full_case  # a network member invited with consent sees only their scopes
    context: dict[str, Any] = {
        "child": child,
        "access": access,
        "full_case": full,
        "guardians": list(child.guardianships.select_related("guardian")) if full else [],
        "network": selectors.network_of(child) if full else [],
        "unit_names": selectors.current_unit_names(child),
        "workers": selectors.workers_of(child) if full else [],
        "panels": render_panels(request, access),
    }
    guardians = [g.guardian for g in context["guardians"]]
    audit.record(
        request.user,
        "people.child.viewed",
        subjects=[child, *guardians],
        obj=child,
        basis=access.basis,
        request=request,
    )
    return render(request, "people/child_detail.html", context)


def child_edit(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "people.child:write")
    form = ChildForm(
        request.POST or None, instance=access.child, country=access.child.tenant.country
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(
                actor=request.user, child=access.child, basis=access.basis, **form.cleaned_data
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:child_detail", child_id=access.child.pk)
    if request.method == "POST":
        # Reload the stored values: an invalid form must not show as if it were saved.
        access.child.refresh_from_db()
    audit.record_child_read(request, "people.child.edit_form_viewed", access)
    return render(request, "people/child_form.html", {"form": form, "child": access.child})


def guardian_create(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "people.child:write")
    form = GuardianForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.guardian_add(
            actor=request.user, child=access.child, basis=access.basis, **form.cleaned_data
        )
        messages.success(request, _("The guardian was added."))
        return redirect("people:child_detail", child_id=access.child.pk)
    audit.record_child_read(request, "people.guardian.form_viewed", access)
    return render(
        request,
        "people/simple_form.html",
        {"form": form, "child": access.child, "title": _("Add a guardian")},
    )


def network_person_create(request: HttpRequest, child_id: UUID) -> HttpResponse:
    access = get_child_for(request, child_id, "people.child:write")
    form = NetworkPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.network_person_add(
            actor=request.user, child=access.child, basis=access.basis, **form.cleaned_data
        )
        messages.success(request, _("The person was added to the family's network."))
        return redirect("people:child_detail", child_id=access.child.pk)
    audit.record_child_read(request, "people.network.form_viewed", access)
    return render(
        request,
        "people/simple_form.html",
        {
            "form": form,
            "child": access.child,
            "title": _("Add a person from the family's own network"),
        },
    )

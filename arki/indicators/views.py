from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from arki.accounts.access import require_permission
from arki.audit import services as audit

from . import charts, exports, selectors, services
from .filters import FilterForm
from .forms import ReferralForm, ReferralImportForm


def _dashboard_context(request: HttpRequest) -> dict:
    membership = require_permission(request, "indicators.dashboard:view")
    tenant = membership.tenant
    today: date = timezone.localdate()
    form = FilterForm(request.GET or None, tenant=tenant, today=today)
    if not form.is_bound:
        form = FilterForm({"period": str(today.year)}, tenant=tenant, today=today)
    context: dict = {"form": form, "tenant": tenant}
    if form.is_valid():
        filters = form.filters(tenant.pk)
        try:
            with selectors.leadership_queries():
                sections = selectors.Dashboard(filters, today=today).sections()
                referrals = selectors.referral_trend(filters, tenant.country)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != "57014":  # query_canceled
                raise
            context["too_slow"] = True  # the statement timeout cancelled a figure
            return context
        context.update(
            sections=sections,
            referrals=referrals,
            filters=filters,
            charts=_charts(sections, referrals),
        )
    return context


def _charts(sections, referrals) -> dict:
    result = {}
    for section in sections:
        bars = [
            charts.Bar(str(f.label), f.numeric, f.display)
            for f in section.figures
            if f.kind in ("count", "percent")
        ]
        result[section.key] = charts.bar_chart(
            f"chart-{section.key}",
            str(section.title),
            bars,
            max_value=100 if all(f.kind == "percent" for f in section.figures) else None,
        )
    series = [
        (_("region"), [(y, rate) for y, _r, _p, rate, _n in referrals.rows if rate is not None]),
        (
            _("whole country"),
            [(y, nat) for y, _r, _p, _rate, nat in referrals.rows if nat is not None],
        ),
    ]
    result["referrals"] = charts.line_chart(
        "chart-referrals", _("Child protection referrals per 1,000 children"), series
    )
    return result


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = _dashboard_context(request)
    return render(request, "indicators/dashboard.html", context)


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    context = _dashboard_context(request)
    if "sections" not in context:
        return redirect("indicators:dashboard")
    header = [_("Section"), _("Indicator"), _("Value")]
    rows = exports.table_rows(context["sections"], context["referrals"])
    for year, referrals, *_rest in context["referrals"].rows:
        rows.append([_("Child protection referrals"), str(year), str(referrals)])
    stamp = f"arki-indicators-{context['filters'].period.code}"
    audit.record(
        request.user,
        "indicators.exported",
        request=request,
        detail={"format": fmt, "filters": request.GET.urlencode()[:500]},
    )
    if fmt == "csv":
        response = HttpResponse(
            exports.as_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(header, rows, _("Indicators")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.as_pdf({**context, "generated": timezone.now()}), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="{stamp}.{fmt}"'
    return response


def referrals(request: HttpRequest) -> HttpResponse:
    membership = require_permission(request, "indicators.data:manage")
    tenant = membership.tenant
    form = ReferralForm(request.POST or None, tenant=tenant, prefix="one")
    upload = ReferralImportForm(prefix="file")
    if request.method == "POST" and "one-area" in request.POST and form.is_valid():
        services.referral_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("indicators:referrals")
    if request.method == "POST" and "file-file" in request.FILES:
        upload = ReferralImportForm(request.POST, request.FILES, prefix="file")
        if upload.is_valid():
            f = upload.cleaned_data["file"]
            try:
                count = services.referrals_import(
                    actor=request.user, tenant=tenant, content=f.read(), filename=f.name
                )
            except services.ImportFailed as exc:
                return render(
                    request,
                    "indicators/referrals.html",
                    {
                        "form": form,
                        "upload": upload,
                        "import_errors": exc.errors,
                        "stats": selectors.referral_statistics(tenant),
                    },
                )
            messages.success(request, _("%(count)s rows imported.") % {"count": count})
            return redirect("indicators:referrals")
    stats = selectors.referral_statistics(tenant)
    return render(
        request, "indicators/referrals.html", {"form": form, "upload": upload, "stats": stats}
    )

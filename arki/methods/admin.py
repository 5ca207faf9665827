from django.contrib import admin

from .models import AppraisalArea, EvidenceLevel, RatingRegistry


@admin.register(AppraisalArea)
class AppraisalAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "order", "max_score"]


@admin.register(EvidenceLevel)
class EvidenceLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "rank", "requires"]


@admin.register(RatingRegistry)
class RatingRegistryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "scale"]

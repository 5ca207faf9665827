from django.contrib import admin

from .models import Course, CourseModule, TrainingEvent, TrainingSettings


class CourseModuleInline(admin.TabularInline):
    model = CourseModule
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "tenant", "is_active"]
    list_filter = ["tenant", "kind"]
    inlines = [CourseModuleInline]


@admin.register(TrainingEvent)
class TrainingEventAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_on", "ends_on", "place", "capacity"]
    list_filter = ["tenant"]


admin.site.register(TrainingSettings)

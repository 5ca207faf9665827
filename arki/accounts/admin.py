from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Qualification, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0


class QualificationInline(admin.TabularInline[Qualification, User]):
    model = Qualification
    extra = 0


@admin.register(User)
class ArkiUserAdmin(UserAdmin[User]):
    inlines = [MembershipInline, QualificationInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]

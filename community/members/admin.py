"""The Django admin's view of profiles, for administrators (moderation UI comes with its issue)."""

from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "in_directory", "protected", "updated_at")
    list_filter = ("in_directory", "protected")
    search_fields = ("display_name", "user__email", "headline")
    raw_id_fields = ("user",)

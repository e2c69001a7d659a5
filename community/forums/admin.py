"""Forums in the Django admin: administrators create, order and describe forums there, and
tie them to a topic, a country or an organisation (members-only). Threads and posts are
moderated on the site, behind the second-factor guard, not here."""

from django.contrib import admin

from .models import Forum


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "organisation", "members_only", "thread_count")
    list_editable = ("order",)
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("organisation", "topic")
    search_fields = ("name", "slug")

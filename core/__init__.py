"""The shared kernel: user model, registries apps declare into, and cross-cutting safety tools.

Every app may import `core`; `core` imports no app. Apps extend hub features (demo content,
navigation, personal data, notification kinds, live streams, periodic jobs, policies) by
declaring into the registries in `core.registries`, the way Django apps declare admin classes.
"""

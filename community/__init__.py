"""Community apps (members, organisations, opportunities, events, forums, notifications,
moderation), one folder each, added by the community and forums issues."""
